package cli

import (
	"context"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/platform"
	platver "github.com/kickoffhq/kickoff/internal/version"
)

// platformVersionStore is the version store whose tags go to every repository of the
// platform (repos: in .kickoff.yaml), each one fetched first: an unreachable repository,
// or one refusing the credentials, is an error naming it before anything is written.
// Reservations stay in this repository. Without repos: it is versionStore's, unchanged.
func platformVersionStore(ctx context.Context, f *Factory) (*platver.Store, error) {
	s, err := versionStore(f)
	if err != nil {
		return nil, err
	}
	env, cfg, err := lifecycleEnv(f)
	if err != nil {
		return nil, err
	}
	if len(cfg.Repos) == 0 {
		return s, nil
	}
	plat, err := platformOf(f, env, cfg)
	if err != nil {
		return nil, err
	}
	if plat.Single() {
		return s, nil
	}
	ms := plat.Members(plat.Repos, env)
	if err := platform.Connect(ctx, ms); err != nil {
		return nil, err
	}
	withMembers(s, ms)
	return s, nil
}

// withMembers makes s tag in every repository of ms (connected already).
func withMembers(s *platver.Store, ms []platform.Member) {
	for _, m := range ms {
		repo, remote := m.Repo, m.Remote
		if m.Current {
			repo, remote = s.Repo, s.Remote
		}
		s.Members = append(s.Members, platver.Member{Name: m.Name, Repo: repo, Remote: remote})
	}
}

// repoTagJSON is one repository's copy of a tag (--json of tag, version --of, release).
type repoTagJSON struct {
	Repo    string `json:"repo"`
	Tag     string `json:"tag"`
	Commit  string `json:"commit"`
	Created *bool  `json:"created,omitempty"`
}

// repoTagsJSON are the repositories' copies of a tag; nil in a project of one repository.
func repoTagsJSON(rs []platver.RepoTag, created bool) []repoTagJSON {
	var out []repoTagJSON
	for _, r := range rs {
		if r.Repo == "" {
			return nil
		}
		j := repoTagJSON{Repo: r.Repo, Tag: r.Tag, Commit: r.Commit}
		if created {
			j.Created = &r.Created
		}
		out = append(out, j)
	}
	return out
}

// sayRepoTags tells, in a platform of several repositories, where a tag went and which
// repositories were skipped (they lack the kickoff).
func sayRepoTags(f *Factory, t platver.Tagged) {
	for _, r := range t.Repos {
		if r.Repo == "" {
			return
		}
		what := "already there"
		if r.Created {
			what = "pushed"
		}
		f.IO.Eprintf("  %s: %s on %s (%s)\n", r.Repo, r.Tag, gitrepo.ShortID(r.Commit), what)
	}
	for _, name := range t.Skipped {
		f.IO.Eprintf("  %s: skipped, it has no branch %s\n", name, t.Kickoff)
	}
}

// platformOnce opens the platform's version store when first needed, once: a release reads
// its Jira issues before the deploy and tags its candidate after it.
type platformOnce struct {
	f    *Factory
	done bool
	s    *platver.Store
	err  error
}

func (p *platformOnce) store(ctx context.Context) (*platver.Store, error) {
	if !p.done {
		p.done = true
		p.s, p.err = platformVersionStore(ctx, p.f)
	}
	return p.s, p.err
}

// members are the platform's repositories; none without repos:.
func (p *platformOnce) members(ctx context.Context) ([]platver.Member, error) {
	s, err := p.store(ctx)
	if err != nil {
		return nil, err
	}
	return s.Members, nil
}
