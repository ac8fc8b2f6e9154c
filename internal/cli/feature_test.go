package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/term"
)

func TestFeatureFlags(t *testing.T) {
	fo, err := parseFlags(t, newCmdFeature, "PROJ-1", "--kickoff", "kickoff-240510-x", "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	if fo.Key != "PROJ-1" || fo.Kickoff != "kickoff-240510-x" || !fo.DryRun || fo.NoPush {
		t.Errorf("feature options = %+v", fo)
	}
	wantUsage(t, newCmdFeature)
}

// Without Jira the branch is feature/KEY, cut from the current branch's kickoff.
func TestFeatureRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	f, out, _ := repoFactory(t, r.Dir)
	if err := featureRun(&FeatureOptions{F: f, Ctx: t.Context(), Key: "PROJ-7", NoPush: true, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var got featureResult
	decode(t, out.Bytes(), &got)
	want := featureResult{Branch: "feature/PROJ-7", Kickoff: k, Key: "PROJ-7", Commit: r.Git("rev-parse", k), SwitchedTo: true}
	if got != want {
		t.Errorf("kickoff feature --json = %+v, want %+v", got, want)
	}

	f, _, _ = repoFactory(t, r.Dir)
	if err := featureRun(&FeatureOptions{F: f, Ctx: t.Context(), Key: "proj 7"}); !isUsage(err) {
		t.Errorf("a malformed key: err = %v, want a usage error", err)
	}
}

// On no kickoff's branch, a terminal user picks the kickoff by number.
func TestPickKickoff(t *testing.T) {
	var live []kickoff.Kickoff
	for _, s := range []string{"kickoff-240510-a", "kickoff-240511-b"} {
		n, err := kickoff.ParseName(s)
		if err != nil {
			t.Fatal(err)
		}
		live = append(live, kickoff.Kickoff{Name: n})
	}
	tests := []struct {
		input, want string
		usage       bool
	}{
		{"2\n", "kickoff-240511-b", false},
		{" 1 \n", "kickoff-240510-a", false},
		{"3\n", "", true},
		{"b\n", "", true},
		{"", "", false}, // no answer: an error naming --kickoff
	}
	for _, tt := range tests {
		var errOut bytes.Buffer
		f := &Factory{IO: term.Test(strings.NewReader(tt.input), &bytes.Buffer{}, &errOut)}
		k, err := pickKickoff(f, live)
		switch {
		case tt.want != "":
			if err != nil || k.Name.String() != tt.want {
				t.Errorf("%q: picked %s, %v; want %s", tt.input, k.Name, err, tt.want)
			}
		case tt.usage:
			if !isUsage(err) {
				t.Errorf("%q: err = %v, want a usage error", tt.input, err)
			}
		default:
			if err == nil || !strings.Contains(err.Error(), "--kickoff") {
				t.Errorf("%q: err = %v, want one naming --kickoff", tt.input, err)
			}
		}
		if !strings.Contains(errOut.String(), "  2) kickoff-240511-b\n") {
			t.Errorf("%q: the choices were not listed:\n%s", tt.input, errOut.String())
		}
	}
}

// --slug fills {{summary-slug}} even without Jira; a bad slug is a usage error.
func TestFeatureSlug(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	f, out, _ := repoFactory(t, r.Dir)
	if err := featureRun(&FeatureOptions{F: f, Ctx: t.Context(), Key: "PROJ-8", Slug: "refund-api", NoPush: true}); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); got != "feature/PROJ-8-refund-api" {
		t.Errorf("kickoff feature --slug printed %q", got)
	}
	f, _, _ = repoFactory(t, r.Dir)
	if err := featureRun(&FeatureOptions{F: f, Ctx: t.Context(), Key: "PROJ-9", Slug: "환불"}); !isUsage(err) {
		t.Errorf("--slug 환불: err = %v, want a usage error", err)
	}
}
