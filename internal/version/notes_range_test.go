package version

import (
	"context"
	"errors"
	"os/exec"
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
		want{"platform/v0.1.0 (kickoff-240510-alpha)", "0.1.0", "refs/tags/platform/v0.1.0 ^refs/remotes/origin/main", []string{"PROJ-1"}, 0})
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

// commitAt commits with both dates set, as a commit of that day would have them.
func commitAt(t *testing.T, r *gittest.Repo, when, file, msg string) {
	t.Helper()
	r.Write(file, msg+"\n")
	r.Git("add", file)
	cmd := exec.Command("git", "commit", "-q", "-m", msg)
	cmd.Dir = r.Dir
	cmd.Env = append(gittest.Env(), "GIT_AUTHOR_DATE="+when, "GIT_COMMITTER_DATE="+when)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("commit: %v\n%s", err, out)
	}
}

// The first release's notes start where its kickoff left main, merged or not, not at the
// repository's first commit.
func TestFirstReleaseNotes(t *testing.T) {
	ctx := context.Background()
	release := func(t *testing.T, r *gittest.Repo, kickoffName, commit string) *Notes {
		t.Helper()
		s := open(t, r.Dir)
		if _, err := s.Ensure(ctx, kickoffName); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TagFinal(ctx, kickoffName, commit); err != nil {
			t.Fatal(err)
		}
		book, err := s.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n, err := s.NotesFor(ctx, book, "0.1.0", "")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	subjects := func(n *Notes) []string {
		var out []string
		for _, c := range n.Unkeyed {
			out = append(out, c.Subject)
		}
		return out
	}

	for _, tc := range []struct {
		on  string // where the final tag goes: the kickoff's head, or main's merge of it
		prs []int
	}{{"kickoff-240601-beta", []int{}}, {"main", []int{31}}} {
		t.Run("merged, tagged on "+tc.on, func(t *testing.T) {
			r := gittest.New(t)
			r.Commit("old.txt", "x", "switch to UTF-8 and SHA-256")
			r.Git("checkout", "-q", "-b", "kickoff-240601-beta")
			r.Commit("search.txt", "x", "PROJ-2 search box")
			r.Commit("style.txt", "x", "검색창 스타일")
			r.Git("checkout", "-q", "main")
			r.Commit("hotfix.txt", "x", "hotfix on main")
			r.Git("merge", "-q", "--no-ff", "kickoff-240601-beta", "-m", "Merge pull request #31 from acme/kickoff-240601-beta")
			r.Git("push", "-q", "origin", "main", "kickoff-240601-beta")
			n := release(t, r, "kickoff-240601-beta", r.Git("rev-parse", tc.on))
			if keys := issueKeys(n); !slices.Equal(keys, []string{"PROJ-2"}) || !slices.Equal(n.Issues[0].PullRequests, tc.prs) {
				t.Errorf("issues %v %+v, want PROJ-2 of %v", keys, n.Issues, tc.prs)
			}
			if got := subjects(n); !slices.Equal(got, []string{"검색창 스타일"}) {
				t.Errorf("unkeyed %q, want the kickoff's own commit only", got)
			}
		})
	}
	// A kickoff fast-forwarded into main has no commits of its own (its head is a commit
	// main itself was at): its final tag is refused, so no notes are made for it.
	t.Run("fast-forwarded", func(t *testing.T) {
		r := gittest.New(t)
		commitAt(t, r, "2024-05-01T10:00:00Z", "old.txt", "switch to UTF-8")
		r.Git("checkout", "-q", "-b", "kickoff-240510-alpha")
		commitAt(t, r, "2024-05-10T03:00:00Z", "a.txt", "PROJ-1 chart")
		r.Git("checkout", "-q", "main")
		r.Git("merge", "-q", "--ff-only", "kickoff-240510-alpha")
		r.Git("push", "-q", "origin", "main", "kickoff-240510-alpha")
		s := open(t, r.Dir)
		if _, err := s.Ensure(ctx, "kickoff-240510-alpha"); err != nil {
			t.Fatal(err)
		}
		_, err := s.TagFinal(ctx, "kickoff-240510-alpha", r.Git("rev-parse", "main"))
		if err == nil || !strings.Contains(err.Error(), "no commits of its own") {
			t.Fatalf("the final tag of a fast-forwarded kickoff: %v, want refused", err)
		}
	})
}
