package cli

import (
	"testing"

	"github.com/kickoffhq/kickoff/internal/gate"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestCheckFlags(t *testing.T) {
	o, err := parseFlags(t, newCmdCheck, "feature/PROJ-7", "--pr", "42", "--target", "kickoff-241101-login", "--json", "--publish", "--fetch")
	if err != nil {
		t.Fatal(err)
	}
	if o.Ref != "feature/PROJ-7" || o.PR != 42 || o.Target != "kickoff-241101-login" || !o.JSON || !o.Publish || !o.Fetch || o.OpenPRs {
		t.Errorf("check options = %+v", o)
	}
	if o, err := parseFlags(t, newCmdCheck, "--open-prs"); err != nil || !o.OpenPRs {
		t.Errorf("check --open-prs: %+v, %v", o, err)
	}
	wantUsage(t, newCmdCheck, "a", "b")
	wantUsage(t, newCmdCheck, "--pr", "-1")
	wantUsage(t, newCmdCheck, "--open-prs", "feature/PROJ-7")
	wantUsage(t, newCmdCheck, "--open-prs", "--pr", "3")
}

// A head that conflicts with main fails the check (exit 1) with the main pair blocking;
// outside CI nothing is published.
func TestCheckRun(t *testing.T) {
	r := gittest.NewLocal(t)
	r.Commit("app.txt", "one\ntwo\nthree\n", "base")
	r.Git("checkout", "-q", "-b", "feature/PROJ-7-banner")
	r.Commit("app.txt", "one\nbanner\nthree\n", "PROJ-7 banner")
	r.Git("checkout", "-q", "main")
	r.Commit("app.txt", "one\nhotfix\nthree\n", "hotfix")
	f, out, _ := repoFactory(t, r.Dir)
	err := checkRun(&CheckOptions{F: f, Ctx: t.Context(), Ref: "feature/PROJ-7-banner", JSON: true})
	if exitCode(err) != 1 {
		t.Fatalf("check of a head conflicting with main: err %v (exit %d), want exit 1", err, exitCode(err))
	}
	var res gate.Result
	decode(t, out.Bytes(), &res)
	if res.Passed || res.Head != "feature/PROJ-7-banner" || len(res.Pairs) != 1 {
		t.Fatalf("check --json = %+v, want a failed check of the feature against main", res)
	}
	if p := res.Pairs[0]; p.B != "main" || !p.Blocking || p.Own != 1 {
		t.Errorf("pair = %+v, want main, blocking, one conflict of its own", p)
	}
}
