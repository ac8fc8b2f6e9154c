package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestAbandonFlags(t *testing.T) {
	o, err := parseFlags(t, newCmdAbandon, "kickoff-240510-대시보드", "-y", "--json")
	if err != nil || o.Name != "kickoff-240510-대시보드" || !o.Yes || !o.JSON || o.DryRun {
		t.Errorf("abandon options = %+v, %v", o, err)
	}
	wantUsage(t, newCmdAbandon)
	wantUsage(t, newCmdAbandon, "a", "b")
}

// Without --yes and no terminal to ask on, abandon refuses (a usage error) and deletes
// nothing; the answer on a terminal decides.
func TestAbandonConfirms(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	r.Git("checkout", "-q", "main")
	f, _, _ := repoFactory(t, r.Dir)
	err := abandonRun(&AbandonOptions{F: f, Ctx: t.Context(), Name: k})
	if !isUsage(err) || !strings.Contains(err.Error(), "confirm with --yes") {
		t.Fatalf("abandon without --yes: %v", err)
	}
	r.Git("rev-parse", "--verify", "-q", k)

	f, _, errOut := repoFactory(t, r.Dir)
	f.IO.SetTTY(true, false)
	f.IO.In = strings.NewReader("아니요\n")
	if err := abandonRun(&AbandonOptions{F: f, Ctx: t.Context(), Name: k}); err != ErrSilent || !strings.Contains(errOut.String(), "Not abandoned") {
		t.Fatalf("answered no: %v\n%s", err, errOut)
	}
	r.Git("rev-parse", "--verify", "-q", k)

	f, out, _ := repoFactory(t, r.Dir)
	f.IO.SetTTY(true, false)
	f.IO.In = strings.NewReader("y\n")
	if err := abandonRun(&AbandonOptions{F: f, Ctx: t.Context(), Name: k}); err != nil || !strings.HasPrefix(out.String(), k+" abandoned: deleted 1 branch") {
		t.Fatalf("answered yes: %v %q", err, out)
	}
	if got := r.Git("ls-remote", "origin", "refs/heads/"+k, "refs/kickoff/abandoned/"+k); strings.Contains(got, "refs/heads/") || !strings.Contains(got, "abandoned") {
		t.Errorf("remote after abandon:\n%s", got)
	}
}
