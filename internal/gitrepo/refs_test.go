package gitrepo_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// A local ref transaction applies all updates or none, and tells a lost race.
func TestUpdateRefs(t *testing.T) {
	g := gittest.New(t)
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a := plumbing.NewHash(g.Git("rev-parse", "HEAD"))
	b := plumbing.NewHash(g.Commit("b.txt", "b\n", "b"))
	const x, y = plumbing.ReferenceName("refs/kickoff/x"), plumbing.ReferenceName("refs/kickoff/y")

	if err := repo.UpdateRefs(ctx, []gitrepo.RefUpdate{{Name: x, New: a}, {Name: y, New: a}}); err != nil {
		t.Fatal(err)
	}
	// y must not exist: the whole transaction fails, x keeps a.
	err = repo.UpdateRefs(ctx, []gitrepo.RefUpdate{{Name: x, New: b, Old: a}, {Name: y, New: b}})
	if !errors.Is(err, gitrepo.ErrRefChanged) || repo.Ref(x) != a {
		t.Fatalf("failed lease: err %v, x at %s", err, repo.Ref(x))
	}
	if err := repo.UpdateRefs(ctx, []gitrepo.RefUpdate{{Name: x, New: b, Old: a}, {Name: y, Old: a}}); err != nil {
		t.Fatal(err)
	}
	if repo.Ref(x) != b || !repo.Ref(y).IsZero() {
		t.Fatalf("x at %s, y at %s; want b and deleted", repo.Ref(x), repo.Ref(y))
	}
	// ForceRefs ignores what refs held.
	if err := repo.ForceRefs(ctx, []gitrepo.RefUpdate{{Name: x, New: a, Old: a}, {Name: y, New: a}}); err != nil {
		t.Fatal(err)
	}
	if err := repo.SwapRef(x, b, b); err == nil || repo.Ref(x) != a {
		t.Fatalf("SwapRef with a stale old value: err %v, x at %s", err, repo.Ref(x))
	}
	var names []string
	if err := repo.ForEachRef(func(name plumbing.ReferenceName, h plumbing.Hash) error {
		if strings.HasPrefix(name.String(), "refs/kickoff/") {
			names = append(names, name.String())
		}
		return nil
	}); err != nil || len(names) != 2 {
		t.Fatalf("ForEachRef = %v, %v", names, err)
	}
}
