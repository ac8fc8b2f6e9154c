package cli

import (
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/slot"
)

// A release ensures the kickoff's platform version (a dry run only reads it) and tags its
// release candidate on the commit it deploys.
func TestReleaseVersions(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	head := r.Git("rev-parse", "HEAD")
	f, _, _ := repoFactory(t, r.Dir)
	store, err := versionStore(f)
	if err != nil {
		t.Fatal(err)
	}
	v := releaseVersions{s: store}
	if got, err := v.EnsureVersion(t.Context(), k, true); err != nil || got != "0.1.0" {
		t.Errorf("EnsureVersion dry run = %q, %v; want 0.1.0", got, err)
	}
	if refs := r.Git("for-each-ref", "refs/kickoff/"); refs != "" {
		t.Errorf("a dry run reserved a version: %s", refs)
	}
	if got, err := v.EnsureVersion(t.Context(), k, false); err != nil || got != "0.1.0" {
		t.Errorf("EnsureVersion = %q, %v; want 0.1.0", got, err)
	}
	if refs := r.Git("for-each-ref", "refs/kickoff/"); refs == "" {
		t.Error("EnsureVersion reserved no version")
	}
	tag, err := v.TagRC(t.Context(), k, "0.1.0", &slot.Plan{Commit: head})
	if err != nil || tag != "platform/v0.1.0-rc.1" {
		t.Fatalf("TagRC = %q, %v; want platform/v0.1.0-rc.1", tag, err)
	}
	if on := r.Git("rev-parse", tag+"^{commit}"); on != head {
		t.Errorf("%s is on %s, want the deployed commit %s", tag, on, head)
	}
}

// After a release applies a slot's routes, `route plan` has nothing left to do there.
func TestReleaseRoutes(t *testing.T) {
	r := routesRepo(t)
	f, _, _ := repoFactory(t, r.Dir)
	repo, cfg, err := f.RepoConfig()
	if err != nil {
		t.Fatal(err)
	}
	if err := (releaseRoutes{cfg: cfg, stateDir: repo.StateDir(cfg.StateDir)}).ApplySlot(t.Context(), "dev1", nil); err != nil {
		t.Fatal(err)
	}
	for slot, empty := range map[string]bool{"dev1": true, "dev2": false} {
		_, p, err := planRoutes(t.Context(), f, slot)
		if err != nil || p.Empty() != empty {
			t.Errorf("route plan --slot %s after applying dev1: %+v, %v; want empty %t", slot, p, err, empty)
		}
	}
}
