package kickoff_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// Which commits carry a kickoff: its head, an earlier commit of it, a build on top of it;
// not another kickoff's commit, not main; once merged, the main commit that merged it.
func TestCarries(t *testing.T) {
	g := gittest.New(t)
	cut := g.Git("rev-parse", "HEAD")
	pushKickoff(g) // kickoff-240510-dash, one commit
	first := g.Git("rev-parse", "HEAD")
	g.Commit("dash2.txt", "대시보드 2\n", "대시보드 두 번째")
	head := g.Git("rev-parse", "HEAD")
	g.Git("push", "-q")
	g.Git("switch", "-q", "-c", "feature/PROJ-2")
	onTop := g.Commit("f.txt", "f\n", "PROJ-2 위에 쌓은 작업")
	g.Git("switch", "-q", "-c", "kickoff-240511-other", "main")
	other := g.Commit("o.txt", "o\n", "다른 킥오프")

	e := env(t, g)
	n, _ := kickoff.ParseName("kickoff-240510-dash")
	own, err := e.OwnCommits(context.Background(), n, plumbing.NewHash(head))
	if err != nil || own.Count != 2 || own.Empty || own.MainRef != "origin/main" {
		t.Fatalf("OwnCommits = %+v, %v", own, err)
	}
	for _, tc := range []struct {
		name, c string
		want    bool
	}{{"head", head, true}, {"an earlier commit", first, true}, {"a build on top", onTop, true},
		{"another kickoff's commit", other, false}, {"main", cut, false}} {
		got, err := e.Carries(context.Background(), own, plumbing.NewHash(tc.c))
		if err != nil || got != tc.want {
			t.Errorf("Carries(%s) = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}

	// Merged into main with a merge commit: no own commits left, not empty; the merge
	// carries it, the other kickoff still does not.
	mergeToMain(g, "kickoff-240510-dash")
	merged := g.Git("rev-parse", "HEAD")
	e = env(t, g)
	own, err = e.OwnCommits(context.Background(), n, plumbing.NewHash(head))
	if err != nil || own.Count != 0 || own.Empty {
		t.Fatalf("OwnCommits after the merge = %+v, %v", own, err)
	}
	for c, want := range map[string]bool{merged: true, head: true, other: false} {
		if got, err := e.Carries(context.Background(), own, plumbing.NewHash(c)); err != nil || got != want {
			t.Errorf("merged: Carries(%s) = %v, %v; want %v", c[:8], got, err, want)
		}
	}

	// A kickoff never committed to is empty and carries nothing.
	empty, _ := kickoff.ParseName("kickoff-240512-empty")
	own, err = e.OwnCommits(context.Background(), empty, plumbing.NewHash(merged))
	if err != nil || !own.Empty {
		t.Fatalf("OwnCommits(empty) = %+v, %v", own, err)
	}
	if got, _ := e.Carries(context.Background(), own, plumbing.NewHash(merged)); got {
		t.Error("an empty kickoff carries a commit")
	}
	msg := (&kickoff.EmptyError{Own: own, Do: "finishing it"}).Error()
	if !strings.Contains(msg, "has no commits of its own") || !strings.Contains(msg, "kickoff abandon kickoff-240512-empty") {
		t.Errorf("EmptyError = %s", msg)
	}
}

// Finish refuses a kickoff with no commits of its own, changing nothing.
func TestFinishRefusesAnEmptyKickoff(t *testing.T) {
	g := gittest.New(t)
	g.Git("switch", "-q", "-c", "kickoff-240510-dash")
	g.Git("push", "-q", "-u", "origin", "kickoff-240510-dash")
	_, err := env(t, g).PlanFinish(context.Background(), "kickoff-240510-dash", kickoff.FinishOptions{})
	var empty *kickoff.EmptyError
	if !errors.As(err, &empty) {
		t.Fatalf("PlanFinish(empty) = %v, want an EmptyError", err)
	}
}

// A plan that fails says which steps were undone and which stayed (no undo), newest first.
func TestPlanSaysWhatStayed(t *testing.T) {
	var p kickoff.Plan
	ok := func(context.Context) error { return nil }
	p.Add("create the branch", ok, ok)
	p.Add("push the tag", ok, nil)
	p.Add("write the record", ok, ok)
	p.Add("delete on origin", func(context.Context) error { return errors.New("refused") }, ok)
	err := p.Run(context.Background(), nil)
	var re *kickoff.RunError
	if !errors.As(err, &re) || re.Step != "delete on origin" ||
		strings.Join(re.Undone, ",") != "write the record,create the branch" || strings.Join(re.Kept, ",") != "push the tag" {
		t.Fatalf("Run = %#v", err)
	}
	want := "delete on origin: refused (undone: write the record; create the branch; kept, as they cannot be undone: push the tag)"
	if err.Error() != want || strings.Contains(err.Error(), "earlier steps were undone") {
		t.Errorf("message = %q\nwant %q", err, want)
	}
}
