package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestSyncFlags(t *testing.T) {
	so, err := parseFlags(t, newCmdSync, "--check")
	if err != nil {
		t.Fatal(err)
	}
	if so.Name != "" || !so.Check || so.NoPush {
		t.Errorf("sync options = %+v", so)
	}
	if so, err = parseFlags(t, newCmdSync, "kickoff-240510-x", "--no-push", "--json"); err != nil || so.Name != "kickoff-240510-x" || !so.NoPush || !so.JSON {
		t.Errorf("sync options = %+v, %v", so, err)
	}
	wantUsage(t, newCmdSync, "a", "b")
}

func TestSyncRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	sync := func(o SyncOptions) (string, error) {
		t.Helper()
		f, out, _ := repoFactory(t, r.Dir)
		o.F, o.Ctx = f, t.Context()
		err := syncRun(&o)
		return out.String(), err
	}
	if out, err := sync(SyncOptions{}); err != nil || out != k+" is up to date with origin/main\n" {
		t.Errorf("up to date: %q, %v", out, err)
	}
	// JSON lists no conflicts as [], not null.
	if out, err := sync(SyncOptions{JSON: true}); err != nil || !strings.Contains(out, `"conflicts": []`) || !strings.Contains(out, `"outcome": "up-to-date"`) {
		t.Errorf("up to date --json: %s, %v", out, err)
	}

	r.Git("checkout", "-q", "main")
	r.Commit("main.txt", "main", "main work")
	r.Git("push", "-q", "origin", "main")
	r.Git("checkout", "-q", k)
	if out, err := sync(SyncOptions{Name: k, Check: true}); err != nil || out != k+": 1 commit of origin/main would merge cleanly\n" {
		t.Errorf("--check: %q, %v", out, err)
	}
	out, err := sync(SyncOptions{NoPush: true})
	if err != nil || !strings.HasPrefix(out, k+": merged 1 commit of origin/main (") || !strings.HasSuffix(out, ", not pushed)\n") {
		t.Errorf("merge: %q, %v", out, err)
	}
}

// Conflicts are explained on stderr and end in a silent failure (exit 1).
func TestSyncRunConflicts(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	r.Commit("README.md", "kickoff's\n", "kickoff edit")
	r.Git("checkout", "-q", "main")
	r.Commit("README.md", "main's\n", "main edit")
	r.Git("push", "-q", "origin", "main")
	r.Git("checkout", "-q", k)

	f, out, errOut := repoFactory(t, r.Dir)
	err := syncRun(&SyncOptions{F: f, Ctx: t.Context(), Check: true, JSON: true})
	if err != ErrSilent || exitCode(err) != 1 {
		t.Errorf("err = %v, want ErrSilent (exit 1)", err)
	}
	if !strings.Contains(out.String(), `"outcome": "conflicts"`) {
		t.Errorf("stdout:\n%s", out)
	}
	if want := "kickoff: " + k + " would conflict with origin/main in:\n  README.md\n"; errOut.String() != want {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
}
