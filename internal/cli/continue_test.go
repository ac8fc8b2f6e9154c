package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestContinueAbortUndoFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdContinue, "--json"); err != nil || !o.JSON {
		t.Errorf("continue options = %+v, %v", o, err)
	}
	if o, err := parseFlags(t, newCmdAbort, "--json"); err != nil || !o.JSON {
		t.Errorf("abort options = %+v, %v", o, err)
	}
	if o, err := parseFlags(t, newCmdUndo); err != nil || o.JSON {
		t.Errorf("undo options = %+v, %v", o, err)
	}
	wantUsage(t, newCmdContinue, "extra")
	wantUsage(t, newCmdAbort, "extra")
	wantUsage(t, newCmdUndo, "extra")
}

// conflictingKickoff leaves k checked out with a commit that conflicts with main's latest.
func conflictingKickoff(t *testing.T, k string) *gittest.Repo {
	r := gittest.New(t)
	newKickoff(t, r, k)
	r.Commit("README.md", "킥오프 쪽\n", "kickoff edit")
	r.Git("push", "-q")
	r.Git("checkout", "-q", "main")
	r.Commit("README.md", "main 쪽\n", "main edit")
	r.Git("push", "-q", "origin", "main")
	r.Git("checkout", "-q", k)
	return r
}

// A stopped sync: status shows it, continue says what is left, then finishes and pushes;
// with --json it lists the steps it ran.
func TestContinueRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := conflictingKickoff(t, k)
	f, _, errOut := repoFactory(t, r.Dir)
	if err := syncRun(&SyncOptions{F: f, Ctx: t.Context()}); err != ErrSilent {
		t.Fatalf("sync: %v", err)
	}
	want := "kickoff: merging origin/main into " + k + " stopped on conflicts in:\n  README.md\n" +
		"Resolve the conflicts and `git add` the files, then run `kickoff continue` (it commits the merge, pushes " + k + "),\n" +
		"or run `kickoff abort` to put everything back as it was.\n"
	if errOut.String() != want {
		t.Errorf("sync stderr:\n%s\nwant:\n%s", errOut, want)
	}

	f, out, _ := repoFactory(t, r.Dir)
	if err := statusRun(&StatusOptions{F: f, Ctx: t.Context()}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "  in progress: `kickoff sync` of "+k+" stopped: merging origin/main into "+k+" stopped on merge conflicts in README.md\n") {
		t.Errorf("status:\n%s", out)
	}

	f, _, errOut = repoFactory(t, r.Dir)
	if err := continueRun(&ContinueOptions{F: f, Ctx: t.Context()}); err != ErrSilent || !strings.Contains(errOut.String(), "stopped on conflicts in:\n  README.md\n") {
		t.Errorf("continue with conflicts: %v\n%s", err, errOut)
	}

	r.Write("README.md", "둘 다\n")
	r.Git("add", "README.md")
	f, out, _ = repoFactory(t, r.Dir)
	if err := continueRun(&ContinueOptions{F: f, Ctx: t.Context(), JSON: true}); err != nil {
		t.Fatal(err)
	}
	var res journalResult
	decode(t, out.Bytes(), &res)
	if res.Command != "sync" || res.Subject != k || res.Outcome != "finished" || len(res.Steps) != 2 || res.Steps[1] != "push "+k+" to origin" {
		t.Errorf("continue --json = %+v", res)
	}
	if local, remote := r.Git("rev-parse", k), r.Git("ls-remote", "origin", "refs/heads/"+k); !strings.HasPrefix(remote, local) {
		t.Errorf("remote %q, local %s", remote, local)
	}
}

// Abort with nothing in progress says so; undo after an abort says there is nothing to undo.
func TestAbortAndUndoRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := conflictingKickoff(t, k)
	before := r.Git("rev-parse", "HEAD")
	f, _, _ := repoFactory(t, r.Dir)
	if err := abortRun(&AbortOptions{F: f, Ctx: t.Context()}); err == nil || !strings.Contains(err.Error(), "no kickoff command is in progress") {
		t.Errorf("abort with nothing in progress: %v", err)
	}
	f, _, _ = repoFactory(t, r.Dir)
	if err := syncRun(&SyncOptions{F: f, Ctx: t.Context()}); err != ErrSilent {
		t.Fatalf("sync: %v", err)
	}
	f, out, _ := repoFactory(t, r.Dir)
	if err := abortRun(&AbortOptions{F: f, Ctx: t.Context(), JSON: true}); err != nil {
		t.Fatal(err)
	}
	var res journalResult
	decode(t, out.Bytes(), &res)
	if res.Outcome != "aborted" || res.Subject != k {
		t.Errorf("abort --json = %+v", res)
	}
	if r.Git("rev-parse", "HEAD") != before || r.Git("status", "--porcelain") != "" {
		t.Error("abort did not put the kickoff back")
	}
	f, _, _ = repoFactory(t, r.Dir)
	if err := undoRun(&UndoOptions{F: f, Ctx: t.Context()}); err == nil || !strings.Contains(err.Error(), "nothing to undo: the last command, `kickoff sync` of "+k+", was aborted") {
		t.Errorf("undo after abort: %v", err)
	}
}
