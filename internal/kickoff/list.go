package kickoff

import (
	"fmt"
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
// with finished, the finished records; sorted by date then summary. Finished records that
// do not hold a kickoff are skipped (see ListWarn).
func List(repo *gitrepo.Repo, remote string, finished bool) ([]Kickoff, error) {
	return ListWarn(repo, remote, finished, nil)
}

// ListWarn is List telling warn about each finished record it skips. Finished records are
// pushed and fetched like tags, so anyone with write access can put anything there: a ref
// whose name is not a kickoff name or that does not lead to a commit (a blob, a tree) is
// named and left out instead of failing `list --all` in every clone.
func ListWarn(repo *gitrepo.Repo, remote string, finished bool, warn func(string)) ([]Kickoff, error) {
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
			short := strings.TrimPrefix(name, FinishedRefPrefix)
			if _, err := ParseName(short); err != nil {
				skip(warn, name, err.Error())
				return nil
			}
			head := repo.PeelCommit(h) // the record is an annotated tag
			if _, err := repo.Commit(head); err != nil {
				skip(warn, name, "it does not point at a commit")
				return nil
			}
			if k := get(short); k != nil {
				k.Finished = true
				if !k.Local && !k.Remote {
					k.Head = head
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

func skip(warn func(string), ref, why string) {
	if warn != nil {
		warn(fmt.Sprintf("skipping %s: %s", ref, why))
	}
}

// Live returns the live kickoffs (branches not finished).
func Live(repo *gitrepo.Repo, remote string) ([]Kickoff, error) { return List(repo, remote, false) }
