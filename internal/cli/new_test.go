package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestNewFlags(t *testing.T) {
	n, err := parseFlags(t, newCmdNew, "Admin Dashboard", "--date", "240510", "--from", "v1", "--no-push", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if n.Summary != "Admin Dashboard" || n.Date != "240510" || n.From != "v1" || !n.NoPush || !n.JSON || n.DryRun {
		t.Errorf("new options = %+v", n)
	}
	// Wrong argument counts are usage errors (exit 2), and nothing runs.
	wantUsage(t, newCmdNew)
	wantUsage(t, newCmdNew, "a", "b")
}

func TestNewRun(t *testing.T) {
	r := gittest.New(t)
	f, out, _ := repoFactory(t, r.Dir)
	err := newRun(&NewOptions{F: f, Ctx: t.Context(), Summary: "Admin Dashboard", Date: "240510", JSON: true})
	if err != nil {
		t.Fatal(err)
	}
	var got newResult
	decode(t, out.Bytes(), &got)
	want := newResult{Name: "kickoff-240510-admin-dashboard", Date: "2024-05-10", Summary: "admin-dashboard",
		Base: "origin/main", Commit: r.Git("rev-parse", "main"), Pushed: true, SwitchedTo: true}
	if got != want {
		t.Errorf("kickoff new --json = %+v, want %+v", got, want)
	}
	if b := r.Git("rev-parse", "--abbrev-ref", "HEAD"); b != want.Name {
		t.Errorf("checked out %s, want %s", b, want.Name)
	}

	f, out, _ = repoFactory(t, r.Dir)
	if err := newRun(&NewOptions{F: f, Ctx: t.Context(), Summary: "billing", Date: "240511", DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "kickoff new kickoff-240511-billing (dry run, nothing changed):\n") {
		t.Errorf("kickoff new --dry-run printed:\n%s", out)
	}
	if refs := r.Git("branch", "--list", "kickoff-240511-billing"); refs != "" {
		t.Errorf("--dry-run made the branch: %s", refs)
	}

	for _, o := range []NewOptions{{Summary: "x", Date: "2405"}, {Summary: "!!!"}} {
		f, _, _ = repoFactory(t, r.Dir)
		o.F, o.Ctx = f, t.Context()
		if err := newRun(&o); !isUsage(err) {
			t.Errorf("%+v: err = %v, want a usage error", o, err)
		}
	}
}

// A Korean summary becomes a romanized name, said on stderr before the branch is made;
// --slug sets the name as given, and a bad one is a usage error.
func TestNewKoreanAndSlug(t *testing.T) {
	r := gittest.New(t)
	f, out, errOut := repoFactory(t, r.Dir)
	if err := newRun(&NewOptions{F: f, Ctx: t.Context(), Summary: "결제 개선", Date: "240510", NoPush: true}); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); got != "kickoff-240510-gyeolje-gaeseon" {
		t.Errorf("kickoff new 결제 개선 printed %q", got)
	}
	note := strings.Index(errOut.String(), `"결제 개선" is spelled gyeolje-gaeseon`)
	made := strings.Index(errOut.String(), "create branch kickoff-240510-gyeolje-gaeseon")
	if note < 0 || made < 0 || note > made {
		t.Errorf("the spelling should be said before the branch is made; stderr:\n%s", errOut)
	}

	f, out, _ = repoFactory(t, r.Dir)
	if err := newRun(&NewOptions{F: f, Ctx: t.Context(), Summary: "결제 개선", Slug: "payments", Date: "240510", NoPush: true, DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "kickoff new kickoff-240510-payments (dry run") || strings.Contains(out.String(), "gyeolje") {
		t.Errorf("--slug payments --dry-run printed:\n%s", out)
	}
	for _, slug := range []string{"Payments", "결제", "a--b"} {
		f, _, _ = repoFactory(t, r.Dir)
		if err := newRun(&NewOptions{F: f, Ctx: t.Context(), Slug: slug, Date: "240510"}); !isUsage(err) {
			t.Errorf("--slug %q: err = %v, want a usage error", slug, err)
		}
	}
	n, err := parseFlags(t, newCmdNew, "--slug", "payments")
	if err != nil || n.Slug != "payments" || n.Summary != "" {
		t.Errorf("new --slug alone: %+v, %v", n, err)
	}
}
