package gate

import (
	"reflect"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/radar"
)

func TestHeadOf(t *testing.T) {
	pr := &PullRequest{Number: 7, HeadSHA: "abc123", HeadRef: "feature/PROJ-7-banner", BaseRef: "kickoff-241101-login"}
	tests := []struct {
		name    string
		req     Request
		current string
		want    Head
	}{
		{"the named ref", Request{Ref: "feature/x"}, "main", Head{"feature/x", "feature/x"}},
		{"the named ref wins over the pull request", Request{Ref: "feature/x", PR: pr}, "main", Head{"feature/x", "feature/x"}},
		{"the pull request's head", Request{PR: pr}, "main", Head{"abc123", "feature/PROJ-7-banner"}},
		{"HEAD, named after the branch", Request{}, "feature/y", Head{"HEAD", "feature/y"}},
		{"a detached HEAD", Request{}, "", Head{"HEAD", "HEAD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HeadOf(tt.req, func() string { return tt.current }); got != tt.want {
				t.Errorf("HeadOf = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestTargetOf(t *testing.T) {
	login := kickoff.Name{Date: time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC), Summary: "login"}
	belongs := func(string) (kickoff.Name, bool) { return login, true }
	none := func(string) (kickoff.Name, bool) { return kickoff.Name{}, false }
	tests := []struct {
		name      string
		req       Request
		head      string
		kickoffOf func(string) (kickoff.Name, bool)
		want      string
	}{
		{"--target", Request{Target: "release", PR: &PullRequest{BaseRef: "main"}}, "feature/x", belongs, "release"},
		{"the pull request's base", Request{PR: &PullRequest{BaseRef: "kickoff-241102-billing"}}, "feature/x", belongs, "kickoff-241102-billing"},
		{"the head's kickoff", Request{}, "feature/x", belongs, "kickoff-241101-login"},
		{"a pull request without a base", Request{PR: &PullRequest{}}, "feature/x", belongs, "kickoff-241101-login"},
		{"a kickoff's own target is main", Request{}, "kickoff-241101-login", belongs, "main"},
		{"no kickoff: main", Request{}, "feature/x", none, "main"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TargetOf(tt.req, tt.head, "main", tt.kickoffOf); got != tt.want {
				t.Errorf("TargetOf = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAgainstOf(t *testing.T) {
	live := []string{"kickoff-241101-login", "kickoff-241102-billing", "kickoff-241103-search"}
	tests := []struct {
		name, head, target string
		want               []Against
	}{
		{"a feature branch of a kickoff", "feature/x", "kickoff-241101-login", []Against{
			{"kickoff-241101-login", RoleTarget}, {"main", RoleMain},
			{"kickoff-241102-billing", RoleKickoff}, {"kickoff-241103-search", RoleKickoff},
		}},
		{"a kickoff into main", "kickoff-241102-billing", "main", []Against{
			{"main", RoleTarget}, {"kickoff-241101-login", RoleKickoff}, {"kickoff-241103-search", RoleKickoff},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AgainstOf(tt.head, tt.target, "main", live); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("AgainstOf = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDecide(t *testing.T) {
	clean := radar.Pair{B: "x", Clean: true}
	conflicted := radar.Pair{B: "x", Conflicts: []radar.Conflict{{Path: "app.txt"}}}
	tests := []struct {
		name          string
		role          string
		pair          radar.Pair
		failOnKickoff bool
		passed        bool
		blocking      bool
	}{
		{"clean with the target", RoleTarget, clean, false, true, true},
		{"conflict with the target", RoleTarget, conflicted, false, false, true},
		{"conflict with main", RoleMain, conflicted, false, false, true},
		{"conflict with a kickoff warns", RoleKickoff, conflicted, false, true, false},
		{"conflict with a kickoff, when the team says so", RoleKickoff, conflicted, true, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := decide(radar.RefInfo{Name: "feature/x", Commit: "abc"}, []Against{{"x", tt.role}}, []radar.Pair{tt.pair}, &attribution{head: "feature/x", main: "main"}, tt.failOnKickoff)
			if err != nil {
				t.Fatal(err)
			}
			if res.Passed != tt.passed || res.Pairs[0].Blocking != tt.blocking {
				t.Errorf("passed %v blocking %v, want %v %v", res.Passed, res.Pairs[0].Blocking, tt.passed, tt.blocking)
			}
			if wantTarget := map[bool]string{true: "x"}[tt.role == RoleTarget]; res.Target != wantTarget {
				t.Errorf("target %q, want %q", res.Target, wantTarget)
			}
		})
	}
}
