package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestRoutePlanFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdRoutePlan, "--slot", "dev3", "--json"); err != nil || o.Slot != "dev3" || !o.JSON {
		t.Errorf("plan: %+v %v", o, err)
	}
	wantUsage(t, newCmdRoutePlan, "extra")
}

// routesRepo is a repository whose .kickoff.yaml has two slots of two apps, routed by
// path through the built-in router.
func routesRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.NewLocal(t)
	r.Write(".kickoff.yaml", `slots: [dev1, dev2]
apps:
  fe: {image: acme/fe, port: 3000}
  web: {image: acme/web, port: 8000, strip_prefix: false}
`)
	return r
}

func TestRoutePlanRun(t *testing.T) {
	r := routesRepo(t)
	f, out, _ := repoFactory(t, r.Dir)
	if err := routePlanRun(&RoutePlanOptions{F: f, Ctx: t.Context()}); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"kickoff route plan (path mode, local driver):\n\n",
		"  + rule dev1/fe localhost/dev1/fe/ -> 127.0.0.1:20000 (prefix stripped)\n",
		"  + rule dev2/web localhost/dev2/web/ -> 127.0.0.1:20101\n",
		"\nPlan: 4 to add, 0 to change, 0 to remove.\n",
	} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("kickoff route plan lacks %q:\n%s", line, out)
		}
	}

	f, out, _ = repoFactory(t, r.Dir)
	if err := routePlanRun(&RoutePlanOptions{F: f, Ctx: t.Context(), Slot: "dev2", JSON: true}); err != nil {
		t.Fatal(err)
	}
	var p struct {
		Driver  string
		Changes []struct{ Action, Slot string }
	}
	decode(t, out.Bytes(), &p)
	if p.Driver != "local" || len(p.Changes) != 2 || p.Changes[0].Slot != "dev2" || p.Changes[0].Action != "add" {
		t.Errorf("kickoff route plan --slot dev2 --json = %+v", p)
	}

	f, _, _ = repoFactory(t, r.Dir)
	err := routePlanRun(&RoutePlanOptions{F: f, Ctx: t.Context(), Slot: "dev9"})
	if !isUsage(err) || !strings.Contains(err.Error(), "--slot dev9: not a configured slot (slots: dev1, dev2)") {
		t.Errorf("--slot dev9: err = %v, want a usage error naming the slots", err)
	}
}
