package gitrepo

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestSameRepository(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"git@github.com:acme/fe.git", "ssh://git@github.com/acme/fe", true},
		{"git@github.com:acme/fe.git", "https://github.com/acme/fe.git", true},
		{"https://bob@GitHub.com/acme/fe/", "https://github.com/acme/fe", true},
		{"git@github.com:acme/fe.git", "git@github.com:acme/spring.git", false},
		{"git@github.com:acme/fe.git", "git@gitlab.com:acme/fe.git", false},
		{"/srv/git/fe.git", "file:///srv/git/fe.git", true},
		{"../fe.git", "/base/fe.git", true},
		{"/srv/git/fe.git", "/srv/git/fe", false},
	} {
		if got := SameRepository(tc.a, tc.b, "/base/here", "/"); got != tc.same {
			t.Errorf("SameRepository(%q, %q) = %v (%q vs %q)", tc.a, tc.b, got, CanonicalURL(tc.a, "/base/here"), CanonicalURL(tc.b, "/"))
		}
	}
}

// A bare clone keeps the remote's branches as remote-tracking branches, fetched;
// RemoteFor finds a clone's remote by URL.
func TestOpenBareClone(t *testing.T) {
	g := gittest.New(t)
	dir := filepath.Join(t.TempDir(), "cache", "fe")
	m, err := OpenBareClone(dir, "origin", g.Remote)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Bare() || !m.TracksRemote("origin") {
		t.Fatalf("bare %v, tracks %v: want a bare repository with remote-tracking branches", m.Bare(), m.TracksRemote("origin"))
	}
	if err := m.Fetch(context.Background(), "origin", func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	if h := m.Ref(plumbing.NewRemoteReferenceName("origin", "main")); h.String() != g.Git("rev-parse", "main") {
		t.Errorf("origin/main in the bare clone = %s", h)
	}
	if _, err := OpenBareClone(dir, "origin", g.Remote); err != nil {
		t.Errorf("opened again: %v", err)
	}
	repo, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if name, ok := repo.RemoteFor(g.Remote, "/"); !ok || name != "origin" {
		t.Errorf("RemoteFor = %q, %v", name, ok)
	}
	if _, ok := repo.RemoteFor("/elsewhere.git", "/"); ok {
		t.Error("RemoteFor found a remote for another URL")
	}
}
