package kickoff_test

import (
	"context"
	"errors"
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

// Conflicts with another branch checked out: kickoff stashes the uncommitted changes
// (untracked files too), switches to the kickoff and lets git stop there; Abort puts the
// branch, the work tree and the changes back.
func TestSyncConflictsStashAndAbort(t *testing.T) {
	g := syncRepo(t, "dash.txt")
	g.Write("README.md", "고친 README\n")
	g.Write("메모.txt", "추적 안 되는 메모\n")
	kickoffBefore := g.Git("rev-parse", "kickoff-240510-dash")
	res, err := syncDash(t, g, kickoff.SyncOptions{Push: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != kickoff.SyncConflicts || !res.InWorkTree || !slices.Equal(res.Conflicts, []string{"dash.txt"}) ||
		!res.Switched || res.SwitchedFrom != "main" || !res.Stashed {
		t.Errorf("result = %+v", res)
	}
	if got := g.Git("branch", "--show-current"); got != "kickoff-240510-dash" {
		t.Errorf("on %s, want the kickoff", got)
	}
	if got := g.Git("diff", "--name-only", "--diff-filter=U"); got != "dash.txt" {
		t.Errorf("unmerged paths = %q", got)
	}
	if got := g.Git("stash", "list"); !strings.Contains(got, "kickoff sync kickoff-240510-dash") {
		t.Errorf("stash list = %q", got)
	}
	e := env(t, g)
	if _, err := e.Sync(context.Background(), kickoff.Kickoff{Name: mustName(t, "kickoff-240510-dash")}, kickoff.SyncOptions{Push: true}); err == nil ||
		!strings.Contains(err.Error(), "a sync is in progress: resolve and run `kickoff continue`, or `kickoff abort`") {
		t.Errorf("sync again mid-merge: %v", err)
	}
	var undone []string
	if _, err := e.Abort(context.Background(), func(d string) { undone = append(undone, d) }); err != nil {
		t.Fatal(err)
	}
	if want := []string{"switch to kickoff-240510-dash", "stash your uncommitted changes"}; !slices.Equal(undone, want) {
		t.Errorf("undone = %q, want %q", undone, want)
	}
	if got := g.Git("branch", "--show-current"); got != "main" {
		t.Errorf("after abort on %s, want main", got)
	}
	if got := g.Git("status", "--porcelain"); got != "M README.md\n?? \"\\353\\251\\224\\353\\252\\250.txt\"" {
		t.Errorf("after abort the work tree has:\n%s", got)
	}
	if got := g.Git("rev-parse", "kickoff-240510-dash"); got != kickoffBefore {
		t.Error("abort left the kickoff moved")
	}
	if got := g.Git("stash", "list"); got != "" {
		t.Errorf("stash left: %q", got)
	}
}

// Continue refuses while conflicts remain, then commits the resolved merge, pushes it and
// switches back.
func TestSyncContinue(t *testing.T) {
	g := syncRepo(t, "dash.txt")
	if res, err := syncDash(t, g, kickoff.SyncOptions{Push: true}); err != nil || res.Outcome != kickoff.SyncConflicts {
		t.Fatalf("sync: %+v, %v", res, err)
	}
	e := env(t, g)
	var stopped *kickoff.StoppedError
	if _, err := e.Continue(context.Background(), nil); !errors.As(err, &stopped) || !slices.Equal(stopped.Conflicts, []string{"dash.txt"}) {
		t.Fatalf("continue with conflicts: %v", err)
	}
	g.Git("add", "dash.txt") // still holding the markers
	if _, err := e.Continue(context.Background(), nil); !errors.As(err, &stopped) || !slices.Equal(stopped.Markers, []string{"dash.txt"}) {
		t.Fatalf("continue with markers: %v", err)
	}
	g.Write("dash.txt", "대시보드와 main 둘 다\n")
	g.Git("add", "dash.txt")
	j, err := e.Continue(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	commit, pushed := kickoff.SyncedCommit(j)
	if !pushed || g.Git("rev-parse", "kickoff-240510-dash") != commit.String() || g.Git("rev-parse", "origin/kickoff-240510-dash") != commit.String() {
		t.Errorf("merge %s pushed=%v; local %s", commit, pushed, g.Git("rev-parse", "kickoff-240510-dash"))
	}
	if got := g.Git("log", "-1", "--format=%P", "kickoff-240510-dash"); got != j.Steps[1].Old+" "+g.Git("rev-parse", "origin/main") {
		t.Errorf("parents = %s", got)
	}
	if got := g.Git("branch", "--show-current"); got != "main" {
		t.Errorf("after continue on %s, want main", got)
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

func mustName(t *testing.T, s string) kickoff.Name {
	t.Helper()
	n, err := kickoff.ParseName(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
