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
