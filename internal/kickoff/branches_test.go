package kickoff_test

import (
	"reflect"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// Kickoffs and features, local and remote-only, with the kickoff each feature belongs to;
// other branches are not offered.
func TestBranches(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	pushFeature(g, true)
	g.Git("switch", "-q", "-c", "feature/PROJ-2-한글-요약", "kickoff-240510-dash")
	g.Git("push", "-q", "origin", "feature/PROJ-2-한글-요약")
	g.Git("switch", "-q", "main")
	g.Git("branch", "-q", "-D", "feature/PROJ-2-한글-요약")
	g.Git("branch", "-q", "hotfix-login")
	e := env(t, g)
	bs, err := e.Branches("feature/")
	if err != nil {
		t.Fatal(err)
	}
	want := []kickoff.Branch{
		{Name: "kickoff-240510-dash", Kind: kickoff.KindKickoff, Kickoff: "kickoff-240510-dash", Local: true, Remote: true},
		{Name: "feature/PROJ-1", Kind: kickoff.KindFeature, Kickoff: "kickoff-240510-dash", Local: true, Remote: true},
		{Name: "feature/PROJ-2-한글-요약", Kind: kickoff.KindFeature, Remote: true},
	}
	if !reflect.DeepEqual(bs, want) {
		t.Fatalf("Branches =\n%+v\nwant\n%+v", bs, want)
	}
	// With a template that has no literal start, only recorded features count.
	if bs, _ := e.Branches(""); len(bs) != 2 || bs[1].Name != "feature/PROJ-1" {
		t.Errorf("Branches(\"\") = %+v, want the kickoff and the recorded feature", bs)
	}

	if m := kickoff.MatchBranches(bs, "proj"); len(m) != 2 {
		t.Errorf("proj (any case) matches %d branches, want 2", len(m))
	}
	if m := kickoff.MatchBranches(bs, "feature/PROJ-1"); len(m) != 1 || m[0].Name != "feature/PROJ-1" {
		t.Errorf("an exact name is the only match: %+v", m)
	}
	if m := kickoff.MatchBranches(bs, "한글"); len(m) != 1 || m[0].Name != "feature/PROJ-2-한글-요약" {
		t.Errorf("Korean pattern: %+v", m)
	}
}
