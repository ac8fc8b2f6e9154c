package version

import (
	"context"
	"slices"
	"strings"
)

// FixVersionTracker is the Jira side of a version assignment; *jira.Client is one.
type FixVersionTracker interface {
	EnsureVersion(ctx context.Context, project, name string) (created bool, err error)
	AddFixVersion(ctx context.Context, key, name string) (changed bool, err error)
}

// FixVersionResult says what the Jira step touched.
type FixVersionResult struct {
	Name     string   // the Jira version name
	Projects []string // projects the version exists in
	Issues   []string // issues that have it as fixVersion
	Changed  int      // versions created plus issues updated: 0 on a re-run
}

// VersionName fills a Jira version name template: {{version}} is X.Y.Z, {{tag}} the
// final tag name, {{kickoff}} the kickoff branch.
func (s *Store) VersionName(template string, a Assignment) string {
	if template == "" {
		template = "platform/v{{version}}"
	}
	return strings.NewReplacer("{{version}}", a.Version.String(), "{{tag}}", s.Scheme.Tag(a.Version), "{{kickoff}}", a.Kickoff).Replace(template)
}

// SetFixVersion creates the Jira version in each project involved in the kickoff and sets
// it as fixVersion on each of the kickoff's issues (keys in its branch names and commit
// messages). It is idempotent, so a failed run is retried by running it again.
func (s *Store) SetFixVersion(ctx context.Context, t FixVersionTracker, template string, a Assignment) (FixVersionResult, error) {
	res := FixVersionResult{Name: s.VersionName(template, a)}
	k, err := s.findKickoff(a.Kickoff)
	if err != nil {
		return res, err
	}
	n, err := CollectNotes(ctx, s.Repo, k.Ref(s.remoteOrDefault()), []string{s.mainRef()}, s.Keys)
	if err != nil {
		return res, err
	}
	keys := n.Keys()
	for _, key := range keys {
		p, _, _ := strings.Cut(key, "-")
		if !slices.Contains(res.Projects, p) {
			res.Projects = append(res.Projects, p)
		}
	}
	for _, p := range res.Projects {
		created, err := t.EnsureVersion(ctx, p, res.Name)
		if err != nil {
			return res, err
		}
		if created {
			res.Changed++
		}
	}
	for _, key := range keys {
		changed, err := t.AddFixVersion(ctx, key, res.Name)
		if err != nil {
			return res, err
		}
		res.Issues = append(res.Issues, key)
		if changed {
			res.Changed++
		}
	}
	return res, nil
}
