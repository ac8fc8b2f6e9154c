package cli

import (
	"context"
	"os"
	"strings"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/registry"
	"github.com/kickoffhq/kickoff/internal/slot"
)

// Hooks other areas set (from their own files' init) to join the release path: the
// version area (ensure version, rc tag), routing (apply one slot's routes) and the ledger
// (Jira issues of a deploy). Each receives the factory and may return nil to skip.
var (
	slotVersioner func(f *Factory) (slot.Versioner, error)
	slotRouter    func(f *Factory) (slot.Router, error)
	slotIssues    func(f *Factory) (slot.IssueLister, error)
)

// slotService builds the slot service of this repository and configuration.
func slotService(f *Factory) (*slot.Service, error) {
	repo, cfg, err := f.RepoConfig()
	if err != nil {
		return nil, err
	}
	state := repo.StateDir(cfg.StateDir)
	store, err := ledger.Open(cfg, state)
	if err != nil {
		return nil, err
	}
	if slotLedger != nil { // the ledger area: Jira comments on deploy
		if store, err = slotLedger(f, store); err != nil {
			return nil, err
		}
	}
	reg := registry.New(cfg.Registry)
	if ep := f.Getenv("KICKOFF_ECR_ENDPOINT"); ep != "" {
		reg.ECREndpoint = ep
	}
	s := &slot.Service{
		Cfg: cfg, Repo: repo, StateDir: state, Ledger: store, Images: reg,
		Engine: func(name string) (*compose.Engine, error) { return compose.NewEngine(cfg.Hosts[name]) },
		Actor:  actor(f),
		Now:    f.Now,
		HTTP:   f.HTTP,
		Notify: func(msg string) { f.IO.Printf("%s\n", msg) },
	}
	if slotVersioner != nil {
		if s.Versions, err = slotVersioner(f); err != nil {
			return nil, err
		}
	}
	if slotRouter != nil {
		if s.Routes, err = slotRouter(f); err != nil {
			return nil, err
		}
	}
	if slotIssues != nil {
		if s.Issues, err = slotIssues(f); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// actor names who acts in the ledger: KICKOFF_ACTOR, else the git user's email (or name),
// else the login name.
func actor(f *Factory) string {
	if a := f.Getenv("KICKOFF_ACTOR"); a != "" {
		return a
	}
	// In CI the person who triggered the run, not the runner's git identity (ledger area).
	if f.Getenv("GITHUB_ACTIONS") == "true" && f.Getenv("GITHUB_ACTOR") != "" {
		return f.Getenv("GITHUB_ACTOR")
	}
	if f.Getenv("GITLAB_CI") == "true" && f.Getenv("GITLAB_USER_EMAIL") != "" {
		return f.Getenv("GITLAB_USER_EMAIL")
	}
	if repo, err := f.Repo(); err == nil {
		for _, key := range []string{"user.email", "user.name"} {
			if out, err := repo.Run(context.Background(), "config", key); err == nil && strings.TrimSpace(out) != "" {
				return strings.TrimSpace(out)
			}
		}
	}
	if u := f.Getenv("USER"); u != "" {
		return u
	}
	if h, err := os.Hostname(); err == nil {
		return "someone@" + h
	}
	return "unknown"
}
