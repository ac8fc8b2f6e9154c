package kickoff

import (
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// Detail is a kickoff with what `kickoff list` shows of it.
type Detail struct {
	Kickoff
	Ahead      int // commits of its own, not in main
	Behind     int // commits of main it lacks
	Last       gitrepo.CommitInfo
	Features   []Feature
	FinishedAt time.Time // when finished (zero while live)
}

// Feature is a feature branch of a kickoff.
type Feature struct {
	Branch string
	Local  bool
	Remote bool
	Head   plumbing.Hash
	Ahead  int // commits not in main; 0 means merged
}

// Describe adds ahead/behind main, the last commit and the feature branches to kickoffs.
// featurePrefix limits the branches considered as features ("" = every other branch).
func (e *Env) Describe(ks []Kickoff, featurePrefix string) ([]Detail, error) {
	_, mainHash, err := e.MainHead()
	if err != nil {
		return nil, err
	}
	out := make([]Detail, len(ks))
	own := map[string]int{} // kickoff -> own commits, for feature inference
	for i, k := range ks {
		d := Detail{Kickoff: k}
		if d.Ahead, d.Behind, err = e.Repo.AheadBehind(k.Head, mainHash); err != nil {
			return nil, err
		}
		if d.Last, err = e.Repo.Commit(k.Head); err != nil {
			return nil, err
		}
		if k.Finished {
			d.FinishedAt, d.Features = e.finishedRecord(k)
		}
		own[k.Name.String()] = d.Ahead
		out[i] = d
	}
	feats, err := e.features(featurePrefix)
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	for i, d := range out {
		if !d.Finished {
			index[d.Name.String()] = i
		}
	}
	members := e.members()
	for _, f := range feats {
		owner := e.recordedKickoff(f.Branch, members)
		if _, ok := index[owner]; !ok {
			owner = e.inferOwner(f.Head, out, own)
		}
		i, ok := index[owner]
		if !ok {
			continue
		}
		if f.Ahead, _, err = e.Repo.AheadBehind(f.Head, mainHash); err != nil {
			return nil, err
		}
		out[i].Features = append(out[i].Features, f)
	}
	return out, nil
}

// inferOwner: the live kickoff with the most of its own commits inside head.
func (e *Env) inferOwner(head plumbing.Hash, ds []Detail, own map[string]int) string {
	best, bestShared := "", 0
	for _, d := range ds {
		n := own[d.Name.String()]
		if d.Finished || n == 0 {
			continue
		}
		notInHead, _, err := e.Repo.AheadBehind(d.Head, head)
		if err != nil {
			continue
		}
		if shared := n - notInHead; shared > bestShared {
			best, bestShared = d.Name.String(), shared
		}
	}
	return best
}

// features lists branches (local and remote-tracking) that may be feature branches.
func (e *Env) features(prefix string) ([]Feature, error) {
	byName := map[string]*Feature{}
	remotePrefix := "refs/remotes/" + e.Remote + "/"
	err := e.Repo.ForEachRef(func(ref plumbing.ReferenceName, h plumbing.Hash) error {
		name, remote := ref.String(), false
		switch {
		case strings.HasPrefix(name, "refs/heads/"):
			name = strings.TrimPrefix(name, "refs/heads/")
		case strings.HasPrefix(name, remotePrefix):
			name, remote = strings.TrimPrefix(name, remotePrefix), true
		default:
			return nil
		}
		if !strings.HasPrefix(name, prefix) || name == e.Main || name == "HEAD" || strings.HasPrefix(name, Prefix) {
			return nil
		}
		f := byName[name]
		if f == nil {
			f = &Feature{Branch: name}
			byName[name] = f
		}
		if remote {
			f.Remote = true
			if !f.Local {
				f.Head = h
			}
		} else {
			f.Local, f.Head = true, h
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Feature, 0, len(byName))
	for _, f := range byName {
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b Feature) int { return strings.Compare(a.Branch, b.Branch) })
	return out, nil
}
