package kickoff_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// startNew plans and runs `kickoff new dashboard`, journaled.
func startNew(t *testing.T, e *kickoff.Env) *kickoff.Journal {
	t.Helper()
	np, err := e.PlanNew(context.Background(), kickoff.NewOptions{Summary: "dashboard", Day: day, Push: true})
	if err != nil {
		t.Fatal(err)
	}
	j, err := e.Start(context.Background(), kickoff.CmdNew, np.Name.String(), &np.Plan, nil)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// Undo of new: back on main, the branch gone here and on the remote; then nothing is left
// to undo. With a commit made on the branch since, undo refuses and changes nothing.
func TestUndoNew(t *testing.T) {
	g := gittest.New(t)
	e := env(t, g)
	if j := startNew(t, e); j.State != kickoff.JournalFinished || j.Done != 3 {
		t.Fatalf("journal = %+v", j)
	}
	var undone []string
	if _, err := e.Undo(context.Background(), func(d string) { undone = append(undone, d) }); err != nil {
		t.Fatal(err)
	}
	if len(undone) != 3 || !strings.HasPrefix(undone[2], "create branch kickoff-240510-dashboard") {
		t.Errorf("undone = %q", undone)
	}
	if got := g.Git("branch", "--show-current"); got != "main" {
		t.Errorf("on %s after undo", got)
	}
	if got := g.Git("branch", "--list", "kickoff-*") + g.Git("ls-remote", "origin", "kickoff-*"); got != "" {
		t.Errorf("left after undo: %q", got)
	}
	if _, err := e.Undo(context.Background(), nil); !errors.Is(err, kickoff.ErrNothingToUndo) || !strings.Contains(err.Error(), "was undone already") {
		t.Errorf("second undo: %v", err)
	}

	startNew(t, e)
	g.Commit("dash.txt", "대시보드\n", "dashboard work")
	_, err := e.Undo(context.Background(), nil)
	var refused *kickoff.UndoRefusedError
	if !errors.As(err, &refused) || !strings.Contains(err.Error(), "kickoff-240510-dashboard has 1 commit made after it") {
		t.Fatalf("undo after a commit: %v", err)
	}
	if got := g.Git("branch", "--show-current"); got != "kickoff-240510-dashboard" {
		t.Errorf("refused undo switched to %s", got)
	}
	if got := g.Git("ls-remote", "origin", "kickoff-240510-dashboard"); got == "" {
		t.Error("refused undo deleted the remote branch")
	}
}

// Every step may be run again after it did its work (a run killed before recording it):
// it finds its work done, and the plan still ends where a clean run ends.
func TestStepsRunTwice(t *testing.T) {
	for k := 0; k < 3; k++ {
		g := gittest.New(t)
		e := env(t, g)
		np, err := e.PlanNew(context.Background(), kickoff.NewOptions{Summary: "dashboard", Day: day, Push: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i <= k; i++ {
			if err := np.Plan.Steps[i].Do(context.Background()); err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
		}
		for i := k; i < len(np.Plan.Steps); i++ {
			if err := np.Plan.Steps[i].Do(context.Background()); err != nil {
				t.Fatalf("after step %d, step %d again: %v", k+1, i+1, err)
			}
		}
		if got := g.Git("rev-parse", "--abbrev-ref", "@{upstream}"); got != "origin/kickoff-240510-dashboard" {
			t.Errorf("after step %d twice: upstream %s", k+1, got)
		}
	}
}

// What a command in progress says, by state.
func TestPendingError(t *testing.T) {
	stopped := &kickoff.Journal{Command: kickoff.CmdSync, Subject: "kickoff-240510-dash", State: kickoff.JournalStopped,
		Reason: "merging origin/main into kickoff-240510-dash stopped on merge conflicts in 대시.txt"}
	if got := (&kickoff.PendingError{Journal: stopped}).Error(); got != "a sync is in progress: resolve and run `kickoff continue`, or `kickoff abort` (merging origin/main into kickoff-240510-dash stopped on merge conflicts in 대시.txt)" {
		t.Errorf("stopped sync: %s", got)
	}
	running := &kickoff.Journal{Command: kickoff.CmdFeature, Subject: "feature/PROJ-7", State: kickoff.JournalRunning, Done: 1,
		Steps: []*kickoff.Op{{Desc: "create branch feature/PROJ-7"}, {Desc: "record that feature/PROJ-7 belongs to kickoff-240510-dash"}}}
	if got := (&kickoff.PendingError{Journal: running}).Error(); got != "`kickoff feature` of feature/PROJ-7 was interrupted after step 1 of 2 (next: record that feature/PROJ-7 belongs to kickoff-240510-dash): run `kickoff continue` to finish it, or `kickoff abort` to put everything back" {
		t.Errorf("interrupted feature: %s", got)
	}
	if !running.Pending() || !stopped.Pending() || (&kickoff.Journal{State: kickoff.JournalFinished}).Pending() {
		t.Error("Pending: running and stopped are, finished is not")
	}
}

// A pending command blocks other lifecycle commands but lets the same one resume.
func TestCheckPending(t *testing.T) {
	g := gittest.New(t)
	e := env(t, g)
	g.Git("switch", "-q", "-c", "kickoff-240510-dash")
	g.Commit("dash.txt", "킥오프\n", "kickoff side")
	g.Git("push", "-q", "-u", "origin", "kickoff-240510-dash")
	g.Git("switch", "-q", "main")
	g.Commit("dash.txt", "main\n", "main side")
	g.Git("push", "-q", "origin", "main")
	if j, err := e.CheckPending(kickoff.CmdNew, "kickoff-240511-x"); j != nil || err != nil {
		t.Fatalf("nothing pending: %v, %v", j, err)
	}
	if res, err := syncDash(t, g, kickoff.SyncOptions{}); err != nil || res.Outcome != kickoff.SyncConflicts {
		t.Fatalf("sync: %+v, %v", res, err)
	}
	var pending *kickoff.PendingError
	if _, err := e.CheckPending(kickoff.CmdSync, ""); !errors.As(err, &pending) {
		t.Errorf("a stopped sync is not resumed by sync: %v", err)
	}
	if _, err := e.CheckPending(kickoff.CmdNew, "kickoff-240511-x"); !errors.As(err, &pending) {
		t.Errorf("new while a sync is stopped: %v", err)
	}
	if _, err := e.Undo(context.Background(), nil); !errors.As(err, &pending) {
		t.Errorf("undo while a sync is stopped: %v", err)
	}
}

// Undo of a sync made in the work tree: refused while the work tree has uncommitted
// changes (moving the branch back would move them too), then done: the kickoff and its
// remote branch back at the tip before the sync.
func TestUndoSyncInTheWorkTree(t *testing.T) {
	g := syncRepo(t, "other.txt")
	g.Git("switch", "-q", "kickoff-240510-dash")
	before := g.Git("rev-parse", "HEAD")
	if res, err := syncDash(t, g, kickoff.SyncOptions{Push: true}); err != nil || res.Outcome != kickoff.SyncMerged || !res.Pushed {
		t.Fatalf("sync: %+v, %v", res, err)
	}
	g.Write("dash.txt", "작업 중\n")
	e := env(t, g)
	var refused *kickoff.UndoRefusedError
	if _, err := e.Undo(context.Background(), nil); !errors.As(err, &refused) || !strings.Contains(err.Error(), "kickoff-240510-dash is checked out with uncommitted changes (dash.txt)") {
		t.Fatalf("undo with changes: %v", err)
	}
	if got := g.Git("ls-remote", "origin", "refs/heads/kickoff-240510-dash"); strings.HasPrefix(got, before) {
		t.Fatal("a refused undo moved the remote branch")
	}
	g.Git("checkout", "--", "dash.txt")
	if _, err := e.Undo(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if got := g.Git("rev-parse", "HEAD"); got != before {
		t.Errorf("kickoff at %s, want %s", got, before)
	}
	if got := g.Git("ls-remote", "origin", "refs/heads/kickoff-240510-dash"); !strings.HasPrefix(got, before) {
		t.Errorf("remote at %q, want %s", got, before)
	}
}
