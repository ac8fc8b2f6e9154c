package slot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// Result is what a release or rollback did.
type Result struct {
	Plan   *Plan
	NoOp   bool           // the slot already ran this; nothing changed and nothing was recorded
	Record *ledger.Record // the ledger entry, nil for a dry run or a no-op
}

// ClaimedError refuses a release into a slot reserved for another kickoff.
type ClaimedError struct {
	Slot  string
	Claim ledger.Claim
}

func (e *ClaimedError) Error() string {
	until := "until it is freed"
	if !e.Claim.Until.IsZero() {
		until = "until " + e.Claim.Until.UTC().Format("2006-01-02 15:04 MST")
	}
	msg := fmt.Sprintf("%s is claimed for %s by %s %s", e.Slot, e.Claim.For, e.Claim.By, until)
	if e.Claim.Note != "" {
		msg += " (" + e.Claim.Note + ")"
	}
	return msg + e.tail()
}

func (e *ClaimedError) tail() string {
	return ": release there with --force, ask them to `kickoff slot free " + e.Slot + "`, or pick another slot"
}

// Holder says who holds the claim and until when, without advice.
func (e *ClaimedError) Holder() string { s := e.Error(); return s[:len(s)-len(e.tail())] }

// DeployError is a failed deploy: which app failed, its last log lines, and whether the
// slot was put back as it was.
type DeployError struct {
	Slot        string
	App         string
	Err         error
	Logs        string
	RolledBack  bool
	RollbackErr error
}

func (e *DeployError) Error() string {
	var b strings.Builder
	what := "deploy"
	if e.App != "" {
		what = "app " + e.App
	}
	fmt.Fprintf(&b, "release to %s failed: %s: %v", e.Slot, what, e.Err)
	if e.Logs != "" {
		fmt.Fprintf(&b, "\nlast log lines of %s:\n%s", e.App, strings.TrimRight(e.Logs, "\n"))
	}
	if e.RolledBack {
		fmt.Fprintf(&b, "\n%s was rolled back to what ran before; nothing else changed", e.Slot)
	} else if e.RollbackErr != nil {
		fmt.Fprintf(&b, "\nrolling %s back failed too: %v\nrun `kickoff slot status %s` and `kickoff slot rollback %s`", e.Slot, e.RollbackErr, e.Slot, e.Slot)
	}
	return b.String()
}
func (e *DeployError) Unwrap() error { return e.Err }

