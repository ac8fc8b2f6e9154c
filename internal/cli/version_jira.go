package cli

import platver "github.com/kickoffhq/kickoff/internal/version"

// versionJiraStep sets the kickoff's version as fixVersion in Jira when jira.fix_version
// is on. It returns nil, nil when there is nothing to do.
func versionJiraStep(f *Factory, a platver.Assignment) (*jiraStepJSON, error) {
	return nil, nil
}
