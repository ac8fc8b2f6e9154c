package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestDoctorFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdDoctor, "--json"); err != nil || !o.JSON {
		t.Errorf("doctor options = %+v, %v", o, err)
	}
	wantUsage(t, newCmdDoctor, "everything")
}

// One line per check, in a fixed order; a clone without a remote fails the remote check
// (exit 1) and skips the credentials, while everything that does not apply is skipped.
func TestDoctorRun(t *testing.T) {
	g := gittest.NewLocal(t)
	f, out, _ := repoFactory(t, g.Dir)
	f.Env = []string{"HOME=" + t.TempDir()} // no GITHUB_TOKEN or Jira of the machine's own
	err := doctorRun(&DoctorOptions{F: f, Ctx: t.Context(), JSON: true})
	if exitCode(err) != ExitFailure {
		t.Fatalf("doctor without a remote: %v, want exit 1", err)
	}
	var report struct {
		OK     bool
		Checks []doctorCheck
	}
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	var got []string
	for _, c := range report.Checks {
		got = append(got, c.Name+"="+c.Status)
	}
	want := "git=ok repository=ok configuration=ok remote=fail credentials=skip github=skip jira=skip docker=skip registry=skip"
	if report.OK || strings.Join(got, " ") != want {
		t.Errorf("report ok=%v %s\nwant %s", report.OK, strings.Join(got, " "), want)
	}
	if d := report.Checks[3].Detail; !strings.Contains(d, "git remote add origin URL") {
		t.Errorf("the remote check does not say what to fix: %q", d)
	}
}