// Release deploys a kickoff to a slot: lock, version, plan (images checked), pull, up,
// health gate, rc tag, routes, ledger. A failed deploy puts the slot back as it was.
//
// The ledger is read once, under the slot's lock: the claim, the plan and the state to put
// back on failure all come from that read, and no other release can change the slot before
// the deploy. A dry run changes nothing, so it reads without the lock.
func (s *Service) Release(ctx context.Context, o ReleaseOptions) (*Result, error) {
	if err := s.checkRelease(o); err != nil {
		return nil, err
	}
	if !o.DryRun {
		lk, err := s.lock(ctx, o.Slot, "release "+o.Kickoff, lockWait(o.NoWait, o.Wait))
		if err != nil {
			return nil, err
		}
		defer lk.Unlock()
	}
	st, err := s.read(ctx, o.Slot)
	if err != nil {
		return nil, err
	}
	if err := checkClaim(st, o); err != nil {
		return nil, err
	}
	version := ""
	if s.Versions != nil {
		v, err := s.Versions.EnsureVersion(ctx, o.Kickoff, o.DryRun)
		if err != nil {
			return nil, fmt.Errorf("platform version of %s: %w", o.Kickoff, err)
		}
		version = v
	}
	plan, err := s.MakePlan(ctx, o, version, st.Current)
	if err != nil {
		return nil, err
	}
	if o.DryRun {
		return &Result{Plan: plan, NoOp: plan.NoOp()}, nil
	}
	eng, err := s.Engine(o.Slot)
	if err != nil {
		return nil, err
	}
	if plan.NoOp() && s.allRunning(ctx, eng, plan) {
		if err := s.ensureFile(o.Slot, plan.Compose); err != nil {
			return nil, err
		}
		for _, a := range plan.Apps {
			s.progress(a.Name, "unchanged")
		}
		return &Result{Plan: plan, NoOp: true}, nil
	}
	start := s.now()
	rec := ledger.Record{
		Actor: s.Actor, Action: ledger.ActionRelease, Slot: o.Slot, Kickoff: o.Kickoff,
		Version: version, Commit: s.headCommit(),
	}
	for _, a := range plan.Apps {
		rec.Apps = append(rec.Apps, a.To)
	}
	// The record keeps the commit the team's file is read at again on a restore, and
	// hashes of the model and its environment; never the model or a value.
	if err := s.seal(ctx, &rec, plan.Model.Canonical(plan.Compose)); err != nil {
		return nil, err
	}
	s.warnUncommitted(rec.Commit)
	if s.Issues != nil {
		if is, err := s.Issues.Issues(ctx, o.Kickoff); err == nil {
			rec.Issues = is
		} else {
			s.notify("could not list the Jira issues of %s: %v", o.Kickoff, err)
		}
	}
	derr := s.deploy(ctx, eng, o.Slot, plan.Apps, plan.Compose, plan.From)
	rec.DurationMS = s.now().Sub(start).Milliseconds()
	if derr != nil {
		return nil, s.recordFailure(ctx, rec, derr)
	}
	if s.Versions != nil && version != "" {
		tag, err := s.Versions.TagRC(ctx, o.Kickoff, version, plan)
		if err != nil {
			s.notify("deployed, but tagging the release candidate failed: %v", err)
		}
		rec.RC = tag
	}
	if s.Routes != nil {
		if err := s.Routes.ApplySlot(ctx, o.Slot, nil); err != nil {
			s.notify("deployed, but applying the routes of %s failed: %v (run `kickoff route apply`)", o.Slot, err)
		}
	}
	rec.Outcome = ledger.OutcomeSucceeded
	saved, err := s.Ledger.Append(context.WithoutCancel(ctx), rec)
	if err != nil {
		return nil, fmt.Errorf("deployed to %s, but recording it in the ledger failed: %w", o.Slot, err)
	}
	return &Result{Plan: plan, Record: &saved}, nil
}

// checkClaim refuses a release into a slot claimed for another kickoff, unless forced.
func checkClaim(st ledger.SlotState, o ReleaseOptions) error {
	c := st.Claim
	if c == nil || c.For == o.Kickoff || o.Force {
		return nil
	}
	return &ClaimedError{Slot: o.Slot, Claim: *c}
}

// recordFailure records a failed deploy and returns the error to show.
func (s *Service) recordFailure(ctx context.Context, rec ledger.Record, derr error) error {
	rec.Outcome = ledger.OutcomeFailed
	rec.Error = derr.Error()
	var de *DeployError
	if errors.As(derr, &de) {
		rec.Logs = de.Logs
		rec.Error = fmt.Sprintf("app %s: %v", de.App, de.Err)
		if de.App == "" {
			rec.Error = de.Err.Error()
		}
		if de.RolledBack {
			rec.Outcome = ledger.OutcomeRolledBack
		}
	}
	if _, err := s.Ledger.Append(context.WithoutCancel(ctx), rec); err != nil {
		return fmt.Errorf("%w\n(recording the failure in the ledger failed too: %v)", derr, err)
	}
	return derr
}

