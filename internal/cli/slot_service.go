package cli

import (
	"context"
	"fmt"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/registry"
	"github.com/kickoffhq/kickoff/internal/slot"
	platver "github.com/kickoffhq/kickoff/internal/version"
)

// slotService builds the slot service of this repository and configuration, joined to the
// other areas a release goes through: platform versions (ensure the version, tag the
// release candidate), routing (apply the slot's routes), the Jira issues of the deploy and,
// with jira.comment_on_deploy, Jira comments on the ledger's records.
func slotService(f *Factory) (*slot.Service, error) {
	repo, cfg, err := f.RepoConfig()
	if err != nil {
		return nil, err
	}
	state := repo.StateDir(cfg.StateDir)
	store, _, err := openLedger(context.Background(), f)
	if err != nil {
		return nil, err
	}
	if store, err = commentingLedger(f, cfg, store); err != nil {
		return nil, err
	}
	versions, err := versionStore(f)
	if err != nil {
		return nil, err
	}
	reg := registryClient(f, cfg)
	issues := &platver.DeployIssues{Repo: repo, Main: cfg.Main, Remote: cfg.Remote, Keys: versions.Keys,
		Warn: func(msg string) { f.IO.Eprintf("warning: %s\n", msg) }}
	var plat *platformOnce
	if len(cfg.Repos) > 0 { // the deploy's issues and its rc tag come from every repository
		plat = &platformOnce{f: f}
		issues.Platform = plat.members
	}
	if cfg.Jira.Enabled() {
		issues.Jira = func() (platver.IssueSource, error) {
			client, err := jira.New(cfg.Jira, f.Getenv, f.HTTP)
			if err != nil {
				return nil, err
			}
			return client, nil
		}
	}
	svc := &slot.Service{
		Cfg: cfg, Repo: repo, StateDir: state, Ledger: store, Images: reg,
		Engine:   slotEngine(cfg),
		Versions: releaseVersions{s: versions, f: f, cfg: cfg, plat: plat},
		Issues:   issues,
		Actor:    deployActor(f, repo),
		Now:      f.Now,
		HTTP:     f.HTTP,
		Notify:   func(msg string) { f.IO.Eprintf("%s\n", msg) },
	}
	svc.Routes = releaseRoutes{cfg: cfg, stateDir: state, live: svc.LivePorts}
	return svc, nil
}

// commentingLedger is st with jira.comment_on_deploy: issues get a comment when they land
// on a slot and when they leave it.
func commentingLedger(f *Factory, cfg *config.Config, st ledger.Store) (ledger.Store, error) {
	if !cfg.Jira.CommentOnDeploy || !cfg.Jira.Enabled() {
		return st, nil
	}
	client, err := jira.New(cfg.Jira, f.Getenv, f.HTTP)
	if err != nil {
		return nil, fmt.Errorf("jira.comment_on_deploy: %w", err)
	}
	return &ledger.Commenting{Store: st, Jira: client, Now: f.Now,
		Warn: func(msg string) { f.IO.Eprintf("warning: %s\n", msg) }}, nil
}

// deployActor is who the ledger says deployed (ledger.Actor), asking git who the user is
// only when the environment does not say.
func deployActor(f *Factory, repo *gitrepo.Repo) string {
	return ledger.Actor(f.Getenv, func() (email, name string) {
		id, _ := repo.Identity(context.Background()) // no identity: the login name will do
		return id.Email, id.Name
	})
}

// slotServiceFor is the slot service for a command that names a slot, the slot checked
// first (an unknown slot is a usage error, exit 2).
func slotServiceFor(f *Factory, name string) (*slot.Service, error) {
	svc, err := slotService(f)
	if err != nil {
		return nil, err
	}
	if err := checkSlot(svc.Cfg, name); err != nil {
		return nil, err
	}
	return svc, nil
}

// slotKickoff is the slot service and the kickoff for a command that puts a kickoff on a
// slot: name, else the checked-out kickoff branch; the slot checked first.
func slotKickoff(f *Factory, slotName, name string) (*slot.Service, string, error) {
	svc, err := slotServiceFor(f, slotName)
	if err != nil {
		return nil, "", err
	}
	if name == "" {
		if name = svc.Repo.CurrentBranch(); !kickoff.IsName(name) {
			return nil, "", FlagErrorf("name the kickoff (kickoff-YYMMDD-summary), or run this on its branch")
		}
	}
	if !kickoff.IsName(name) {
		return nil, "", FlagErrorf("%q is not a kickoff name (kickoff-YYMMDD-summary)", name)
	}
	return svc, name, nil
}

// registryClient is the configured image registry; KICKOFF_ECR_ENDPOINT points its ECR
// calls elsewhere (tests, LocalStack).
func registryClient(f *Factory, cfg *config.Config) *registry.Client {
	reg := registry.New(cfg.Registry)
	reg.AWSWrap = awsLog
	if ep := f.Getenv("KICKOFF_ECR_ENDPOINT"); ep != "" {
		reg.ECREndpoint = ep
	}
	return reg
}
