package gitrepo_test

import (
	"path/filepath"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// A clone keeps the team's branches apart (remote-tracking branches); a bare or mirror clone,
// or a repository without that remote, does not.
func TestTracksRemote(t *testing.T) {
	g := gittest.New(t)
	base := t.TempDir()
	bare := filepath.Join(base, "bare.git")
	mirror := filepath.Join(base, "mirror.git")
	clone := filepath.Join(base, "clone")
	run(t, base, "clone", "-q", "--bare", g.Remote, bare)
	run(t, base, "clone", "-q", "--mirror", g.Remote, mirror)
	run(t, base, "clone", "-q", g.Remote, clone)
	for _, tc := range []struct {
		name, dir, remote string
		want              bool
	}{
		{"work tree", g.Dir, "origin", true},
		{"plain clone", clone, "origin", true},
		{"bare clone", bare, "origin", false},
		{"mirror clone", mirror, "origin", false},
		{"no such remote", g.Dir, "upstream", false},
	} {
		repo, err := gitrepo.Open(tc.dir)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := repo.TracksRemote(tc.remote); got != tc.want {
			t.Errorf("%s: TracksRemote(%s) = %v, want %v", tc.name, tc.remote, got, tc.want)
		}
	}
}
