package cli

import (
	"encoding/json"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// newKickoff makes the kickoff branch name on r from main with one commit of its own,
// pushed when r has a remote, and leaves it checked out.
func newKickoff(t *testing.T, r *gittest.Repo, name string) {
	t.Helper()
	r.Git("checkout", "-q", "-b", name, "main")
	r.Commit(name+".txt", name, "PROJ-1 work on "+name)
	if r.Remote != "" {
		r.Git("push", "-q", "-u", "origin", name)
	}
}

// decode reads a command's --json output into v, failing t when it is not JSON.
func decode(t *testing.T, out []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
}
