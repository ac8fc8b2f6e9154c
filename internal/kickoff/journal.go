package kickoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// The journal: a lifecycle command's plan, recorded in the state folder before its first
// step and after each one (git-town's run state). A run killed at any point is resumed from
// it, a sync stopped on conflicts is continued or aborted from it, and the last command that
// finished is undone from it: its steps inverted, newest first.

// Lifecycle commands that keep a journal.
const (
	CmdNew     = "new"
	CmdFeature = "feature"
	CmdSync    = "sync"
)

// journalFile and lockFile are under the state folder.
var (
	journalFile = filepath.Join("lifecycle", "journal.json")
	lockFile    = filepath.Join("lifecycle", "lock")
)

// StopAfterEnv is a test-only hook: KICKOFF_TEST_STOP_AFTER=N kills the process (SIGKILL,
// as kill -9 would) right after step N did its work and before the journal records it (N=0:
// after the journal is first written, before any step). The stories use it to interrupt the
// real binary at every step and resume. Never set it otherwise.
const StopAfterEnv = "KICKOFF_TEST_STOP_AFTER"

// JournalState is where a journaled command stands.
type JournalState string

// Journal states. Running and stopped are pending: new lifecycle commands wait for them.
const (
	JournalRunning    JournalState = "running"     // started, not ended: interrupted unless it is running now
	JournalStopped    JournalState = "stopped"     // waiting for the user (a merge stopped on conflicts)
	JournalFinished   JournalState = "finished"    // every step done: `kickoff undo` can take it back
	JournalRolledBack JournalState = "rolled-back" // a step failed (or Ctrl-C): the done steps were undone
	JournalAborted    JournalState = "aborted"     // `kickoff abort` put everything back
	JournalUndone     JournalState = "undone"      // `kickoff undo` took it back
	JournalUndoing    JournalState = "undoing"     // `kickoff undo` stopped part-way: run it again
)

// Journal is one lifecycle command's plan and progress.
type Journal struct {
	Version  int          `json:"version"`
	Command  string       `json:"command"`   // new, feature, sync
	Subject  string       `json:"subject"`   // the branch it is about
	WorkTree string       `json:"work_tree"` // the work tree it runs in
	Started  time.Time    `json:"started"`
	State    JournalState `json:"state"`
	Done     int          `json:"done"`             // steps done, from the first
	Reason   string       `json:"reason,omitempty"` // why it stopped or failed
	Steps    []*Op        `json:"steps"`
}

// Pending reports whether the command is still under way (running or stopped).
func (j *Journal) Pending() bool { return j.State == JournalRunning || j.State == JournalStopped }

// Title names the command for messages: "`kickoff sync` of kickoff-240510-dashboard".
func (j *Journal) Title() string { return fmt.Sprintf("`kickoff %s` of %s", j.Command, j.Subject) }

// Next is the step to run next ("" when none is left).
func (j *Journal) Next() string {
	if j.Done < len(j.Steps) {
		return j.Steps[j.Done].Desc
	}
	return ""
}

// SwitchedFrom is the branch a command switched the work tree away from to do its work
// there, to switch back at the end (a sync that stopped on conflicts); ok is false when it
// did not switch (from is "" when HEAD was detached).
func (j *Journal) SwitchedFrom() (from string, ok bool) {
	for _, op := range j.Steps {
		if op.Kind == OpSwitch && op.Transient && op.Branch == j.Subject {
			return op.From, true
		}
	}
	return "", false
}

// Stashed reports whether the command stashes the work tree's changes on the way.
func (j *Journal) Stashed() bool {
	for _, op := range j.Steps {
		if op.Kind == OpStash {
			return true
		}
	}
	return false
}

// Pushes reports whether the command pushes a branch.
func (j *Journal) Pushes() bool {
	for _, op := range j.Steps {
		if op.Kind == OpPush && op.Branch != "" {
			return true
		}
	}
	return false
}

// Stop is what stopped the command, when it is stopped on a merge: the files still in
// conflict (or still holding markers).
func (j *Journal) Stop() *Op {
	if j.State == JournalStopped && j.Done < len(j.Steps) && j.Steps[j.Done].Kind == OpMerge {
		return j.Steps[j.Done]
	}
	return nil
}

// PendingError is a lifecycle command refused because another one is under way.
type PendingError struct{ Journal *Journal }

