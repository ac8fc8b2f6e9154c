package gitrepo

import (
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// TracksRemote reports whether the repository keeps remote's branches apart from its own,
// as remote-tracking branches under refs/remotes/<remote>/ (what `git clone` sets up): its
// own branches are then personal copies that may be ahead of or behind the team's. A
// --mirror clone, a --bare clone (no fetch refspec) or a repository without that remote
// has no such copies: its branches are the team's.
func (r *Repo) TracksRemote(remote string) bool {
	rm, err := r.repo.Remote(remote)
	if err != nil {
		return false
	}
	c := rm.Config()
	if c.Mirror {
		return false
	}
	const probe = plumbing.ReferenceName("refs/heads/x")
	for _, rs := range c.Fetch {
		if rs.Match(probe) && strings.HasPrefix(rs.Dst(probe).String(), "refs/remotes/") {
			return true
		}
	}
	return false
}

// headsRefspec is where a fetch of remote's branches goes: its remote-tracking branches,
// or, in a bare or mirror repository that keeps none, its own branches (which are the
// remote's there).
func (r *Repo) headsRefspec(remote string) string {
	if r.Bare() && !r.TracksRemote(remote) {
		return "+refs/heads/*:refs/heads/*"
	}
	return "+refs/heads/*:refs/remotes/" + remote + "/*"
}
