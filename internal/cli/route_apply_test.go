package cli

import (
	"strings"
	"testing"
)

func TestRouteApplyFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdRouteApply, "--slot", "dev1"); err != nil || o.Slot != "dev1" || o.JSON {
		t.Errorf("apply: %+v %v", o, err)
	}
	wantUsage(t, newCmdRouteApply, "extra")
}

// apply prints the plan, applies it and counts; applied, the next plan has nothing to do.
func TestRouteApplyRun(t *testing.T) {
	r := routesRepo(t)
	f, out, _ := repoFactory(t, r.Dir)
	if err := routeApplyRun(&RouteApplyOptions{F: f, Ctx: t.Context(), Slot: "dev1"}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.HasPrefix(s, "kickoff route plan (path mode, local driver):\n") ||
		!strings.HasSuffix(s, "\nApply complete: 2 added, 0 changed, 0 removed.\n") {
		t.Errorf("kickoff route apply --slot dev1 printed:\n%s", s)
	}

	// JSON: the applied plan only, no counts.
	f, out, _ = repoFactory(t, r.Dir)
	if err := routeApplyRun(&RouteApplyOptions{F: f, Ctx: t.Context(), JSON: true}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.HasPrefix(s, "{") || strings.Contains(s, "Apply complete") || !strings.Contains(s, `"unchanged": 2`) {
		t.Errorf("kickoff route apply --json printed:\n%s", s)
	}

	f, out, _ = repoFactory(t, r.Dir)
	if err := routeApplyRun(&RouteApplyOptions{F: f, Ctx: t.Context()}); err != nil {
		t.Fatal(err)
	}
	if want := "No changes: the 4 routes (path mode, local driver) match the configuration.\n"; out.String() != want {
		t.Errorf("applied twice: %q, want %q", out, want)
	}
}
