package cli

import (
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/web"
)

// The dashboard's kickoffs: live ones by name, with their platform versions.
func TestDashboardKickoffs(t *testing.T) {
	r := gittest.New(t)
	newKickoff(t, r, "kickoff-240511-reports")
	newKickoff(t, r, "kickoff-240510-dashboard")
	f, _, _ := repoFactory(t, r.Dir)
	if err := versionRun(&VersionOptions{F: f, Ctx: t.Context(), Kickoff: "kickoff-240511-reports", Assign: true}); err != nil {
		t.Fatal(err)
	}
	f, _, _ = repoFactory(t, r.Dir)
	repo, cfg, err := f.RepoConfig()
	if err != nil {
		t.Fatal(err)
	}
	got, err := dashboardKickoffs(t.Context(), f, repo, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []web.KickoffInfo{
		{Name: "kickoff-240510-dashboard", Head: r.Git("rev-parse", "kickoff-240510-dashboard")},
		{Name: "kickoff-240511-reports", Head: r.Git("rev-parse", "kickoff-240511-reports"), Version: "0.1.0"},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("dashboardKickoffs = %+v, want %+v", got, want)
	}
}
