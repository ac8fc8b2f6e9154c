package kickoff

import (
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Branch kinds.
const (
	KindKickoff = "kickoff"
	KindFeature = "feature"
)

// Branch is a kickoff or feature branch a developer can work on (`kickoff switch`).
type Branch struct {
	Name    string
	Kind    string // KindKickoff or KindFeature
	Kickoff string // the kickoff a feature belongs to, when recorded; the name itself for a kickoff
	Local   bool   // refs/heads/<name> exists
	Remote  bool   // the remote's branch exists (fetched)
	Current bool   // checked out here
}

// Branches lists the live kickoffs and the feature branches, local or on the remote only:
// kickoffs first (oldest first), then features by name. A feature branch is one whose name
// starts with featurePrefix (the literal start of feature.template; "" for none) or that
// `kickoff feature` recorded as a kickoff's member.
func (e *Env) Branches(featurePrefix string) ([]Branch, error) {
	live, err := List(e.Repo, e.Remote, false)
	if err != nil {
		return nil, err
	}
	current := e.Repo.CurrentBranch()
	var out []Branch
	for _, k := range live {
		n := k.Name.String()
		out = append(out, Branch{Name: n, Kind: KindKickoff, Kickoff: n, Local: k.Local, Remote: k.Remote, Current: n == current})
	}
	members := e.members()
	features := map[string]*Branch{}
	remotePrefix := "refs/remotes/" + e.Remote + "/"
	err = e.Repo.ForEachRef(func(ref plumbing.ReferenceName, _ plumbing.Hash) error {
		name, local := strings.CutPrefix(ref.String(), "refs/heads/")
		if !local {
			var ok bool
			if name, ok = strings.CutPrefix(ref.String(), remotePrefix); !ok || name == "HEAD" {
				return nil
			}
		}
		if IsName(name) {
			return nil
		}
		_, member := members[name]
		if !member && (featurePrefix == "" || !strings.HasPrefix(name, featurePrefix)) {
			return nil
		}
		b := features[name]
		if b == nil {
			b = &Branch{Name: name, Kind: KindFeature, Current: name == current}
			features[name] = b
		}
		if local {
			b.Local = true
		} else {
			b.Remote = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(features))
	for n := range features {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		b := features[n]
		b.Kickoff = e.recordedKickoff(n, members)
		out = append(out, *b)
	}
	return out, nil
}

// MatchBranches keeps the branches whose name contains pattern, ignoring case; a branch
// named exactly pattern is the only match. An empty pattern keeps them all.
func MatchBranches(bs []Branch, pattern string) []Branch {
	if pattern == "" {
		return bs
	}
	for _, b := range bs {
		if b.Name == pattern {
			return []Branch{b}
		}
	}
	p := strings.ToLower(pattern)
	var out []Branch
	for _, b := range bs {
		if strings.Contains(strings.ToLower(b.Name), p) {
			out = append(out, b)
		}
	}
	return out
}
