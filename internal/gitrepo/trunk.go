package gitrepo

import (
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Trunk guesses the trunk branch when none is configured, as git's own tools do: the branch
// the remote's HEAD names (refs/remotes/<remote>/HEAD, set by clone and by `git remote
// set-head`; HEAD itself in a bare or mirror clone), else main, else master, each found
// locally or on the remote. how says which rule found it ("origin/HEAD", "main exists");
// branch is "" when none did.
func (r *Repo) Trunk(remote string) (branch, how string) {
	head := plumbing.ReferenceName("refs/remotes/" + remote + "/HEAD")
	if r.Bare() && !r.TracksRemote(remote) {
		head = plumbing.HEAD
	}
	if ref, err := r.repo.Reference(head, false); err == nil && ref.Type() == plumbing.SymbolicReference {
		target := ref.Target().String()
		for _, p := range []string{"refs/remotes/" + remote + "/", "refs/heads/"} {
			if b, ok := strings.CutPrefix(target, p); ok && b != "" && !r.Ref(ref.Target()).IsZero() {
				if head == plumbing.HEAD {
					return b, "HEAD"
				}
				return b, remote + "/HEAD"
			}
		}
	}
	for _, b := range []string{"main", "master"} {
		if !r.Ref(plumbing.NewBranchReferenceName(b)).IsZero() || !r.Ref(plumbing.NewRemoteReferenceName(remote, b)).IsZero() {
			return b, b + " exists"
		}
	}
	return "", ""
}
