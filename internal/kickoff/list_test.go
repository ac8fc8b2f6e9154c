package kickoff_test

import (
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// List finds kickoffs in local branches, the remote's branches and the finished records,
// sorted by date then summary; a finished record whose branch still exists is live.
func TestList(t *testing.T) {
	g := gittest.New(t)
	main := g.Git("rev-parse", "HEAD")
	// Only on the remote (a teammate's): the remote-tracking branch after a fetch.
	g.Git("branch", "kickoff-240512-remote")
	g.Git("push", "-q", "origin", "kickoff-240512-remote")
	g.Git("branch", "-D", "kickoff-240512-remote")
	// Here and there, the local one ahead.
	g.Git("switch", "-q", "-c", "kickoff-240510-both")
	g.Git("push", "-q", "origin", "kickoff-240510-both")
	ahead := g.Commit("b.txt", "b\n", "ahead")
	// Only local; a branch that is no kickoff.
	g.Git("branch", "kickoff-240510-alpha", main)
	g.Git("branch", "feature/PROJ-1", main)
	// Finished: only the record (an annotated tag) is left; and an old record of a live name.
	g.Git("tag", "-a", "-m", "finished", "done", main)
	g.Git("update-ref", kickoff.FinishedRefPrefix+"kickoff-240401-done", g.Git("rev-parse", "done"))
	g.Git("tag", "-d", "done")
	g.Git("update-ref", kickoff.FinishedRefPrefix+"kickoff-240510-alpha", main)
	g.Git("fetch", "-q", "origin")

	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	live, err := kickoff.Live(repo, "origin")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		name                    string
		head                    string
		local, remote, finished bool
		ref                     string
	}
	want := []row{
		{"kickoff-240510-alpha", main, true, false, false, "refs/heads/kickoff-240510-alpha"},
		{"kickoff-240510-both", ahead, true, true, false, "refs/heads/kickoff-240510-both"},
		{"kickoff-240512-remote", main, false, true, false, "refs/remotes/origin/kickoff-240512-remote"},
	}
	check := func(what string, got []kickoff.Kickoff, want []row) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d kickoffs %+v, want %d", what, len(got), got, len(want))
		}
		for i, w := range want {
			k := got[i]
			if k.Name.String() != w.name || k.Head.String() != w.head || k.Local != w.local || k.Remote != w.remote || k.Finished != w.finished || k.Ref("origin") != w.ref {
				t.Errorf("%s[%d] = %+v (ref %s), want %+v", what, i, k, k.Ref("origin"), w)
			}
		}
	}
	check("Live", live, want)
	all, err := kickoff.List(repo, "origin", true)
	if err != nil {
		t.Fatal(err)
	}
	check("List(finished)", all, append([]row{{"kickoff-240401-done", main, false, false, true, kickoff.FinishedRefPrefix + "kickoff-240401-done"}}, want...))
}
