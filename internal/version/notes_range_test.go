package version

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func issueKeys(n *Notes) []string {
	var keys []string
	for _, in := range n.Issues {
		keys = append(keys, in.Key)
	}
	return keys
}

// NotesFor picks the range a user means: a live kickoff's commits not in main; a released
// version down to the release below it; --since from a given release.
func TestNotesFor(t *testing.T) {
	ctx := context.Background()
	r := gittest.New(t)
	for _, k := range []struct{ name, msg string }{
		{"kickoff-240510-alpha", "PROJ-1 chart"},
		{"kickoff-240511-beta", "PROJ-2 search"},
		{"kickoff-240512-gamma", "PROJ-3 export"},
	} {
		r.Git("checkout", "-q", "-b", k.name, "main")
		r.Commit(k.name+".txt", "x\n", k.msg)
		r.Git("push", "-q", "origin", k.name)
	}
	r.Git("checkout", "-q", "main")
	s := open(t, r.Dir)
	for _, k := range []string{"kickoff-240510-alpha", "kickoff-240511-beta"} {
		if _, err := s.Ensure(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	type want struct {
		title, version, rng string
		issues              []string
		unkeyed             int
	}
	check := func(what string, book *Book, target, since string, w want) {
		t.Helper()
		n, err := s.NotesFor(ctx, book, target, since)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n.Title != w.title || n.Version != w.version || n.Range != w.rng || !slices.Equal(issueKeys(n), w.issues) || len(n.Unkeyed) != w.unkeyed {
			t.Errorf("%s: notes %q %q %q %v, %d unkeyed; want %+v", what, n.Title, n.Version, n.Range, issueKeys(n), len(n.Unkeyed), w)
		}
	}
	book, err := s.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	live := want{"platform/v0.1.0 (kickoff-240510-alpha)", "0.1.0", "refs/heads/kickoff-240510-alpha ^refs/remotes/origin/main", []string{"PROJ-1"}, 0}
	check("live kickoff", book, "kickoff-240510-alpha", "", live)
	check("its unreleased version", book, "platform/v0.1.0", "", live)
	check("a kickoff without a version", book, "kickoff-240512-gamma", "",
		want{"kickoff-240512-gamma", "", "refs/heads/kickoff-240512-gamma ^refs/remotes/origin/main", []string{"PROJ-3"}, 0})

	for _, k := range []string{"kickoff-240510-alpha", "kickoff-240511-beta"} {
		if _, err := s.TagFinal(ctx, k, r.Git("rev-parse", k)); err != nil {
			t.Fatal(err)
		}
	}
	if book, err = s.Read(ctx); err != nil {
		t.Fatal(err)
	}
	check("the first release", book, "0.1.0", "",
		want{"platform/v0.1.0 (kickoff-240510-alpha)", "0.1.0", "refs/tags/platform/v0.1.0", []string{"PROJ-1"}, 1})
	check("a later release", book, "kickoff-240511-beta", "",
		want{"platform/v0.2.0 (kickoff-240511-beta)", "0.2.0", "refs/tags/platform/v0.2.0 ^refs/tags/platform/v0.1.0", []string{"PROJ-2"}, 0})
	check("--since", book, "kickoff-240512-gamma", "0.2.0",
		want{"kickoff-240512-gamma", "", "refs/heads/kickoff-240512-gamma ^refs/tags/platform/v0.2.0", []string{"PROJ-3"}, 0})

	for _, tc := range []struct{ target, since, want string }{
		{"main", "", `"main" is neither a kickoff name`},
		{"0.9.0", "", "platform/v0.9.0 is neither reserved nor tagged"},
		{"kickoff-240512-gamma", "0.3.0", "--since 0.3.0: platform/v0.3.0 is not released"},
		{"kickoff-240512-gamma", "soon", "--since: "},
	} {
		if _, err := s.NotesFor(ctx, book, tc.target, tc.since); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NotesFor(%s, since %q) = %v, want %q", tc.target, tc.since, err, tc.want)
		}
	}
	if _, err := s.NotesFor(ctx, book, "kickoff-240601-nothing", ""); !errors.Is(err, ErrNoKickoff) {
		t.Errorf("a kickoff with nothing to read: %v, want ErrNoKickoff", err)
	}
}
