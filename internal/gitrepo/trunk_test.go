package gitrepo_test

import (
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestTrunk(t *testing.T) {
	trunk := func(g *gittest.Repo) (string, string) {
		t.Helper()
		repo, err := gitrepo.Open(g.Dir)
		if err != nil {
			t.Fatal(err)
		}
		return repo.Trunk("origin")
	}
	check := func(what string, g *gittest.Repo, wantBranch, wantHow string) {
		t.Helper()
		if b, how := trunk(g); b != wantBranch || how != wantHow {
			t.Errorf("%s: Trunk = %q (%s), want %q (%s)", what, b, how, wantBranch, wantHow)
		}
	}

	// The remote's HEAD names the trunk, even when main and master exist.
	g := gittest.New(t)
	g.Git("branch", "master")
	g.Git("checkout", "-q", "-b", "develop")
	g.Git("push", "-q", "origin", "develop", "master")
	g.Git("remote", "set-head", "origin", "develop")
	check("origin/HEAD -> develop", g, "develop", "origin/HEAD")

	// Without it, main; without main, master.
	g.Git("remote", "set-head", "origin", "--delete")
	check("no origin/HEAD", g, "main", "main exists")
	g.Git("branch", "-D", "main")
	g.Git("branch", "-D", "-r", "origin/main")
	check("no main", g, "master", "master exists")
	g.Git("branch", "-D", "master")
	g.Git("branch", "-D", "-r", "origin/master")
	check("neither", g, "", "")

	// A remote-tracking master alone (a fresh clone that checked out something else).
	g.Git("fetch", "-q", "origin", "master:refs/remotes/origin/master")
	check("origin/master", g, "master", "master exists")

	// A bare clone's HEAD names the remote's default branch.
	bare := gittest.New(t)
	bare.Git("checkout", "-q", "-b", "trunk")
	bare.Git("push", "-q", "origin", "trunk")
	bare.Git("--git-dir="+bare.Remote, "symbolic-ref", "HEAD", "refs/heads/trunk")
	mirror := &gittest.Repo{Dir: t.TempDir() + "/mirror.git"}
	bare.Git("clone", "-q", "--mirror", bare.Remote, mirror.Dir)
	repo, err := gitrepo.Open(mirror.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if b, how := repo.Trunk("origin"); b != "trunk" || how != "HEAD" {
		t.Errorf("mirror: Trunk = %q (%s), want trunk (HEAD)", b, how)
	}
}
