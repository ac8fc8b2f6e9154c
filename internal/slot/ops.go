package slot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// RollbackOptions are what `kickoff slot rollback` asks for.
type RollbackOptions struct {
	Slot   string
	To     string // deploy id; empty: the deploy before the current one
	Reason string
	NoWait bool
	Wait   time.Duration // how long to wait for another deployer's lock; 0: DefaultLockWait
}

// rollbackTarget finds the deploy a rollback of a slot returns to, from the slot's records
// (newest first) and their replay: the deploy id names, else the newest successful deploy
// that is not what the slot runs now.
func rollbackTarget(st ledger.SlotState, recs []ledger.Record, id string) (*ledger.Record, error) {
	deploy := func(r ledger.Record) bool {
		return r.Outcome == ledger.OutcomeSucceeded && len(r.Apps) > 0 &&
			(r.Action == ledger.ActionRelease || r.Action == ledger.ActionRollback)
	}
	if id != "" {
		for _, r := range recs {
			if r.ID == id {
				if !deploy(r) {
					return nil, fmt.Errorf("deploy %s is a %s that %s: only successful releases and rollbacks can be returned to", id, r.Action, r.Outcome)
				}
				return &r, nil
			}
		}
		return nil, fmt.Errorf("no deploy %s on %s: see `kickoff history --slot %s`", id, st.Slot, st.Slot)
	}
	cur := st.Current
	for _, r := range recs {
		if deploy(r) && (cur == nil || (r.ID != cur.ID && !sameDeploy(&r, cur))) {
			return &r, nil
		}
	}
	return nil, fmt.Errorf("%s has no earlier deploy to roll back to", st.Slot)
}

// Rollback puts the slot back as a recorded deploy left it, recorded as a rollback: the
// team's compose file as committed at the deploy's commit, with its images by digest. The
// record is verified and the model rendered before anything changes; a record that does
// not verify (a *RecordError) changes nothing.
func (s *Service) Rollback(ctx context.Context, o RollbackOptions) (*ledger.Record, error) {
	if err := ledger.CheckSlot(s.Cfg.Slots, o.Slot); err != nil {
		return nil, err
	}
	lk, err := s.lock(ctx, o.Slot, "rollback", lockWait(o.NoWait, o.Wait))
	if err != nil {
		return nil, err
	}
	defer lk.Unlock()
	// The slot's records to choose from, every one (a rollback being rare and deliberate),
	// and its state from the same read.
	recs, err := s.Ledger.List(ctx, ledger.Filter{Slot: o.Slot, Limit: -1})
	if err != nil {
		return nil, fmt.Errorf("read the ledger: %w", err)
	}
	st, _ := ledger.State(ledger.States(recs, []string{o.Slot}, s.now()), o.Slot)
	target, err := rollbackTarget(st, recs, o.To)
	if err != nil {
		return nil, err
	}
	cur := st.Current
	eng, err := s.Engine(o.Slot)
	if err != nil {
		return nil, err
	}
	running := map[string]string{}
	if cur != nil {
		for _, a := range cur.Apps {
			running[a.Name] = a.Digest
		}
	}
	r, err := s.renderRecord(ctx, o.Slot, target)
	if err != nil {
		return nil, err
	}
	rec := ledger.Record{
		Actor: s.Actor, Action: ledger.ActionRollback, Slot: o.Slot, Kickoff: target.Kickoff,
		Version: target.Version, RC: target.RC, Commit: r.Commit,
		Reason: o.Reason, RollbackOf: target.ID, Issues: target.Issues,
	}
	for i := range r.Apps {
		a := &r.Apps[i]
		a.Changed = running[a.Name] != a.To.Digest
		a.To.Changed = a.Changed
		rec.Apps = append(rec.Apps, a.To)
	}
	if err := s.seal(ctx, &rec, r.Canonical); err != nil {
		return nil, err
	}
	start := s.now()
	derr := s.deploy(ctx, eng, o.Slot, r.Apps, r.Model, cur)
	rec.DurationMS = s.now().Sub(start).Milliseconds()
	if derr != nil {
		return nil, s.recordFailure(ctx, rec, derr)
	}
	if s.Routes != nil {
		if err := s.Routes.ApplySlot(ctx, o.Slot, nil); err != nil {
			s.notify("rolled back, but applying the routes of %s failed: %v", o.Slot, err)
		}
	}
	rec.Outcome = ledger.OutcomeSucceeded
	saved, err := s.Ledger.Append(context.WithoutCancel(ctx), rec)
	if err != nil {
		return nil, fmt.Errorf("rolled back %s, but recording it in the ledger failed: %w", o.Slot, err)
	}
	return &saved, nil
}

