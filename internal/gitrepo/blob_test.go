package gitrepo

import (
	"errors"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestFileAtReadsTheCommitNotTheWorkTree(t *testing.T) {
	g := gittest.NewLocal(t)
	first := g.Commit("deploy/compose.yaml", "v: 1\n", "one")
	g.Commit("deploy/compose.yaml", "v: 2\n", "two")
	g.Write("deploy/compose.yaml", "v: dirty\n")
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := r.FileAt(first, "deploy/compose.yaml"); err != nil || string(got) != "v: 1\n" {
		t.Errorf("at %s: %q, %v; want v: 1", first, got, err)
	}
	if _, err := r.FileAt(first, "deploy/other.yaml"); !errors.Is(err, ErrNoFile) {
		t.Errorf("a missing file: %v", err)
	}
	if _, err := r.FileAt(strings.Repeat("ab", 20), "deploy/compose.yaml"); !errors.Is(err, ErrNoCommit) || !strings.Contains(err.Error(), "git fetch") {
		t.Errorf("an unknown commit: %v", err)
	}
	if _, err := r.FileAt("main", "deploy/compose.yaml"); err == nil || !strings.Contains(err.Error(), "not a full commit id") {
		t.Errorf("a ref instead of a commit: %v", err)
	}
}