func (e *PendingError) Error() string {
	j := e.Journal
	if j.State == JournalStopped && j.Command == CmdSync {
		return fmt.Sprintf("a sync is in progress: resolve and run `kickoff continue`, or `kickoff abort` (%s)", j.Reason)
	}
	if j.State == JournalStopped {
		return fmt.Sprintf("%s stopped (%s): run `kickoff continue` when ready, or `kickoff abort`", j.Title(), j.Reason)
	}
	return fmt.Sprintf("%s was interrupted after step %d of %d (next: %s): run `kickoff continue` to finish it, or `kickoff abort` to put everything back",
		j.Title(), j.Done, len(j.Steps), j.Next())
}

// UndoRefusedError is an undo that would lose work done after the command; nothing was changed.
type UndoRefusedError struct {
	Journal *Journal
	Reasons []string
}

func (e *UndoRefusedError) Error() string {
	return fmt.Sprintf("cannot undo %s: %s; nothing was changed", e.Journal.Title(), strings.Join(e.Reasons, "; "))
}

// ErrNothingPending and ErrNothingToUndo: continue/abort and undo with nothing to act on.
var (
	ErrNothingPending = errors.New("no kickoff command is in progress")
	ErrNothingToUndo  = errors.New("nothing to undo")
)

func (e *Env) stateDir() string {
	if e.StateDir != "" {
		return e.StateDir
	}
	return e.Repo.StateDir("")
}

// lockJournal takes the lifecycle lock, so two kickoff commands never write one journal;
// the caller releases it with the returned func (the OS does when a killed process ends).
func (e *Env) lockJournal() (unlock func(), err error) {
	fl, err := gitrepo.StateLock(e.stateDir(), lockFile)
	if err != nil {
		return nil, err
	}
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", fl.Path(), err)
	}
	if !ok {
		return nil, errors.New("another kickoff command is changing this repository right now: wait for it to end, then run this again")
	}
	return func() { _ = fl.Unlock() }, nil
}

// Journal reads the last journaled command; nil when there is none.
func (e *Env) Journal() (*Journal, error) {
	f, err := gitrepo.OpenStateFile(e.stateDir(), journalFile, os.O_RDONLY)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return nil, err
	}
	var j Journal
	if err := json.Unmarshal(data, &j); err != nil || j.Version != 1 {
		return nil, fmt.Errorf("%s is not a journal this kickoff reads (%v): remove it if no kickoff command is in progress", filepath.Join(e.stateDir(), journalFile), err)
	}
	return &j, nil
}

func (e *Env) saveJournal(j *Journal) error {
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	return gitrepo.WriteStateFile(e.stateDir(), journalFile, append(data, '\n'))
}

// CheckPending is called by new, feature and sync before they plan: with nothing under way
// it returns nil; an interrupted run of the same command on the same subject ("" for any)
// is returned, for the caller to resume it with Continue; anything else under way is a
// *PendingError.
func (e *Env) CheckPending(command, subject string) (*Journal, error) {
	j, err := e.Journal()
	if err != nil || j == nil || !j.Pending() {
		return nil, err
	}
	if j.State == JournalRunning && j.Command == command && (subject == "" || subject == j.Subject) {
		return j, nil
	}
	return nil, &PendingError{Journal: j}
}

// pending loads the command under way (running or stopped), or ErrNothingPending.
func (e *Env) pending() (*Journal, error) {
	j, err := e.Journal()
	if err != nil {
		return nil, err
	}
	if j == nil || !j.Pending() {
		return nil, fmt.Errorf("%w: nothing to continue or abort", ErrNothingPending)
	}
	return j, e.sameWorkTree(j)
}

// Start journals plan as command on subject and runs it, reporting each step done through
// done (may be nil). Every step that does something must be an Op; informational steps are
// left out. It returns the journal and, when a step stopped for the user, a *StoppedError.
func (e *Env) Start(ctx context.Context, command, subject string, p *Plan, done func(desc string)) (*Journal, error) {
	unlock, err := e.lockJournal()
	if err != nil {
		return nil, err
	}
	defer unlock()
	if prev, err := e.Journal(); err != nil {
		return nil, err
	} else if prev != nil && prev.Pending() {
		return nil, &PendingError{Journal: prev}
	}
	j := &Journal{Version: 1, Command: command, Subject: subject, WorkTree: e.Repo.Root, Started: time.Now().UTC(), State: JournalRunning}
	for _, s := range p.Steps {
		if s.Do == nil {
			continue
		}
		if s.Op == nil {
			return nil, fmt.Errorf("step %q cannot be journaled", s.Desc)
		}
		j.Steps = append(j.Steps, s.Op)
	}
	if err := e.saveJournal(j); err != nil {
		return nil, err
	}
	e.testStop(0)
	return j, e.run(ctx, j, done)
}

