package version

import (
	"context"
	"errors"
	"fmt"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// DeployIssues finds the Jira issues a deploy of a kickoff brings, for its ledger record:
// the keys in the commit messages and branch names of the kickoff that main does not have
// (the reading of `kickoff notes`), with summaries and links from Jira when it is
// configured. It is the slot service's IssueLister.
type DeployIssues struct {
	Repo         *gitrepo.Repo
	Main, Remote string
	// Keys says which PROJ-123 words are issues (jira.projects); the zero scope takes all
	// but standard names such as UTF-8.
	Keys kickoff.KeyScope
	// Jira, when set, connects to Jira; it is called only when the deploy brings issues.
	Jira func() (IssueSource, error)
	// Warn is told when Jira could not fill the issues in; the keys are recorded anyway.
	Warn func(msg string)
	// Platform, when set, is the platform's repositories (fetched) whose kickoff branches
	// the deploy brings; none: this repository alone.
	Platform func(ctx context.Context) ([]Member, error)
}

// Issues lists the issues kickoffName brings, from its local branch or else the remote's:
// in every repository of the platform that has it (Platform), else in this one.
func (d *DeployIssues) Issues(ctx context.Context, kickoffName string) ([]ledger.Issue, error) {
	targets := []Member{{Repo: d.Repo, Remote: d.Remote}}
	if d.Platform != nil {
		ms, err := d.Platform(ctx)
		if err != nil {
			return nil, err
		}
		if len(ms) > 0 {
			targets = ms
		}
	}
	var parts []*Notes
	var names []string
	for _, m := range targets {
		n, err := d.collect(ctx, m, kickoffName)
		var nb noBranchError
		if errors.As(err, &nb) && len(targets) > 1 {
			continue // this repository has no part in the kickoff
		}
		if err != nil {
			return nil, inRepo(m, err)
		}
		parts, names = append(parts, n), append(names, m.Name)
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: no branch %s in any of the platform's repositories", ErrNoKickoff, kickoffName)
	}
	notes := parts[0]
	if len(parts) > 1 {
		notes = mergeNotes(parts, names)
	}
	if d.Jira != nil && len(notes.Issues) > 0 {
		src, err := d.Jira()
		var missed []error
		if err == nil {
			missed, err = notes.Enrich(ctx, src)
		}
		if d.Warn != nil {
			for _, m := range missed {
				d.Warn(fmt.Sprintf("Jira summary left out of the ledger record: %v", m))
			}
			if err != nil {
				d.Warn(fmt.Sprintf("Jira summaries left out of the ledger record: %v", err))
			}
		}
	}
	out := make([]ledger.Issue, 0, len(notes.Issues))
	for _, in := range notes.Issues {
		out = append(out, ledger.Issue{Key: in.Key, Summary: in.Summary, URL: in.URL, Type: in.Type})
	}
	return out, nil
}

// collect reads the kickoff's commits not in main in one repository.
func (d *DeployIssues) collect(ctx context.Context, m Member, kickoffName string) (*Notes, error) {
	remote := m.Remote
	if remote == "" {
		remote = "origin"
	}
	to := firstRef(m.Repo, "refs/heads/"+kickoffName, "refs/remotes/"+remote+"/"+kickoffName, kickoffName)
	if to == "" {
		return nil, noBranchError(kickoffName)
	}
	var exclude []string
	for _, ref := range []string{"refs/heads/" + d.Main, "refs/remotes/" + remote + "/" + d.Main} {
		if firstRef(m.Repo, ref) != "" {
			exclude = append(exclude, ref)
		}
	}
	return CollectNotes(ctx, m.Repo, to, exclude, d.Keys)
}

// firstRef returns the first of refs that resolves in repo, "" when none does.
func firstRef(repo *gitrepo.Repo, refs ...string) string {
	for _, r := range refs {
		if _, err := repo.Resolve(r); err == nil {
			return r
		}
	}
	return ""
}

// noBranchError: the kickoff has no branch in a repository.
type noBranchError string

func (e noBranchError) Error() string { return "no branch " + string(e) + " here" }
