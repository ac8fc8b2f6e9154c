package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestListFlags(t *testing.T) {
	lo, err := parseFlags(t, newCmdList, "--all", "--json", "--fetch")
	if err != nil {
		t.Fatal(err)
	}
	if !lo.All || !lo.JSON || !lo.Fetch {
		t.Errorf("list options = %+v", lo)
	}
	if _, err := parseFlags(t, newCmdList, "--bogus"); !isUsage(err) {
		t.Errorf("--bogus: err = %v, want a usage error", err)
	}
	wantUsage(t, newCmdList, "extra")
}

func TestListRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)

	// Nothing to list: nothing on stdout when it is not a terminal.
	f, out, errOut := repoFactory(t, r.Dir)
	if err := listRun(&ListOptions{F: f, Ctx: t.Context()}); err != nil || out.Len() != 0 || errOut.Len() != 0 {
		t.Errorf("no kickoffs: %v, stdout %q, stderr %q", err, out, errOut)
	}

	newKickoff(t, r, k)
	f, _, _ = repoFactory(t, r.Dir)
	if err := featureRun(&FeatureOptions{F: f, Ctx: t.Context(), Key: "PROJ-7", NoPush: true}); err != nil {
		t.Fatal(err)
	}
	f, out, _ = repoFactory(t, r.Dir)
	if err := listRun(&ListOptions{F: f, Ctx: t.Context(), JSON: true}); err != nil {
		t.Fatal(err)
	}
	var items []listItem
	decode(t, out.Bytes(), &items)
	if len(items) != 1 {
		t.Fatalf("kickoff list --json = %+v, want one kickoff", items)
	}
	it := items[0]
	if it.Name != k || it.Date != "2024-05-10" || it.Summary != "dashboard" || it.State != "live" ||
		!it.Local || !it.Remote || it.Ahead != 1 || it.Behind != 0 || it.LastCommit.Author != "Ann Author" ||
		it.LastCommit.Subject != "PROJ-1 work on "+k || it.FinishedAt != nil || it.Version != "" {
		t.Errorf("kickoff list --json = %+v", it)
	}
	if len(it.Features) != 1 || it.Features[0] != (listFeature{Branch: "feature/PROJ-7", Local: true, Ahead: 1, Merged: false}) {
		t.Errorf("features = %+v", it.Features)
	}

	// Not on a terminal: no header, tab-separated, the last commit's time in RFC 3339.
	f, out, _ = repoFactory(t, r.Dir)
	if err := listRun(&ListOptions{F: f, Ctx: t.Context()}); err != nil {
		t.Fatal(err)
	}
	row := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\t")
	if len(row) != 7 || row[0] != k || row[1] != "2024-05-10" || row[2] != "+1/-0" ||
		!strings.HasPrefix(row[3], "Ann Author, 20") || row[4] != "feature/PROJ-7" || row[5] != "-" || row[6] != "-" {
		t.Errorf("row = %q", row)
	}
}