// Continue resumes the command under way at its first step not done: after an
// interruption, or once the user resolved what stopped it. A step that stops again (conflicts
// left) is a *StoppedError.
func (e *Env) Continue(ctx context.Context, done func(desc string)) (*Journal, error) {
	unlock, err := e.lockJournal()
	if err != nil {
		return nil, err
	}
	defer unlock()
	j, err := e.pending()
	if err != nil {
		return nil, err
	}
	j.State, j.Reason = JournalRunning, ""
	if err := e.saveJournal(j); err != nil {
		return nil, err
	}
	return j, e.run(ctx, j, done)
}

func (e *Env) sameWorkTree(j *Journal) error {
	if j.WorkTree != "" && filepath.Clean(j.WorkTree) != filepath.Clean(e.Repo.Root) {
		return fmt.Errorf("%s runs in the work tree %s: run kickoff there", j.Title(), j.WorkTree)
	}
	return nil
}

// run runs j's steps from the first not done. A step that stops for the user leaves the
// journal stopped; one that fails (or Ctrl-C) undoes the steps done, newest first.
func (e *Env) run(ctx context.Context, j *Journal, done func(desc string)) error {
	for i := j.Done; i < len(j.Steps); i++ {
		op := j.Steps[i]
		if op.Kind == OpPush && op.At == "" {
			// Pushing what an earlier step made (the merge commit): fixed, and recorded, before
			// it leaves, so that undo pushes back from exactly it.
			op.At = e.refHash(plumbing.ReferenceName(op.Ref)).String()
			if err := e.saveJournal(j); err != nil {
				return err
			}
		}
		err := ctx.Err()
		if err == nil {
			do := func(ctx context.Context) error { return e.doOp(ctx, op) }
			if e.Observe != nil {
				err = e.Observe(ctx, op.Desc, do)
			} else {
				err = do(ctx)
			}
		}
		var stopped *StoppedError
		if errors.As(err, &stopped) {
			j.State, j.Done, j.Reason = JournalStopped, i, stopped.Error()
			if serr := e.saveJournal(j); serr != nil {
				return fmt.Errorf("%w (and recording it failed: %v)", err, serr)
			}
			return err
		}
		if err != nil {
			return e.rollback(ctx, j, i, err)
		}
		e.testStop(i + 1)
		j.Done = i + 1
		if err := e.saveJournal(j); err != nil {
			return fmt.Errorf("%s was done, but recording it failed: %w", op.Desc, err)
		}
		if done != nil {
			done(op.Desc)
		}
	}
	j.State = JournalFinished
	return e.saveJournal(j)
}

// rollback undoes steps [0, failed) newest first after step failed could not be done.
func (e *Env) rollback(ctx context.Context, j *Journal, failed int, cause error) error {
	uctx := context.WithoutCancel(ctx)
	_ = e.abortOp(uctx, j.Steps[failed])
	re := &RunError{Step: j.Steps[failed].Desc, Err: cause}
	for k := failed - 1; k >= 0; k-- {
		if err := e.undoStep(uctx, j.Steps[k]); err != nil {
			re.UndoErrs = append(re.UndoErrs, fmt.Errorf("undo %q: %w", j.Steps[k].Desc, err))
		} else {
			re.Undone = append(re.Undone, j.Steps[k].Desc)
			e.note("undid: %s\n", j.Steps[k].Desc)
		}
	}
	j.State, j.Done = JournalRolledBack, 0
	j.Reason = re.Error()
	if len(re.UndoErrs) > 0 {
		j.Done = failed
	}
	_ = e.saveJournal(j)
	return re
}

func (e *Env) undoStep(ctx context.Context, op *Op) error {
	if err := e.undoCheck(ctx, op); err != nil {
		return err
	}
	return e.undoOp(ctx, op)
}

