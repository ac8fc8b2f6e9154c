package kickoff_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// syncRepo has kickoff-240510-dash pushed and main moved on by one commit touching path
// (pushed); the work tree is on main.
func syncRepo(t *testing.T, path string) *gittest.Repo {
	g := gittest.New(t)
	pushKickoff(g)
	g.Git("switch", "-q", "main")
	g.Commit(path, "from main\n", "main moves on")
	g.Git("push", "-q", "origin", "main")
	return g
}

func syncDash(t *testing.T, g *gittest.Repo, o kickoff.SyncOptions) (*kickoff.SyncResult, error) {
	t.Helper()
	e := env(t, g)
	k, err := e.FindKickoff("kickoff-240510-dash")
	if err != nil {
		t.Fatal(err)
	}
	return e.Sync(context.Background(), k, o)
}

func TestSyncCheck(t *testing.T) {
	for _, tc := range []struct {
		path      string
		outcome   string
		conflicts []string
	}{
		{"other.txt", kickoff.SyncClean, nil},
		{"dash.txt", kickoff.SyncConflicts, []string{"dash.txt"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			g := syncRepo(t, tc.path)
			before := g.Git("rev-parse", "kickoff-240510-dash")
			res, err := syncDash(t, g, kickoff.SyncOptions{Check: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != tc.outcome || !slices.Equal(res.Conflicts, tc.conflicts) || res.Behind != 1 || res.Main != "origin/main" {
				t.Errorf("result = %+v", res)
			}
			if got := g.Git("rev-parse", "kickoff-240510-dash"); got != before {
				t.Error("--check changed the kickoff")
			}
		})
	}
}

// Not checked out and clean: the merge commit is made without touching the work tree, and
// pushed.
func TestSyncMergesOutsideTheWorkTree(t *testing.T) {
	g := syncRepo(t, "other.txt")
	old := g.Git("rev-parse", "kickoff-240510-dash")
	main := g.Git("rev-parse", "main")
	res, err := syncDash(t, g, kickoff.SyncOptions{Push: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != kickoff.SyncMerged || res.InWorkTree || !res.Pushed {
		t.Fatalf("result = %+v", res)
	}
	if got := g.Git("rev-parse", "kickoff-240510-dash"); got != res.Commit.String() {
		t.Errorf("kickoff at %s, want the merge %s", got, res.Commit)
	}
	if got := g.Git("log", "-1", "--format=%P%n%s", "kickoff-240510-dash"); got != old+" "+main+"\nMerge origin/main into kickoff-240510-dash" {
		t.Errorf("merge commit parents and subject:\n%s", got)
	}
	if got := g.Git("ls-remote", "origin", "refs/heads/kickoff-240510-dash"); !strings.HasPrefix(got, res.Commit.String()) {
		t.Errorf("remote has %q", got)
	}
	if got := g.Git("branch", "--show-current"); got != "main" {
		t.Errorf("switched to %s", got)
	}
	// Again: nothing to do.
	if res, err := syncDash(t, g, kickoff.SyncOptions{}); err != nil || res.Outcome != kickoff.SyncUpToDate {
		t.Errorf("second sync: %+v, %v", res, err)
	}
}

// Conflicts: kickoff switches to the kickoff and lets git stop there for the user; with a
// dirty work tree it changes nothing and says so.
func TestSyncConflicts(t *testing.T) {
	g := syncRepo(t, "dash.txt")
	g.Write("README.md", "edited\n")
	if _, err := syncDash(t, g, kickoff.SyncOptions{}); err == nil || !strings.Contains(err.Error(), "has merge conflicts in dash.txt") || !strings.Contains(err.Error(), "README.md") {
		t.Fatalf("dirty: %v", err)
	}
	if got := g.Git("branch", "--show-current"); got != "main" {
		t.Fatalf("switched to %s with a dirty work tree", got)
	}
	g.Git("checkout", "--", "README.md")
	res, err := syncDash(t, g, kickoff.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != kickoff.SyncConflicts || !res.InWorkTree || !slices.Equal(res.Conflicts, []string{"dash.txt"}) {
		t.Errorf("result = %+v", res)
	}
	if got := g.Git("branch", "--show-current"); got != "kickoff-240510-dash" {
		t.Errorf("on %s, want the kickoff", got)
	}
	if got := g.Git("diff", "--name-only", "--diff-filter=U"); got != "dash.txt" {
		t.Errorf("unmerged paths = %q", got)
	}
}

// A local kickoff behind its remote is refused: sync never rewrites the pushed branch.
func TestSyncRefusesBehindRemote(t *testing.T) {
	g := syncRepo(t, "other.txt")
	g.Git("switch", "-q", "kickoff-240510-dash")
	g.Commit("late.txt", "late\n", "teammate")
	g.Git("push", "-q", "origin", "kickoff-240510-dash")
	g.Git("reset", "-q", "--hard", "HEAD~1")
	_, err := syncDash(t, g, kickoff.SyncOptions{})
	if err == nil || !strings.Contains(err.Error(), "kickoff-240510-dash is behind origin/kickoff-240510-dash by 1 commit: pull first") {
		t.Errorf("behind: %v", err)
	}
}
