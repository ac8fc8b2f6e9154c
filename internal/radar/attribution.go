package radar

import (
	pathpkg "path"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// attribute names the side's commits behind a conflict: those that touched the lines of
// the first path; failing that (the side never had it), those that touched any related
// path, then their folders (a rename or a directory rename).
func (e *Engine) attribute(side plumbing.Hash, bases []plumbing.Hash, paths []string, ranges []Range) []Touch {
	if ts := e.touchers(side, bases, paths[0], ranges); len(ts) > 0 {
		return ts
	}
	for _, p := range paths[1:] {
		if ts := e.touchers(side, bases, p, nil); len(ts) > 0 {
			return ts
		}
	}
	for _, p := range paths {
		if d := pathpkg.Dir(p); d != "." {
			if ts := e.touchers(side, bases, d, nil); len(ts) > 0 {
				return ts
			}
		}
	}
	return []Touch{}
}

// touchers walks the side's history back towards the merge bases and names the commits
// that changed the given lines of path (1-based ranges in the side's version), or any
// part of path when ranges is nil. Like blame, it follows a line through the commits
// that moved it, passes through merges that took a parent's version unchanged, and stops
// where the file equals a merge base's version.
func (e *Engine) touchers(side plumbing.Hash, bases []plumbing.Hash, path string, ranges []Range) []Touch {
	baseBlobs := map[plumbing.Hash]bool{}
	isBase := map[plumbing.Hash]bool{}
	for _, b := range bases {
		isBase[b] = true
		if f, err := e.fileAt(b, path); err == nil && f.Exists {
			baseBlobs[f.Hash] = true
		}
	}
	type item struct {
		commit plumbing.Hash
		lines  map[int]bool // 1-based lines of interest; nil = whole file
	}
	var start map[int]bool
	if ranges != nil {
		start = map[int]bool{}
		for _, r := range ranges {
			for l := r[0]; l <= r[1]; l++ {
				start[l] = true
			}
		}
	}
	out := []Touch{}
	seenTouch := map[plumbing.Hash]bool{}
	visited := map[plumbing.Hash]bool{}
	queue := []item{{side, start}}
	for steps := 0; len(queue) > 0 && steps < maxBlameSteps; steps++ {
		it := queue[0]
		queue = queue[1:]
		if visited[it.commit] || isBase[it.commit] || (it.lines != nil && len(it.lines) == 0) {
			continue
		}
		visited[it.commit] = true
		cur, err := e.fileAt(it.commit, path)
		if err != nil {
			continue
		}
		if cur.Exists && baseBlobs[cur.Hash] {
			continue // from here back, the file is the merge base's
		}
		n, err := e.graph.node(it.commit)
		if err != nil {
			continue
		}
		var parents []*fileVersion
		unchanged := -1
		for i, ph := range n.parents {
			pf, err := e.fileAt(ph, path)
			if err != nil {
				pf = &fileVersion{}
			}
			parents = append(parents, pf)
			if unchanged < 0 && same(pf, cur) {
				unchanged = i
			}
		}
		if unchanged >= 0 { // this commit did not change the file: follow that parent alone
			queue = append(queue, item{n.parents[unchanged], it.lines})
			continue
		}
		if len(n.parents) == 0 || !cur.Exists || it.lines == nil || cur.Skip {
			// Root commit, deletion, whole-file question or no line view: the commit touched it.
			e.addTouch(&out, seenTouch, it.commit)
			for _, ph := range n.parents {
				queue = append(queue, item{ph, nil})
			}
			continue
		}
		// Which lines of interest does each parent already have?
		changedEverywhere := map[int]bool{}
		for l := range it.lines {
			changedEverywhere[l] = true
		}
		touched := false
		for i, pf := range parents {
			if !pf.Exists || pf.Skip {
				continue
			}
			hs := e.hunks(pf, cur)
			m := lineMap(hs, countLines(cur.Text))
			next := map[int]bool{}
			for l := range it.lines {
				if l-1 < len(m) && m[l-1] >= 0 {
					delete(changedEverywhere, l)
					next[m[l-1]+1] = true
				}
			}
			// A deletion right next to a line of interest touched it too.
			if len(n.parents) == 1 {
				for _, h := range hs {
					if h.NewStart == h.NewEnd && (it.lines[h.NewStart] || it.lines[h.NewStart+1]) {
						touched = true
					}
				}
			}
			queue = append(queue, item{n.parents[i], next})
		}
		if touched || len(changedEverywhere) > 0 {
			e.addTouch(&out, seenTouch, it.commit)
		}
	}
	return out
}

func (e *Engine) addTouch(out *[]Touch, seen map[plumbing.Hash]bool, h plumbing.Hash) {
	if seen[h] {
		return
	}
	seen[h] = true
	c, err := object.GetCommit(e.st, h)
	if err != nil {
		return
	}
	summary, _, _ := strings.Cut(strings.TrimSpace(c.Message), "\n")
	jira := kickoff.JiraKeys(c.Message)
	if jira == nil {
		jira = []string{}
	}
	*out = append(*out, Touch{
		Commit:  h.String(),
		Author:  c.Author.Name,
		Email:   c.Author.Email,
		Summary: summary,
		Jira:    jira,
	})
}
