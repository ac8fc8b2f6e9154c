package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/term"
)

// imageTagIn runs `kickoff image-tag` in process in dir; it returns stdout and the error.
func imageTagIn(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := &Factory{IO: term.Test(strings.NewReader(""), &out, &errOut), Dir: dir, Env: gittest.Env()}
	cmd := newCmdImageTag(f, nil)
	cmd.SetArgs(append([]string{}, args...))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.Execute()
	return out.String(), err
}

func TestImageTag(t *testing.T) {
	r := gittest.New(t)
	r.Commit(".kickoff.yaml", "apps:\n  web:\n    image: reg.example/web\n    port: 8080\n  api:\n    image: reg.example/api\n    port: 8081\n    repo: https://example.com/api.git\n", "config")
	r.Git("push", "-q", "origin", "main")
	r.Git("checkout", "-q", "-b", "kickoff-241101-Login_Page")
	pushed := r.Commit("a.txt", "a\n", "a")
	r.Git("push", "-q", "origin", "kickoff-241101-Login_Page")
	// The local branch moves on without being pushed: CI builds what was pushed, and
	// release looks up the remote's branch first.
	r.Commit("b.txt", "b\n", "b")
	want := "kickoff-241101-login-page-" + pushed[:7]

	if out, err := imageTagIn(t, r.Dir, "web"); err != nil || out != want+"\n" {
		t.Errorf("image-tag web = %q, %v; want %q", out, err, want)
	}
	// No APP: one line per app built from this repository.
	if out, err := imageTagIn(t, r.Dir); err != nil || out != "web reg.example/web:"+want+"\n" {
		t.Errorf("image-tag = %q, %v", out, err)
	}
	// A detached HEAD (a CI checkout) needs --ref.
	r.Git("checkout", "-q", "--detach", "HEAD")
	if _, err := imageTagIn(t, r.Dir, "web"); !isUsage(err) || !strings.Contains(err.Error(), `--ref "$BRANCH_NAME"`) {
		t.Errorf("detached: %v", err)
	}
	if out, err := imageTagIn(t, r.Dir, "web", "--ref", "kickoff-241101-Login_Page", "--json"); err != nil ||
		!strings.Contains(out, `"image": "reg.example/web:`+want+`"`) || !strings.Contains(out, `"commit": "`+pushed+`"`) {
		t.Errorf("--json = %q, %v", out, err)
	}
	if _, err := imageTagIn(t, r.Dir, "db", "--ref", "main"); !isUsage(err) || !strings.Contains(err.Error(), "one of api, web") {
		t.Errorf("unknown app: %v", err)
	}
	if _, err := imageTagIn(t, r.Dir, "web", "--ref", "nope"); err == nil || !strings.Contains(err.Error(), `no branch, tag or commit "nope"`) {
		t.Errorf("unknown ref: %v", err)
	}
}
