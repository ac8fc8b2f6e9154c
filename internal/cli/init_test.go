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

// Outside a repository init refuses (a usage error) and writes nothing: the file belongs
// at a repository's root. A bare repository has no work tree to commit it from.
func TestInitRunOutsideRepository(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "설정")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, out, _ := repoFactory(t, dir)
	err := initRun(&InitOptions{F: f, Ctx: t.Context()})
	if !isUsage(err) || !strings.Contains(err.Error(), dir+" is not in a git repository") || !strings.Contains(err.Error(), "`git init` first") {
		t.Errorf("init outside a repository: %v", err)
	}
	if _, serr := os.Stat(filepath.Join(dir, config.FileName)); serr == nil || out.Len() > 0 {
		t.Errorf("init outside a repository wrote %s (printed %q)", config.FileName, out)
	}

	g := gittest.New(t)
	f, _, _ = repoFactory(t, g.Remote)
	if err := initRun(&InitOptions{F: f, Ctx: t.Context()}); !isUsage(err) || !strings.Contains(err.Error(), "bare repository") {
		t.Errorf("init in a bare repository: %v", err)
	}
}
