package slot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

// RollbackOptions are what `kickoff slot rollback` asks for.
type RollbackOptions struct {
	Slot   string
	To     string // deploy id; empty: the deploy before the current one
	Reason string
	NoWait bool
}

// RollbackTarget finds the deploy a rollback returns to: id, or the successful deploy
// before the current one.
func (s *Service) RollbackTarget(ctx context.Context, slot, id string) (*ledger.Record, *ledger.Record, error) {
	recs, err := s.Ledger.List(ctx, ledger.Filter{Slot: slot, Limit: -1})
	if err != nil {
		return nil, nil, fmt.Errorf("read the ledger: %w", err)
	}
	cur, err := s.Current(ctx, slot)
	if err != nil {
		return nil, nil, err
	}
	deploy := func(r ledger.Record) bool {
		return r.Outcome == ledger.OutcomeSucceeded && r.Compose != "" &&
			(r.Action == ledger.ActionRelease || r.Action == ledger.ActionRollback)
	}
	if id != "" {
		for _, r := range recs {
			if r.ID == id {
				if !deploy(r) {
					return nil, nil, fmt.Errorf("deploy %s is a %s that %s: only successful releases and rollbacks can be returned to", id, r.Action, r.Outcome)
				}
				return &r, cur, nil
			}
		}
		return nil, nil, fmt.Errorf("no deploy %s on %s: see `kickoff history --slot %s`", id, slot, slot)
	}
	for _, r := range recs {
		if deploy(r) && r.ID != recID(cur) && (cur == nil || r.Compose != cur.Compose) {
			return &r, cur, nil
		}
	}
	return nil, nil, fmt.Errorf("%s has no earlier deploy to roll back to", slot)
}

// Rollback puts the slot back exactly as a recorded deploy left it (images by digest,
// environment, compose model), recorded as a rollback.
func (s *Service) Rollback(ctx context.Context, o RollbackOptions) (*ledger.Record, error) {
	if err := s.CheckSlot(o.Slot); err != nil {
		return nil, err
	}
	lk, err := s.lock(ctx, o.Slot, "rollback", o.NoWait)
	if err != nil {
		return nil, err
	}
	defer lk.Unlock()
	target, cur, err := s.RollbackTarget(ctx, o.Slot, o.To)
	if err != nil {
		return nil, err
	}
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
	var apps []AppPlan
	rec := ledger.Record{
		Actor: s.Actor, Action: ledger.ActionRollback, Slot: o.Slot, Kickoff: target.Kickoff,
		Version: target.Version, RC: target.RC, Env: target.Env, Compose: target.Compose,
		Reason: o.Reason, RollbackOf: target.ID, Issues: target.Issues,
	}
	for _, a := range target.Apps {
		a.Changed = running[a.Name] != a.Digest
		apps = append(apps, AppPlan{Name: a.Name, To: a, Changed: a.Changed})
		rec.Apps = append(rec.Apps, a)
	}
	start := s.now()
	derr := s.deploy(ctx, eng, o.Slot, apps, []byte(target.Compose), cur)
	rec.DurationMS = s.now().Sub(start).Milliseconds()
	if derr != nil {
		return nil, s.recordFailure(ctx, rec, derr)
	}
	if s.Routes != nil {
		if err := s.Routes.ApplySlot(ctx, o.Slot); err != nil {
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
	if err := s.CheckSlot(slot); err != nil {
		return nil, err
	}
	lk, err := s.lock(ctx, slot, "down", noWait)
	if err != nil {
		return nil, err
	}
	defer lk.Unlock()
	eng, err := s.Engine(slot)
	if err != nil {
		return nil, err
	}
	if err := s.materialize(ctx, slot); err != nil {
		return nil, err
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

// materialize makes sure the slot's compose file exists on this machine (the ledger holds
// it when another machine deployed); a slot never deployed gets a file with no services.
func (s *Service) materialize(ctx context.Context, slot string) error {
	if _, err := os.Stat(s.composeFile(slot)); err == nil {
		return nil
	}
	cur, err := s.Current(ctx, slot)
	if err != nil {
		return err
	}
	content := "services: {}\n"
	if cur != nil && cur.Compose != "" {
		content = cur.Compose
	}
	return writeFile(s.composeFile(slot), []byte(content))
}

// Logs writes the slot's (or one app's) logs to w.
func (s *Service) Logs(ctx context.Context, slot, app string, tail int, follow bool, w io.Writer) error {
	if err := s.CheckSlot(slot); err != nil {
		return err
	}
	if app != "" {
		if _, ok := s.Cfg.Apps[app]; !ok {
			return fmt.Errorf("no app %q: configured apps are %v", app, s.Cfg.AppNames())
		}
	}
	cur, err := s.Current(ctx, slot)
	if err != nil {
		return err
	}
	if cur == nil {
		return fmt.Errorf("%s runs nothing: release a kickoff there first", slot)
	}
	if err := s.materialize(ctx, slot); err != nil {
		return err
	}
	eng, err := s.Engine(slot)
	if err != nil {
		return err
	}
	return eng.Logs(ctx, s.Project(slot), s.composeFile(slot), app, tail, follow, w)
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
	if err := s.CheckSlot(o.Slot); err != nil {
		return nil, err
	}
	if !o.Until.IsZero() && !o.Until.After(s.now()) {
		return nil, errors.New("--until is in the past: give a later date")
	}
	c, err := s.ActiveClaim(ctx, o.Slot)
	if err != nil {
		return nil, err
	}
	if c != nil && c.For != o.For && !o.Force {
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
	if err := s.CheckSlot(slot); err != nil {
		return nil, err
	}
	c, err := s.ActiveClaim(ctx, slot)
	if err != nil {
		return nil, err
	}
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