// Down stops and removes the slot's containers and network, recorded in the ledger.
func (s *Service) Down(ctx context.Context, slot, reason string, noWait bool) (*ledger.Record, error) {
	if err := ledger.CheckSlot(s.Cfg.Slots, slot); err != nil {
		return nil, err
	}
	lk, err := s.lock(ctx, slot, "down", lockWait(noWait, 0))
	if err != nil {
		return nil, err
	}
	defer lk.Unlock()
	eng, err := s.Engine(slot)
	if err != nil {
		return nil, err
	}
	st, err := s.read(ctx, slot)
	if err != nil {
		return nil, err
	}
	if err := s.materialize(ctx, slot, st.Current); err != nil {
		// Down needs no model: the project's containers go as orphans of an empty one.
		s.notify("%v\nbringing %s down as an empty project", err, slot)
		if err := s.writeComposeFile(slot, []byte("services: {}\n")); err != nil {
			return nil, err
		}
	}
	if err := eng.Down(ctx, s.Project(slot), s.composeFile(slot)); err != nil {
		return nil, fmt.Errorf("bring %s down: %w", slot, err)
	}
	_ = os.Remove(s.composeFile(slot))
	rec, err := s.Ledger.Append(context.WithoutCancel(ctx), ledger.Record{
		Actor: s.Actor, Action: ledger.ActionDown, Slot: slot, Outcome: ledger.OutcomeSucceeded, Reason: reason,
	})
	if err != nil {
		return nil, fmt.Errorf("%s is down, but recording it in the ledger failed: %w", slot, err)
	}
	return &rec, nil
}

// materialize makes sure the slot's compose file exists on this machine (another machine
// deployed): cur rendered again (renderRecord, never a model from the ledger), or no
// services when cur is nil.
func (s *Service) materialize(ctx context.Context, slot string, cur *ledger.Record) error {
	if _, err := os.Stat(s.composeFile(slot)); err == nil {
		return nil
	}
	content := []byte("services: {}\n")
	if cur != nil {
		r, err := s.renderRecord(ctx, slot, cur)
		if err != nil {
			return err
		}
		content = r.Model
	}
	return s.writeComposeFile(slot, content)
}

// Logs writes the slot's logs to w, or one app's or other service's (a database).
func (s *Service) Logs(ctx context.Context, slot, name string, tail int, follow bool, w io.Writer) error {
	eng, err := s.serviceEngine(ctx, slot, name)
	if err != nil {
		return err
	}
	return eng.Logs(ctx, s.Project(slot), s.composeFile(slot), name, tail, follow, w)
}

// ClaimOptions are what `kickoff slot claim` asks for.
type ClaimOptions struct {
	Slot  string
	For   string
	Until time.Time
	Note  string
	Force bool
}

// Claim reserves a slot for a kickoff. A slot claimed for another kickoff is refused
// without Force.
func (s *Service) Claim(ctx context.Context, o ClaimOptions) (*ledger.Record, error) {
	if err := ledger.CheckSlot(s.Cfg.Slots, o.Slot); err != nil {
		return nil, err
	}
	if !o.Until.IsZero() && !o.Until.After(s.now()) {
		return nil, errors.New("--until is in the past: give a later date")
	}
	st, err := s.read(ctx, o.Slot)
	if err != nil {
		return nil, err
	}
	if c := st.Claim; c != nil && c.For != o.For && !o.Force {
		ce := &ClaimedError{Slot: o.Slot, Claim: *c}
		return nil, fmt.Errorf("%s: claim it anyway with --force, or ask them to free it", ce.Holder())
	}
	rec, err := s.Ledger.Append(ctx, ledger.Record{
		Actor: s.Actor, Action: ledger.ActionClaim, Slot: o.Slot, Kickoff: o.For, Outcome: ledger.OutcomeSucceeded,
		Reason: o.Note, Claim: &ledger.Claim{For: o.For, By: s.Actor, Until: o.Until, Note: o.Note},
	})
	if err != nil {
		return nil, fmt.Errorf("record the claim: %w", err)
	}
	return &rec, nil
}

// Free ends the slot's reservation.
func (s *Service) Free(ctx context.Context, slot string) (*ledger.Record, error) {
	if err := ledger.CheckSlot(s.Cfg.Slots, slot); err != nil {
		return nil, err
	}
	st, err := s.read(ctx, slot)
	if err != nil {
		return nil, err
	}
	c := st.Claim
	if c == nil {
		return nil, fmt.Errorf("%s is not claimed", slot)
	}
	rec, err := s.Ledger.Append(ctx, ledger.Record{
		Actor: s.Actor, Action: ledger.ActionFree, Slot: slot, Kickoff: c.For, Outcome: ledger.OutcomeSucceeded,
	})
	if err != nil {
		return nil, fmt.Errorf("record freeing %s: %w", slot, err)
	}
	return &rec, nil
}

// serviceEngine checks slot and its app or other service name ("" is the whole slot) and
// gives the engine of the slot's host.
func (s *Service) serviceEngine(ctx context.Context, slot, name string) (*compose.Engine, error) {
	if err := ledger.CheckSlot(s.Cfg.Slots, slot); err != nil {
		return nil, err
	}
	if err := s.service(ctx, slot, name); err != nil {
		return nil, err
	}
	return s.Engine(slot)
}
