package slot

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/registry"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
)

// Where each app's image comes from: the kickoff branch of its repository; without one, what
// the slot runs (kept) or else main; or an --app pin. No engine needed: planning only reads
// git, the registry and the ledger.
func TestPlanSources(t *testing.T) {
	ctx := context.Background()
	reg := regtest.Start(t)
	repo, feRepo := gittest.New(t), gittest.New(t)
	cfg := config.Default()
	cfg.Registry = reg.Host
	cfg.Apps = map[string]config.App{
		"be": {Image: "p-be", Port: 8080},
		"fe": {Image: "p-fe", Port: 8080, Repo: "file://" + feRepo.Remote},
	}
	gr, err := gitrepo.Open(repo.Dir)
	if err != nil {
		t.Fatal(err)
	}
	store := ledger.NewFileStore(filepath.Join(t.TempDir(), ledger.FileName))
	s := &Service{Cfg: cfg, Repo: gr, StateDir: t.TempDir(), Ledger: store, Images: registry.New(reg.Host)}
	push := func(app string, r *gittest.Repo, br string) string {
		head := r.Git("rev-parse", br)
		tag, _ := ImageTag(cfg.ImageTag, app, br, head)
		return reg.Push(t, cfg.Apps[app].Image, tag, regtest.Image{App: app, Version: br})
	}
	branch(repo, kAlpha, "be.txt") // only the platform repository has the kickoff
	beAlpha := push("be", repo, kAlpha)
	feMain := push("fe", feRepo, "main")

	// Empty slot: fe has no kickoff branch and nothing running, so main.
	p, err := s.MakePlan(ctx, ReleaseOptions{Slot: "dev1", Kickoff: kAlpha}, "1.3.0", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{"be": {SourceKickoff, beAlpha}, "fe": {SourceMain, feMain}}
	for _, a := range p.Apps {
		if w := want[a.Name]; a.Source != w[0] || a.To.Digest != w[1] || !a.Changed {
			t.Errorf("%s: source %s digest %s changed %v; want %s %s", a.Name, a.Source, a.To.Digest, a.Changed, w[0], w[1])
		}
	}
	if p.Env["KICKOFF_VERSION"] != "1.3.0" || p.Env["KICKOFF_KICKOFF"] != kAlpha || p.Env["SENTRY_ENVIRONMENT"] != "dev1" {
		t.Errorf("env %v", p.Env)
	}

	// The slot runs another fe build: it is kept, unchanged.
	running := ledger.App{Name: "fe", Kickoff: kBeta, Image: "p-fe:kickoff-261121-beta-1234567", Digest: "sha256:abc"}
	if _, err := store.Append(ctx, ledger.Record{Action: ledger.ActionRelease, Slot: "dev1", Outcome: ledger.OutcomeSucceeded,
		Apps: []ledger.App{running}}); err != nil {
		t.Fatal(err)
	}
	cur, err := s.Current(ctx, "dev1")
	if err != nil {
		t.Fatal(err)
	}
	p, err = s.MakePlan(ctx, ReleaseOptions{Slot: "dev1", Kickoff: kAlpha}, "", cur)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range p.Apps {
		if a.Name == "fe" && (a.Source != SourceKept || a.Changed || a.To.Digest != running.Digest || a.To.Kickoff != kBeta) {
			t.Errorf("fe: %+v, want kept as it runs", a)
		}
	}

	// A pin wins over both.
	branch(feRepo, "kickoff-261122-gamma", "fe.txt")
	feGamma := push("fe", feRepo, "kickoff-261122-gamma")
	p, err = s.MakePlan(ctx, ReleaseOptions{Slot: "dev1", Kickoff: kAlpha, Pins: map[string]string{"fe": "kickoff-261122-gamma"}}, "", cur)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range p.Apps {
		if a.Name == "fe" && (a.Source != SourcePinned || a.To.Digest != feGamma || a.To.Kickoff != "kickoff-261122-gamma" || !a.Changed) {
			t.Errorf("fe: %+v, want pinned to gamma", a)
		}
	}
	if _, err := s.MakePlan(ctx, ReleaseOptions{Slot: "dev1", Kickoff: kAlpha, Pins: map[string]string{"fe": "nope"}}, "", cur); err == nil {
		t.Error("pin to an unknown ref accepted")
	}
}
