package gitrepo_test

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// Branch options are git config as `git config` reads and writes it: setting one on a branch
// with no section keeps it, setting one beside an upstream keeps the upstream, and deleting
// the branch's config removes both.
func TestBranchOptions(t *testing.T) {
	g := gittest.New(t)
	g.Git("branch", "side")
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := repo.BranchOption("side", "kickoff"); got != "" {
		t.Fatalf("unset option = %q", got)
	}
	if err := repo.SetBranchOption("side", "kickoff", "kickoff-240510-alpha"); err != nil {
		t.Fatal(err)
	}
	if got := g.Git("config", "branch.side.kickoff"); got != "kickoff-240510-alpha" {
		t.Fatalf("git config branch.side.kickoff = %q", got)
	}
	if got := repo.BranchOption("side", "kickoff"); got != "kickoff-240510-alpha" {
		t.Fatalf("BranchOption = %q", got)
	}

	// main tracks origin/main (gittest pushed it with -u): the option joins the upstream.
	if err := repo.SetBranchOption("main", "kickoff", "x"); err != nil {
		t.Fatal(err)
	}
	if got := g.Git("config", "branch.main.merge"); got != "refs/heads/main" {
		t.Fatalf("upstream lost: branch.main.merge = %q", got)
	}
	if got := g.Git("config", "branch.main.kickoff"); got != "x" {
		t.Fatalf("branch.main.kickoff = %q", got)
	}

	if err := repo.DeleteBranchConfig("main"); err != nil {
		t.Fatal(err)
	}
	if cfg := g.Git("config", "--list", "--local"); strings.Contains(cfg, "branch.main.") {
		t.Fatalf("branch.main left after delete:\n%s", cfg)
	}
	if got := repo.BranchOption("side", "kickoff"); got != "kickoff-240510-alpha" {
		t.Fatalf("deleting main's config touched side's: %q", got)
	}
	if err := repo.DeleteBranchConfig("never-configured"); err != nil {
		t.Fatalf("deleting a branch with no config: %v", err)
	}
}
