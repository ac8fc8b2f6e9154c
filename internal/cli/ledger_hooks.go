package cli

import (
	"context"
	"fmt"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/slot"
	platver "github.com/kickoffhq/kickoff/internal/version"
)

// slotLedger, when set, wraps the ledger the slot commands write to.
var slotLedger func(f *Factory, st ledger.Store) (ledger.Store, error)

func init() {
	slotIssues = func(f *Factory) (slot.IssueLister, error) {
		repo, cfg, err := f.RepoConfig()
		if err != nil {
			return nil, err
		}
		return &deployIssues{f: f, repo: repo, cfg: cfg}, nil
	}
	// jira.comment_on_deploy: comment issues when they land on a slot and when they leave it.
	slotLedger = func(f *Factory, st ledger.Store) (ledger.Store, error) {
		cfg, err := f.Config()
		if err != nil {
			return nil, err
		}
		if !cfg.Jira.CommentOnDeploy || !cfg.Jira.Enabled() {
			return st, nil
		}
		client, err := jira.New(cfg.Jira, f.Getenv, f.HTTP)
		if err != nil {
			return nil, fmt.Errorf("jira.comment_on_deploy: %w", err)
		}
		return &ledger.Commenting{Store: st, Jira: client, Now: f.Now,
			Warn: func(msg string) { f.IO.Printf("warning: %s\n", msg) }}, nil
	}
}

// deployIssues finds the Jira issues a deploy of a kickoff brings: the keys in the commit
// messages and branch names of the kickoff that main does not have (the same reading as
// `kickoff notes`), with summaries and links from Jira when it is configured.
type deployIssues struct {
	f    *Factory
	repo *gitrepo.Repo
	cfg  *config.Config
}

func (d *deployIssues) Issues(ctx context.Context, kickoffName string) ([]ledger.Issue, error) {
	to := d.firstRef("refs/heads/"+kickoffName, "refs/remotes/"+d.cfg.Remote+"/"+kickoffName, kickoffName)
	if to == "" {
		return nil, fmt.Errorf("no branch %s here", kickoffName)
	}
	var exclude []string
	for _, ref := range []string{"refs/heads/" + d.cfg.Main, "refs/remotes/" + d.cfg.Remote + "/" + d.cfg.Main} {
		if d.firstRef(ref) != "" {
			exclude = append(exclude, ref)
		}
	}
	notes, err := platver.CollectNotes(ctx, d.repo, to, exclude)
	if err != nil {
		return nil, err
	}
	if d.cfg.Jira.Enabled() && len(notes.Issues) > 0 {
		client, err := jira.New(d.cfg.Jira, d.f.Getenv, d.f.HTTP)
		if err == nil {
			err = notes.Enrich(ctx, client)
		}
		if err != nil {
			d.f.IO.Printf("warning: Jira summaries left out of the ledger record: %v\n", err)
		}
	}
	out := make([]ledger.Issue, 0, len(notes.Issues))
	for _, in := range notes.Issues {
		out = append(out, ledger.Issue{Key: in.Key, Summary: in.Summary, URL: in.URL, Type: in.Type})
	}
	return out, nil
}

// firstRef returns the first of refs that resolves, "" when none does.
func (d *deployIssues) firstRef(refs ...string) string {
	for _, r := range refs {
		if _, err := d.repo.Resolve(r); err == nil {
			return r
		}
	}
	return ""
}
