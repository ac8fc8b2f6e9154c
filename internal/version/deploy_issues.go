package version

import (
	"context"
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
}

// Issues lists the issues kickoffName brings, from its local branch or else the remote's.
func (d *DeployIssues) Issues(ctx context.Context, kickoffName string) ([]ledger.Issue, error) {
	to := d.firstRef("refs/heads/"+kickoffName, "refs/remotes/"+d.Remote+"/"+kickoffName, kickoffName)
	if to == "" {
		return nil, fmt.Errorf("no branch %s here", kickoffName)
	}
	var exclude []string
	for _, ref := range []string{"refs/heads/" + d.Main, "refs/remotes/" + d.Remote + "/" + d.Main} {
		if d.firstRef(ref) != "" {
			exclude = append(exclude, ref)
		}
	}
	notes, err := CollectNotes(ctx, d.Repo, to, exclude, d.Keys)
	if err != nil {
		return nil, err
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

// firstRef returns the first of refs that resolves, "" when none does.
func (d *DeployIssues) firstRef(refs ...string) string {
	for _, r := range refs {
		if _, err := d.Repo.Resolve(r); err == nil {
			return r
		}
	}
	return ""
}
