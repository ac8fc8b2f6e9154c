package cli

import (
	"github.com/kickoffhq/kickoff/internal/jira"
	platver "github.com/kickoffhq/kickoff/internal/version"
)

// versionJiraStep sets the kickoff's version as fixVersion in Jira when jira.fix_version
// is on. It returns nil, nil when there is nothing to do. It runs after the git mapping
// is saved, so a failure here loses nothing and re-running the command retries it.
func versionJiraStep(opts *VersionOptions, store *platver.Store, a platver.Assignment) (*jiraStepJSON, error) {
	f := opts.F
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	if !cfg.Jira.FixVersion || !cfg.Jira.Enabled() {
		return nil, nil
	}
	step := &jiraStepJSON{Status: "failed", Projects: []string{}, Issues: []string{}}
	client, err := jira.New(cfg.Jira, f.Getenv, f.HTTP)
	if err != nil {
		step.Error = err.Error()
		return step, err
	}
	res, err := store.SetFixVersion(opts.Ctx, client, cfg.Jira.VersionName, a)
	step.Name, step.Changed = res.Name, res.Changed
	step.Projects = append(step.Projects, res.Projects...)
	step.Issues = append(step.Issues, res.Issues...)
	if err != nil {
		step.Error = err.Error()
		return step, err
	}
	step.Status = "ok"
	if !opts.JSON {
		switch {
		case len(res.Issues) == 0:
			f.IO.Eprintf("jira: no Jira keys in %s yet; fixVersion %s not set on any issue.\n", a.Kickoff, res.Name)
		case res.Changed == 0:
			f.IO.Eprintf("jira: fixVersion %s already set on %d issue(s).\n", res.Name, len(res.Issues))
		default:
			f.IO.Eprintf("jira: fixVersion %s set on %d issue(s) in %d project(s).\n", res.Name, len(res.Issues), len(res.Projects))
		}
	}
	return step, nil
}