// deploy brings the slot to file: write it, pull the changed images, up, health gate.
// On any failure (or Ctrl-C) the slot is put back to prev: its compose file, by digest.
func (s *Service) deploy(ctx context.Context, eng *compose.Engine, slot string, apps []AppPlan, file []byte, prev *ledger.Record) error {
	project := s.Project(slot)
	path := s.composeFile(slot)
	var changed []string
	for _, a := range apps {
		if a.Changed {
			changed = append(changed, a.Name)
		}
	}
	fail := func(app string, err error) error {
		de := &DeployError{Slot: slot, App: app, Err: err}
		// Ctrl-C or not, the rollback must run to its end.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Minute)
		defer cancel()
		if app != "" {
			var logs bytes.Buffer
			_ = eng.Logs(rctx, project, path, app, 20, false, &logs)
			de.Logs = logs.String()
		}
		s.notify("rolling %s back to what ran before", slot)
		if rerr := s.restore(rctx, eng, slot, prev); rerr != nil {
			de.RollbackErr = rerr
		} else {
			de.RolledBack = true
		}
		return de
	}
	if err := s.ensureLogin(ctx, eng); err != nil {
		return &DeployError{Slot: slot, Err: err}
	}
	if eng.Swarm() {
		if err := eng.CheckStack(ctx, project); err != nil {
			return &DeployError{Slot: slot, Err: err}
		}
	}
	old := s.besideCandidates(ctx, eng, slot, apps)
	if err := s.writeComposeFile(slot, file); err != nil {
		return &DeployError{Slot: slot, Err: err}
	}
	for _, a := range changed {
		s.progress(a, "pulling")
	}
	if len(changed) > 0 && !eng.HasImages(ctx, s.imageRefs(apps, true)...) {
		if err := eng.Pull(ctx, project, path, changed...); err != nil {
			return fail("", fmt.Errorf("pull: %w", err))
		}
	}
	if len(old) > 0 {
		if app, err := s.switchBeside(ctx, eng, slot, apps, old); err != nil {
			return fail(app, err)
		}
	}
	for _, a := range changed {
		if _, beside := old[a]; !beside {
			s.progress(a, "starting")
		}
	}
	if err := s.up(ctx, eng, project, path); err != nil {
		if ctx.Err() != nil {
			return fail("", ctx.Err())
		}
		var se *compose.StackError
		if errors.As(err, &se) {
			return fail(se.Service, se)
		}
		return fail("", fmt.Errorf("start: %w", err))
	}
	if app, err := s.waitHealthy(ctx, eng, slot, apps, nil); err != nil {
		return fail(app, err)
	}
	return nil
}

// imageRefs are the by-digest references of the apps (only the changed ones with changed).
func (s *Service) imageRefs(apps []AppPlan, changed bool) []string {
	var refs []string
	for _, a := range apps {
		if !changed || a.Changed {
			refs = append(refs, s.Cfg.Registry+"/"+repoOf(a.To.Image)+"@"+a.To.Digest)
		}
	}
	return refs
}

// restore puts the slot back as prev left it (rendered again by renderRecord, never run
// from the record), or empties it when nothing ran before.
func (s *Service) restore(ctx context.Context, eng *compose.Engine, slot string, prev *ledger.Record) error {
	project, path := s.Project(slot), s.composeFile(slot)
	if prev == nil {
		err := eng.Down(ctx, project, path)
		_ = os.Remove(path)
		return err
	}
	r, err := s.renderRecord(ctx, slot, prev)
	if err != nil {
		return err
	}
	if err := s.writeComposeFile(slot, r.Model); err != nil {
		return err
	}
	if err := s.up(ctx, eng, project, path); err != nil {
		return err
	}
	if _, err = s.waitHealthy(ctx, eng, slot, r.Apps, nil); err != nil {
		return err
	}
	if s.Cfg.SideBySide() && s.Routes != nil {
		// Compose may have started an app on its other port: the routes follow it.
		return s.Routes.ApplySlot(ctx, slot, nil)
	}
	return nil
}

// up brings the slot's project to its file. A swarm stack is waited for until its tasks run
// the file's images (compose.StackError names a service that does not), as long as the
// longest health timeout: the same bound the health gate that follows has.
func (s *Service) up(ctx context.Context, eng *compose.Engine, project, path string) error {
	if eng.Swarm() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.longestHealthTimeout())
		defer cancel()
	}
	return eng.Up(ctx, project, path)
}

// longestHealthTimeout is the longest health_timeout of the apps.
func (s *Service) longestHealthTimeout() time.Duration {
	longest := config.DefaultHealthTimeout
	if len(s.Cfg.Apps) > 0 {
		longest = 0
	}
	for _, a := range s.Cfg.Apps {
		t := a.HealthTimeout
		if t <= 0 {
			t = config.DefaultHealthTimeout
		}
		longest = max(longest, t)
	}
	return longest
}

