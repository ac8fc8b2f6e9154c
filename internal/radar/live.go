package radar

import (
	"context"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// LiveRefs is what `kickoff conflicts` compares by default: the trunk, then every live
// kickoff (local or on the remote), oldest first, each the team's copy (see TeamRefs).
func LiveRefs(repo *gitrepo.Repo, main, trunk, remote string) ([]Ref, error) {
	ks, err := kickoff.Live(repo, remote)
	if err != nil {
		return nil, err
	}
	names := []string{trunk}
	for _, k := range ks {
		if k.Name.String() != trunk {
			names = append(names, k.Name.String())
		}
	}
	refs := TeamRefs(repo, main, remote, names)
	for i := 1; i < len(refs); i++ {
		refs[i].Listed = true
	}
	return refs, nil
}

// Selection decides which refs `kickoff conflicts` compares: with no names, the trunk
// (base, else main) and every live kickoff; with names, those, after base when given.
// Each ref comes once, where it first appears; branches read the team's copy (see
// TeamRefs).
func Selection(repo *gitrepo.Repo, main, remote, base string, names []string) ([]Ref, error) {
	var refs []Ref
	switch {
	case len(names) == 0:
		trunk := main
		if base != "" {
			trunk = base
		}
		var err error
		if refs, err = LiveRefs(repo, main, trunk, remote); err != nil {
			return nil, err
		}
	case base != "":
		refs = TeamRefs(repo, main, remote, append([]string{base}, names...))
	default:
		refs = TeamRefs(repo, main, remote, names)
	}
	seen := map[string]bool{}
	var out []Ref
	for _, r := range refs {
		if !seen[r.Name] {
			seen[r.Name] = true
			out = append(out, r)
		}
	}
	return out, nil
}

// LiveMatrix is the pairwise report of the trunk and every live kickoff, with the cache
// under the repository's state folder: what the dashboard's heat map shows
// (Report.Matrix gives it as rows and columns).
func LiveMatrix(ctx context.Context, repo *gitrepo.Repo, cfg *config.Config) (*Report, error) {
	refs, err := LiveRefs(repo, cfg.Main, cfg.Main, cfg.Remote)
	if err != nil {
		return nil, err
	}
	e, err := Open(ctx, repo, Options{CacheDir: repo.StateDir(cfg.StateDir), Remote: cfg.Remote, Main: cfg.Main})
	if err != nil {
		return nil, err
	}
	defer e.Close()
	infos, err := e.ResolveRefs(refs)
	if err != nil {
		return nil, err
	}
	return e.Compare(ctx, infos, AllPairs(len(infos)))
}