// Abort puts back what a pending command did: the step it stopped in (a merge in progress)
// is abandoned, then the steps done are undone, newest first, each recorded as it goes, so
// an abort that fails part-way can be run again (or continued).
func (e *Env) Abort(ctx context.Context, undone func(desc string)) (*Journal, error) {
	unlock, err := e.lockJournal()
	if err != nil {
		return nil, err
	}
	defer unlock()
	j, err := e.pending()
	if err != nil {
		return nil, err
	}
	return j, e.abort(ctx, j, undone)
}

func (e *Env) abort(ctx context.Context, j *Journal, undone func(desc string)) error {
	if j.Done < len(j.Steps) {
		// The step it stopped in, or was killed in (maybe after doing its work): abandon it
		// and take back whatever of it happened.
		op := j.Steps[j.Done]
		if err := e.abortOp(ctx, op); err != nil {
			return fmt.Errorf("abort %q: %w", op.Desc, err)
		}
		if err := e.undoStep(ctx, op); err != nil {
			return fmt.Errorf("undo %q: %w (run `kickoff abort` again once fixed)", op.Desc, err)
		}
	}
	for j.Done > 0 {
		op := j.Steps[j.Done-1]
		if err := e.undoStep(ctx, op); err != nil {
			_ = e.saveJournal(j)
			return fmt.Errorf("undo %q: %w (run `kickoff abort` again once fixed)", op.Desc, err)
		}
		j.Done--
		if err := e.saveJournal(j); err != nil {
			return err
		}
		if undone != nil {
			undone(op.Desc)
		}
	}
	j.State, j.Reason = JournalAborted, ""
	return e.saveJournal(j)
}

// lastFinished returns the last journaled command when `kickoff undo` can take it back.
func (e *Env) lastFinished() (*Journal, error) {
	j, err := e.Journal()
	if err != nil {
		return nil, err
	}
	switch {
	case j == nil:
		return nil, fmt.Errorf("%w: no `kickoff new`, `feature` or `sync` has run in this repository yet", ErrNothingToUndo)
	case j.Pending():
		return nil, &PendingError{Journal: j}
	case j.State == JournalFinished || j.State == JournalUndoing:
		return j, e.sameWorkTree(j)
	}
	return nil, fmt.Errorf("%w: the last command, %s, %s", ErrNothingToUndo, j.Title(), map[JournalState]string{
		JournalRolledBack: "failed and was rolled back",
		JournalAborted:    "was aborted",
		JournalUndone:     "was undone already",
	}[j.State])
}

// Undo takes back a finished command: every step it took, newest first (but the ones the
// command itself took back, such as switching back), after checking that none of them would
// lose work done since (commits on a branch it made or moved, a push by someone else); when
// one would, it refuses with the reasons and changes nothing.
func (e *Env) Undo(ctx context.Context, undone func(desc string)) (*Journal, error) {
	unlock, err := e.lockJournal()
	if err != nil {
		return nil, err
	}
	defer unlock()
	j, err := e.lastFinished()
	if err != nil {
		return nil, err
	}
	return j, e.undo(ctx, j, undone)
}

func (e *Env) undo(ctx context.Context, j *Journal, undone func(desc string)) error {
	var reasons []string
	for k := j.Done - 1; k >= 0; k-- {
		if op := j.Steps[k]; !op.Transient {
			if err := e.undoCheck(ctx, op); err != nil {
				reasons = append(reasons, err.Error())
			}
		}
	}
	if len(reasons) > 0 {
		return &UndoRefusedError{Journal: j, Reasons: reasons}
	}
	j.State = JournalUndoing
	for j.Done > 0 {
		op := j.Steps[j.Done-1]
		if !op.Transient {
			if err := e.undoOp(ctx, op); err != nil {
				_ = e.saveJournal(j)
				return fmt.Errorf("undo %q: %w (run `kickoff undo` again once fixed)", op.Desc, err)
			}
			if undone != nil {
				undone(op.Desc)
			}
		}
		j.Done--
		if err := e.saveJournal(j); err != nil {
			return err
		}
	}
	j.State = JournalUndone
	return e.saveJournal(j)
}

// testStop is the StopAfterEnv hook.
func (e *Env) testStop(step int) {
	if v := e.getenv(StopAfterEnv); v != "" && v == strconv.Itoa(step) {
		p, err := os.FindProcess(os.Getpid())
		if err == nil {
			_ = p.Kill()
			select {} // the signal ends the process
		}
	}
}
