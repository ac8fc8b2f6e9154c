package radar

import (
	"context"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// LiveRefs is what `kickoff conflicts` compares by default: the trunk, then every live
// kickoff (local or on the remote), oldest first.
func LiveRefs(repo *gitrepo.Repo, trunk, remote string) ([]string, error) {
	ks, err := kickoff.Live(repo, remote)
	if err != nil {
		return nil, err
	}
	refs := []string{trunk}
	for _, k := range ks {
		if k.Name.String() != trunk {
			refs = append(refs, k.Name.String())
		}
	}
	return refs, nil
}

// Selection decides which refs `kickoff conflicts` compares: with no names, the trunk
// (base, else main) and every live kickoff; with names, those, after base when given.
// Each ref comes once, where it first appears.
func Selection(repo *gitrepo.Repo, main, remote, base string, names []string) ([]string, error) {
	switch {
	case len(names) == 0:
		trunk := main
		if base != "" {
			trunk = base
		}
		var err error
		if names, err = LiveRefs(repo, trunk, remote); err != nil {
			return nil, err
		}
	case base != "":
		names = append([]string{base}, names...)
	}
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

// LiveMatrix is the pairwise report of the trunk and every live kickoff, with the cache
// under the repository's state folder: what the dashboard's heat map shows
// (Report.Matrix gives it as rows and columns).
func LiveMatrix(ctx context.Context, repo *gitrepo.Repo, cfg *config.Config) (*Report, error) {
	names, err := LiveRefs(repo, cfg.Main, cfg.Remote)
	if err != nil {
		return nil, err
	}
	e, err := Open(ctx, repo, Options{CacheDir: repo.StateDir(cfg.StateDir), Remote: cfg.Remote})
	if err != nil {
		return nil, err
	}
	defer e.Close()
	refs, err := e.Resolve(names)
	if err != nil {
		return nil, err
	}
	return e.Compare(ctx, refs, AllPairs(len(refs)))
}
