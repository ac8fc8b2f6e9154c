package cli

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestSlotCommandsAreAllWired(t *testing.T) {
	var slot []string
	for _, c := range NewRootCmd(testFactory()).Commands() {
		if c.Name() == "slot" {
			for _, sub := range c.Commands() {
				slot = append(slot, sub.Name())
			}
		}
	}
	slices.Sort(slot)
	if want := []string{"claim", "config", "diff", "down", "exec", "free", "logs", "ls", "prune", "rollback", "status", "unlock"}; !slices.Equal(slot, want) {
		t.Errorf("kickoff slot has %v, want %v", slot, want)
	}
}

// TestListAndFinishJoinTheAreas runs the commands in process on a real repository: `kickoff
// list` shows the VERSION and SLOTS columns, `kickoff finish` puts the final platform tag.
func TestListAndFinishJoinTheAreas(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	r.Git("checkout", "-q", "-b", k, "main")
	r.Commit("dash.txt", "dash", "PROJ-1 dashboard page")
	r.Git("push", "-q", "-u", "origin", k)
	run := func(tty bool, args ...string) (string, string) {
		t.Helper()
		f, out, errOut := repoFactory(t, r.Dir)
		f.IO.SetTTY(tty, false)
		if code := Run(context.Background(), f, args); code != 0 {
			t.Fatalf("kickoff %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
		}
		return out.String(), errOut.String()
	}

	if out, _ := run(false, "version", k, "--assign"); out != "platform/v0.1.0\n" {
		t.Fatalf("kickoff version = %q", out)
	}
	out, _ := run(true, "list")
	lines := strings.Split(out, "\n")
	if len(lines) < 2 || !strings.HasSuffix(strings.TrimSpace(lines[0]), "FEATURES  VERSION  SLOTS") ||
		!strings.HasSuffix(strings.TrimSpace(lines[1]), "0.1.0    -") {
		t.Errorf("kickoff list, no VERSION and SLOTS:\n%s", out)
	}

	r.Git("checkout", "-q", "main")
	r.Git("merge", "-q", "--no-ff", "--no-edit", k)
	r.Git("push", "-q", "origin", "main")
	main := r.Git("rev-parse", "HEAD")
	_, errOut := run(false, "finish", k)
	if !strings.Contains(errOut, "Tagged "+main[:12]+" as platform/v0.1.0 and pushed it to origin.") {
		t.Errorf("kickoff finish said:\n%s", errOut)
	}
	if on := r.Git("rev-parse", "platform/v0.1.0^{commit}"); on != main {
		t.Errorf("platform/v0.1.0 is on %s, want the main commit %s", on, main)
	}
}
