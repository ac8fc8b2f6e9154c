package route

import (
	"context"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/route/awstest"
)

func TestRoute53RecordElsewhereIsChangedAndFailureLeavesRulesInPlace(t *testing.T) {
	fx := newFixture(t)
	a, desired := fx.driver(t, fx.config(t, hostYAML))
	// dev1-fe already points at an old load balancer.
	fx.fake.Mu.Lock()
	fx.fake.Zones["Z0KICKOFF"] = append(fx.fake.Zones["Z0KICKOFF"], &awstest.Record{Name: "dev1-fe.dev.acme.io.", Type: "A", AliasDNSName: "old-lb.eu-west-1.elb.amazonaws.com.", AliasZone: "Z32O12XQLNTSW2"})
	fx.fake.Mu.Unlock()
	p := planOf(t, a, desired)
	dns := p.state.(*albState).DNSName
	if got := summary(p)[4]; got != "change record dev1/fe dev1-fe.dev.acme.io [alias: old-lb.eu-west-1.elb.amazonaws.com -> "+dns+"]" {
		t.Errorf("record change: %s", got)
	}
	fx.fake.Fail("ChangeResourceRecordSets", "AccessDenied", 1)
	err := a.Apply(context.Background(), p)
	if err == nil || !strings.Contains(err.Error(), "route53:ChangeResourceRecordSets: access denied") ||
		!strings.Contains(err.Error(), "changed: add rule dev1/fe, add rule dev1/spring, add rule dev2/fe, add rule dev2/spring") {
		t.Fatalf("err = %v", err)
	}
	if got := fx.fake.Record("Z0KICKOFF", "dev1-fe.dev.acme.io"); got != "old-lb.eu-west-1.elb.amazonaws.com" {
		t.Errorf("a failed batch changed a record: %s", got)
	}
	p = planOf(t, a, desired)
	for _, c := range p.Changes {
		if c.Kind != KindRecord {
			t.Errorf("re-run wants %s %s %s", c.Action, c.Kind, c.Key())
		}
	}
	mustApply(t, a, p)
	if got := fx.fake.Record("Z0KICKOFF", "dev1-fe.dev.acme.io"); got != dns {
		t.Errorf("record points at %s", got)
	}
}

// In path mode every slot shares the domain's record: applying one slot's routes (what a
// release does) creates it too.
func TestALBPathModeRecordComesWithAnySlot(t *testing.T) {
	fx := newFixture(t)
	cfg := fx.config(t, `slots: [dev1, dev2]
apps:
  fe: {image: acme/fe, port: 3000}
routing:
  mode: path
  driver: alb
  domain: qa.acme.io
  route53_zone: Z0KICKOFF
`)
	a, desired := fx.driver(t, cfg)
	p := planOf(t, a, desired).ForSlot("dev2")
	dns := p.state.(*albState).DNSName
	wantLines(t, "dev2's plan", summary(p), []string{
		"add rule dev2/fe qa.acme.io/dev2/fe/",
		"add record qa.acme.io qa.acme.io [alias:  -> " + dns + "]",
	})
	mustApply(t, a, p)
	if got := fx.fake.Record("Z0KICKOFF", "qa.acme.io"); got != dns {
		t.Errorf("domain record: %q", got)
	}
}