// waitHealthy polls every app's health until it answers or its timeout passes, on the port
// ports gives (else where it runs, appPort); it returns the first app that failed.
func (s *Service) waitHealthy(ctx context.Context, eng *compose.Engine, slot string, apps []AppPlan, ports map[string]int) (string, error) {
	host := eng.HostName()
	at := map[string]int{}
	for _, a := range apps {
		if p, ok := ports[a.Name]; ok {
			at[a.Name] = p
		} else {
			at[a.Name] = s.appPort(ctx, eng, slot, a.Name)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(apps))
	for i, a := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			timeout := s.Cfg.Apps[a.Name].HealthTimeout
			if timeout <= 0 {
				timeout = config.DefaultHealthTimeout
			}
			actx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			var last error
			for {
				pctx, pcancel := context.WithTimeout(actx, 2*time.Second)
				last = s.probe(pctx, host, at[a.Name], a.Name)
				pcancel()
				if last == nil {
					s.progress(a.Name, "healthy")
					return
				}
				select {
				case <-actx.Done():
					if ctx.Err() != nil {
						errs[i] = ctx.Err()
					} else {
						errs[i] = fmt.Errorf("not healthy after %s: %v", timeout, last)
					}
					s.progress(a.Name, "unhealthy")
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return apps[i].Name, err
		}
	}
	return "", nil
}

// allRunning reports whether every service of the plan, apps and the others (a database),
// has a running container; a one-shot service others wait for with
// service_completed_successfully may have exited with 0 instead. Anything else is a change
// the release makes.
func (s *Service) allRunning(ctx context.Context, eng *compose.Engine, p *Plan) bool {
	cs, err := eng.Containers(ctx, p.Project)
	if err != nil {
		return false
	}
	done := map[string]bool{}
	if p.Model != nil {
		for _, svc := range p.Model.Project.Services {
			for dep, d := range svc.DependsOn {
				if d.Condition == types.ServiceConditionCompletedSuccessfully {
					done[dep] = true
				}
			}
		}
	}
	ok := map[string]bool{}
	for _, c := range cs {
		if c.State == "running" || (done[c.Service] && c.State == "exited" && c.ExitCode == 0) {
			ok[c.Service] = true
		}
	}
	for _, a := range p.Apps {
		if !ok[a.Name] {
			return false
		}
	}
	for _, svc := range p.Services {
		if !ok[svc] {
			s.progress(svc, "not running")
			return false
		}
	}
	return true
}

func (s *Service) ensureLogin(ctx context.Context, eng *compose.Engine) error {
	l, ok := s.Images.(RegistryLogin)
	if !ok {
		return nil
	}
	user, pass, need, err := l.Login(ctx)
	if err != nil || !need {
		return err
	}
	return eng.Login(ctx, s.Cfg.Registry, user, pass)
}

// ensureFile writes the slot's compose file when it differs (e.g. on another machine).
func (s *Service) ensureFile(slot string, content []byte) error {
	old, err := os.ReadFile(s.composeFile(slot))
	if err == nil && bytes.Equal(old, content) {
		return nil
	}
	return s.writeComposeFile(slot, content)
}

// writeComposeFile writes a slot's compose file: it holds the values of the team's
// secrets, so only its owner may read it (0600, in a 0700 folder), and it goes through the
// state folder's rules (no symbolic links, an unpredictable temporary name).
func (s *Service) writeComposeFile(slot string, content []byte) error {
	dir, err := gitrepo.StateFolder(s.StateDir, filepath.Join("slots", slot))
	if err != nil {
		return err
	}
	if err := os.Chmod(dir, gitrepo.StateDirMode); err != nil { // made by an older kickoff with 0755
		return fmt.Errorf("restrict %s: %w", dir, err)
	}
	return gitrepo.WriteStateFile(s.StateDir, filepath.Join("slots", slot, "compose.yaml"), content)
}
