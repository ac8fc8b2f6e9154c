package radar

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Resolve turns names (branches, remote branches, tags, commit ids, revisions such as
// HEAD~2) into commits, with git's precedence: full ids, then refs/<name>, tags,
// branches, remote branches, then the remote's branch of that name, then short ids.
func (e *Engine) Resolve(names []string) ([]RefInfo, error) {
	out := make([]RefInfo, 0, len(names))
	for _, n := range names {
		h, err := e.resolve(n)
		if err != nil {
			return nil, err
		}
		out = append(out, RefInfo{Name: n, Commit: h.String()})
	}
	return out, nil
}

func (e *Engine) resolve(n string) (plumbing.Hash, error) {
	h, err := e.resolveName(n)
	if err != nil {
		return h, err
	}
	return e.peel(n, h)
}

// peel turns an object id into the commit it names (itself, or an annotated tag's
// commit). The answer never changes, so it is cached: a run whose pairs are all cached
// reads no object at all.
func (e *Engine) peel(name string, h plumbing.Hash) (plumbing.Hash, error) {
	key := "peel:" + h.String()
	var id string
	if e.cache.get(bucketMeta, key, &id) {
		return plumbing.NewHash(id), nil
	}
	c := h
	if tag, err := object.GetTag(e.st, h); err == nil {
		tc, err := tag.Commit()
		if err != nil {
			return h, fmt.Errorf("%s is a tag of something other than a commit", name)
		}
		c = tc.Hash
	}
	if _, err := e.graph.node(c); err != nil {
		return h, fmt.Errorf("%s names %s, which is not a commit", name, short(h.String()))
	}
	e.pendingMeta[key] = c.String()
	return c, nil
}

func (e *Engine) resolveName(n string) (plumbing.Hash, error) {
	if len(n) == 40 && plumbing.IsHash(n) {
		return plumbing.NewHash(n), nil
	}
	for _, full := range []string{n, "refs/" + n, "refs/tags/" + n, "refs/heads/" + n, "refs/remotes/" + n, "refs/remotes/" + e.opts.Remote + "/" + n} {
		ref, err := storer.ResolveReference(e.st, plumbing.ReferenceName(full))
		if err != nil {
			continue
		}
		return ref.Hash(), nil
	}
	return e.repo.Resolve(n) // revisions such as HEAD~2 or short ids
}
