package gitrepo_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestDirty(t *testing.T) {
	g := gittest.NewLocal(t)
	g.Commit("old name.txt", "x\n", "a file with a space")
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := repo.Dirty(context.Background()); err != nil || len(d) != 0 {
		t.Fatalf("clean tree: %v, %v", d, err)
	}
	g.Git("mv", "old name.txt", "new name.txt")
	g.Write("README.md", "changed\n")
	g.Write("untracked.txt", "u\n")
	d, err := repo.Dirty(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"README.md", "new name.txt", "untracked.txt"} // git status order
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("Dirty = %q, want %q", d, want)
	}
}

// Only uncommitted paths that the other branch changes block a switch; a remote-only
// branch becomes a local one tracking it.
func TestOverwrittenAndSwitchTrack(t *testing.T) {
	g := gittest.New(t)
	g.Git("switch", "-q", "-c", "kickoff-240510-대시보드")
	g.Commit("app/설정.yaml", "mode: new\n", "change the settings")
	g.Commit("new.txt", "from the branch\n", "add a file")
	g.Git("push", "-q", "origin", "kickoff-240510-대시보드")
	g.Git("switch", "-q", "main")
	g.Git("branch", "-q", "-D", "kickoff-240510-대시보드")
	g.Write("app/설정.yaml", "mode: local edit\n")
	g.Write("new.txt", "untracked here\n")
	g.Write("notes.txt", "unrelated\n")
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	hit, err := repo.Overwritten(ctx, "origin/kickoff-240510-대시보드")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"app/설정.yaml", "new.txt"}; !reflect.DeepEqual(hit, want) {
		t.Fatalf("Overwritten = %q, want %q", hit, want)
	}
	g.Git("clean", "-qf", "app", "new.txt")
	if hit, err := repo.Overwritten(ctx, "origin/kickoff-240510-대시보드"); err != nil || len(hit) != 0 {
		t.Fatalf("after cleaning up: %q, %v; want nothing in the way", hit, err)
	}
	if err := repo.SwitchTrack(ctx, "kickoff-240510-대시보드", "origin"); err != nil {
		t.Fatal(err)
	}
	if got := g.Git("rev-parse", "--abbrev-ref", "HEAD@{upstream}"); got != "origin/kickoff-240510-대시보드\n" && got != "origin/kickoff-240510-대시보드" {
		t.Errorf("upstream = %q", got)
	}
}
