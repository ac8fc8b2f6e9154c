package gitrepo_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// Open finds the git dir and common dir as git does, for a plain clone, a linked work tree
// and from a folder inside.
func TestOpenDirsMatchGit(t *testing.T) {
	g := gittest.New(t)
	linked := filepath.Join(t.TempDir(), "linked")
	g.Git("worktree", "add", "-q", "-b", "side", linked)
	g.Commit("sub/file.txt", "x\n", "a folder")
	for _, dir := range []string{g.Dir, filepath.Join(g.Dir, "sub"), linked} {
		repo, err := gitrepo.Open(dir)
		if err != nil {
			t.Fatalf("Open(%s): %v", dir, err)
		}
		wantGit := strings.TrimSpace(run(t, dir, "rev-parse", "--absolute-git-dir"))
		wantCommon := strings.TrimSpace(run(t, dir, "rev-parse", "--git-common-dir"))
		if !filepath.IsAbs(wantCommon) {
			wantCommon = filepath.Join(dir, wantCommon)
		}
		if repo.GitDir != filepath.Clean(wantGit) || repo.CommonDir != filepath.Clean(wantCommon) {
			t.Errorf("Open(%s): git dir %s, common %s; git says %s, %s", dir, repo.GitDir, repo.CommonDir, wantGit, filepath.Clean(wantCommon))
		}
	}
}

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gittest.Env()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v in %s: %v", args, dir, err)
	}
	return string(out)
}
