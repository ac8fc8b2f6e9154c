package kickoff

import (
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// FinishedRefPrefix holds one ref per finished kickoff, pointing at its last head, so
// `list --all` still shows it after its branch is deleted.
const FinishedRefPrefix = "refs/kickoff/finished/"

// Kickoff is one kickoff branch as the repository knows it.
type Kickoff struct {
	Name     Name
	Head     plumbing.Hash // the newest of the local and remote heads (local wins when they differ)
	Local    bool          // refs/heads/<name> exists
	Remote   bool          // refs/remotes/<remote>/<name> exists
	Finished bool          // recorded under refs/kickoff/finished/
}

// Ref is the ref to read the kickoff from: local branch, else remote-tracking branch,
// else the finished record.
func (k Kickoff) Ref(remote string) string {
	switch {
	case k.Local:
		return "refs/heads/" + k.Name.String()
	case k.Remote:
		return "refs/remotes/" + remote + "/" + k.Name.String()
	default:
		return FinishedRefPrefix + k.Name.String()
	}
}

// List returns kickoffs found in local branches, remote-tracking branches of remote, and,
// with finished, the finished records; sorted by date then summary.
func List(repo *gitrepo.Repo, remote string, finished bool) ([]Kickoff, error) {
	byName := map[string]*Kickoff{}
	get := func(short string) *Kickoff {
		n, err := ParseName(short)
		if err != nil {
			return nil
		}
		k := byName[short]
		if k == nil {
			k = &Kickoff{Name: n}
			byName[short] = k
		}
		return k
	}
	remotePrefix := "refs/remotes/" + remote + "/"
	err := repo.ForEachRef(func(ref plumbing.ReferenceName, h plumbing.Hash) error {
		name := ref.String()
		switch {
		case strings.HasPrefix(name, "refs/heads/"+Prefix):
			if k := get(strings.TrimPrefix(name, "refs/heads/")); k != nil {
				k.Local, k.Head = true, h
			}
		case strings.HasPrefix(name, remotePrefix+Prefix):
			if k := get(strings.TrimPrefix(name, remotePrefix)); k != nil {
				k.Remote = true
				if !k.Local {
					k.Head = h
				}
			}
		case finished && strings.HasPrefix(name, FinishedRefPrefix):
			if k := get(strings.TrimPrefix(name, FinishedRefPrefix)); k != nil {
				k.Finished = true
				if !k.Local && !k.Remote {
					k.Head = repo.PeelCommit(h) // the record is an annotated tag
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Kickoff, 0, len(byName))
	for _, k := range byName {
		// A kickoff whose branch still exists is live even if an old finished record has its name.
		if k.Finished && (k.Local || k.Remote) {
			k.Finished = false
		}
		if k.Finished && !finished {
			continue
		}
		out = append(out, *k)
	}
	slices.SortFunc(out, func(a, b Kickoff) int {
		if c := a.Name.Date.Compare(b.Name.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Name.Summary, b.Name.Summary)
	})
	return out, nil
}

// Live returns the live kickoffs (branches not finished).
func Live(repo *gitrepo.Repo, remote string) ([]Kickoff, error) { return List(repo, remote, false) }
