package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestNotesFlags(t *testing.T) {
	got, err := parseFlags(t, newCmdNotes, "1.2.0", "--since", "1.0.0", "--format", "json")
	if err != nil || got.Target != "1.2.0" || got.Since != "1.0.0" || got.Format != "json" {
		t.Fatalf("err = %v, opts = %+v", err, got)
	}
	if got, err = parseFlags(t, newCmdNotes); err != nil || got.Target != "" || got.Format != "md" {
		t.Errorf("defaults: %+v, %v", got, err)
	}
	wantUsage(t, newCmdNotes, "1.2.0", "--format", "pdf")
}

func TestNotesRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	r.Commit("typo.txt", "typo", "Fix a typo")
	notes := func(o NotesOptions) (string, error) {
		t.Helper()
		f, out, _ := repoFactory(t, r.Dir)
		o.F, o.Ctx = f, t.Context()
		err := notesRun(&o)
		return out.String(), err
	}
	// The checked-out kickoff, as Markdown.
	out, err := notes(NotesOptions{Format: "md"})
	if err != nil || !strings.HasPrefix(out, "# "+k+"\n") || !strings.Contains(out, "\n- PROJ-1 work on "+k+" (Ann Author)\n") ||
		!strings.Contains(out, " Fix a typo (Ann Author)\n") {
		t.Errorf("kickoff notes:\n%s%v", out, err)
	}
	out, err = notes(NotesOptions{Target: k, Format: "json"})
	if err != nil || !strings.Contains(out, `"jira": "off"`) {
		t.Errorf("kickoff notes --format json:\n%s%v", out, err)
	}
	if _, err = notes(NotesOptions{Target: "dashboard", Format: "md"}); !isUsage(err) {
		t.Errorf("neither kickoff nor version: err = %v, want a usage error", err)
	}
}
