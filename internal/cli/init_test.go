package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestInitFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdInit, "--force"); err != nil || !o.Force {
		t.Errorf("init options = %+v, %v", o, err)
	}
	wantUsage(t, newCmdInit, "extra")
}

// init writes the template at the repository root, from any folder, and replaces an
// existing file only with --force.
func TestInitRun(t *testing.T) {
	r := gittest.NewLocal(t)
	sub := filepath.Join(r.Dir, "docs")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(r.Dir, config.FileName)
	f, out, _ := repoFactory(t, sub)
	if err := initRun(&InitOptions{F: f, Ctx: t.Context()}); err != nil || out.String() != path+"\n" {
		t.Fatalf("kickoff init: %v, printed %q, want %q", err, out, path)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != config.Template {
		t.Errorf("%s is not the template: %v", path, err)
	}

	if err := os.WriteFile(path, []byte("main: trunk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, _, _ = repoFactory(t, sub)
	if err := initRun(&InitOptions{F: f, Ctx: t.Context()}); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a second init: err = %v, want already exists", err)
	}
	f, _, _ = repoFactory(t, sub)
	if err := initRun(&InitOptions{F: f, Ctx: t.Context(), Force: true}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != config.Template {
		t.Errorf("--force did not replace the file:\n%s", b)
	}
}

// Outside a repository init writes into the current folder and says so.
func TestInitRunOutsideRepository(t *testing.T) {
	dir := t.TempDir()
	f, out, errOut := repoFactory(t, dir)
	if err := initRun(&InitOptions{F: f, Ctx: t.Context()}); err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, config.FileName) + "\n"; out.String() != want {
		t.Errorf("printed %q, want %q", out, want)
	}
	if !strings.Contains(errOut.String(), "not in a git repository") {
		t.Errorf("stderr = %q", errOut)
	}
}
