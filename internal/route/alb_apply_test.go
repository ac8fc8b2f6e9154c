package route

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestTargetGroupName(t *testing.T) {
	for _, tc := range []struct {
		project string
		r       Route
		want    string
	}{
		{"", Route{Slot: "dev1", App: "fe", Backend: Backend{Port: 20000}}, "kickoff-dev1-fe-20000"},
		{"acme", Route{Slot: "dev1", App: "my_api", Backend: Backend{Port: 20001}}, "kickoff-acme-dev1-my-api-20001"},
		{"acme-platform", Route{Slot: "dev12", App: "frontend_admin", Backend: Backend{Port: 20001}}, "kickoff-acme-platform-d-"},
	} {
		got := TargetGroupName(tc.project, tc.r)
		if !strings.HasPrefix(got, tc.want) || len(got) > 32 {
			t.Errorf("%q %+v: %q", tc.project, tc.r, got)
		}
	}
}

func TestALBAccessDeniedReportsPartialApplyAndRerunFinishes(t *testing.T) {
	fx := newFixture(t)
	a, desired := fx.driver(t, fx.config(t, hostYAML))
	p := planOf(t, a, desired)
	// Two rules go through; then the identity loses the right to create rules.
	err := a.Apply(context.Background(), &Plan{Driver: p.Driver, Mode: p.Mode, Changes: p.Changes[:2], state: p.state})
	if err != nil {
		t.Fatal(err)
	}
	p = planOf(t, a, desired)
	fx.fake.Fail("CreateRule", "AccessDenied", 1)
	err = a.Apply(context.Background(), p)
	var ae *ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"add rule dev2/fe: elasticloadbalancing:CreateRule: access denied: the AWS identity in use may not call elasticloadbalancing:CreateRule",
		"changed: none",
		"not changed: add rule dev2/fe, add rule dev2/spring, add record dev1/fe, add record dev1/spring, add record dev2/fe, add record dev2/spring",
		"run the same command again to finish the job",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	// The re-run does the rest and only the rest.
	fx.fake.ResetCalls()
	p = planOf(t, a, desired)
	wantLines(t, "re-run plan", summary(p)[:2], []string{"add rule dev2/fe dev2-fe.dev.acme.io/", "add rule dev2/spring dev2-spring.dev.acme.io/"})
	mustApply(t, a, p)
	if n := len(fx.fake.CallsOf("CreateRule")); n != 2 {
		t.Errorf("re-run CreateRule calls: %d", n)
	}
	wantConverged(t, a, desired)
}

func TestALBRemovalFailingHalfWayIsFinishedByTheNextApply(t *testing.T) {
	fx := newFixture(t)
	a, desired := fx.driver(t, fx.config(t, hostYAML))
	mustApply(t, a, planOf(t, a, desired))
	// dev2 goes; the rule is deleted but its target group is not (access denied).
	a2, desired2 := fx.driver(t, fx.config(t, strings.Replace(hostYAML, "slots: [dev1, dev2]", "slots: [dev1]", 1)))
	fx.fake.Fail("DeleteTargetGroup", "AccessDenied", 1)
	err := a2.Apply(context.Background(), planOf(t, a2, desired2))
	if err == nil || !strings.Contains(err.Error(), "remove rule dev2/fe: the rule is deleted, its target group is not: elasticloadbalancing:DeleteTargetGroup: access denied") ||
		!strings.Contains(err.Error(), "changed: remove record dev2/fe, remove record dev2/spring\n") ||
		!strings.Contains(err.Error(), "not changed: remove rule dev2/fe, remove rule dev2/spring\n") {
		t.Fatalf("err = %v", err)
	}
	p := planOf(t, a2, desired2)
	wantLines(t, "re-run plan", summary(p), []string{
		"remove rule dev2/spring dev2-spring.dev.acme.io/",
		"remove target_group dev2/fe kickoff-acme-dev2-fe-20100",
	})
	mustApply(t, a2, p)
	fx.fake.Mu.Lock()
	n := len(fx.fake.TargetGroups)
	fx.fake.Mu.Unlock()
	if n != 3 { // dev1's two and the foreign rule's
		t.Errorf("%d target groups left", n)
	}
	wantConverged(t, a2, desired2)
}
