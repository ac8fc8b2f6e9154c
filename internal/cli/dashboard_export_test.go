package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestDashboardExportFlags(t *testing.T) {
	if e, err := parseFlags(t, newCmdDashboardExport, "public"); err != nil || e.Dir != "public" {
		t.Errorf("dashboard export: %+v, %v", e, err)
	}
	wantUsage(t, newCmdDashboardExport)
	wantUsage(t, newCmdDashboardExport, "a", "b")
}

// export writes the pages under DIR, relative to where kickoff runs, and lists them as
// the user named DIR.
func TestDashboardExportRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	r.Write(".kickoff.yaml", "slots: [dev1, dev2]\n")
	newKickoff(t, r, k)
	f, out, errOut := repoFactory(t, r.Dir)
	if err := dashboardExportRun(&DashboardExportOptions{F: f, Ctx: t.Context(), Dir: "public"}); err != nil {
		t.Fatal(err)
	}
	files := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	for _, want := range []string{"public/index.html", "public/api/slots.json", "public/api/kickoffs.json"} {
		if !slices.Contains(files, filepath.FromSlash(want)) {
			t.Errorf("export did not list %s:\n%s", want, out)
		}
	}
	if !slices.IsSorted(files) {
		t.Errorf("files not sorted:\n%s", out)
	}
	if want := "exported the dashboard: " + strconv.Itoa(len(files)) + " files in public\n"; !strings.HasSuffix(errOut.String(), want) {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
	b, err := os.ReadFile(filepath.Join(r.Dir, "public", "api", "kickoffs.json"))
	if err != nil || !strings.Contains(string(b), k) {
		t.Errorf("api/kickoffs.json lacks %s: %v\n%s", k, err, b)
	}
}
