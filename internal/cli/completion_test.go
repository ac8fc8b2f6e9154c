package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// complete runs `kickoff __complete args...` in dir and returns the candidates offered.
func complete(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	f, out, _ := repoFactory(t, dir)
	if code := Run(context.Background(), f, append([]string{"__complete"}, args...)); code != 0 {
		t.Fatalf("__complete %q: exit %d", args, code)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return lines[:len(lines)-1] // the last line is the directive
}

// Every argument or flag that names a kickoff, slot, app or ref offers candidates, read
// from the repository and configuration: a command added without them fails here.
func TestEveryNameCompletes(t *testing.T) {
	g := gittest.New(t)
	g.Git("branch", "kickoff-240510-dashboard")
	g.Git("branch", "feature/PROJ-7-한글-검색")
	g.Git("tag", "platform/v1.2.0")
	if err := os.WriteFile(filepath.Join(g.Dir, ".kickoff.yaml"), []byte("apps:\n  web: {image: acme/web, port: 8080}\n"+
		"repos:\n  fe: {url: https://example.com/acme/fe.git}\n  spring: {url: https://example.com/acme/spring.git}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	named := regexp.MustCompile(`^\[?(KICKOFF|NAME|SLOT|APP|REF|A|B)\b`)
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		path := strings.Fields(cmd.CommandPath())[1:]
		for i, w := range strings.Fields(cmd.Use)[1:] {
			if strings.HasPrefix(w, "-") {
				break // flags and their values: completed by the flag
			}
			if !named.MatchString(w) {
				continue
			}
			args := append(slices.Clone(path), slices.Repeat([]string{"x"}, i)...)
			if got := complete(t, g.Dir, append(args, "")...); len(got) == 0 {
				t.Errorf("kickoff %s: argument %d (%s) offers nothing", strings.Join(path, " "), i+1, w)
			}
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(NewRootCmd(testFactory()))

	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"slot", "diff", "dev1", ""}, []string{"dev2", "dev3", "dev4"}},
		{[]string{"release", "--slot", "dev"}, []string{"dev1", "dev2", "dev3", "dev4"}},
		{[]string{"release", "--app", "w"}, []string{"web="}},
		{[]string{"release", "--app", "web=kick"}, []string{"web=kickoff-240510-dashboard"}},
		{[]string{"finish", ""}, []string{"kickoff-240510-dashboard"}},
		{[]string{"switch", ""}, []string{"kickoff-240510-dashboard", "feature/PROJ-7-한글-검색"}},
		{[]string{"notes", ""}, []string{"kickoff-240510-dashboard", "1.2.0"}},
		{[]string{"check", "--target", "k"}, []string{"kickoff-240510-dashboard"}},
		{[]string{"conflicts", "main", ""}, []string{"feature/PROJ-7-한글-검색", "kickoff-240510-dashboard", "platform/v1.2.0"}},
		{[]string{"image-tag", "--ref", "feature/"}, []string{"feature/PROJ-7-한글-검색"}},
		{[]string{"list", "--remote", ""}, []string{"origin"}},
		{[]string{"notes", "--format", ""}, []string{"md", "json"}},
		{[]string{"new", "--repos", ""}, []string{"fe", "spring"}},
		{[]string{"new", "--repos", "fe,"}, []string{"fe,spring"}},
		{[]string{"feature", "--repo", "s"}, []string{"spring"}},
	} {
		if got := complete(t, g.Dir, tc.args...); !slices.Equal(got, tc.want) {
			t.Errorf("__complete %q = %q, want %q", tc.args, got, tc.want)
		}
	}
}
