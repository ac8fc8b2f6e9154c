package route

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/route/awstest"
)

const testInstance = "i-0abc123def4567890"

// awsEnv gives the process static test credentials and no other source (no profile, no IMDS).
func awsEnv(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDKICKOFFTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

type albFixture struct {
	fake     *awstest.Fake
	listener string
	foreign  string
}

func newFixture(t *testing.T) *albFixture {
	awsEnv(t)
	f := awstest.New()
	t.Cleanup(f.Close)
	_, l := f.AddLoadBalancer("qa", "vpc-0feed")
	// A rule someone else manages, at the priority kickoff would like for dev1/fe.
	foreign := f.AddRule(l, DefaultPriorityBase, "legacy.dev.acme.io", awstest.Tag{Key: "team", Value: "platform"})
	f.AddZone("Z0KICKOFF")
	return &albFixture{fake: f, listener: l, foreign: foreign}
}

func (fx *albFixture) config(t *testing.T, yaml string) *config.Config {
	t.Helper()
	return testConfig(t, yaml+fmt.Sprintf("  listener_arn: %s\n  instance_id: %s\n  endpoint: %s\n", fx.listener, testInstance, fx.fake.URL))
}

func (fx *albFixture) driver(t *testing.T, cfg *config.Config) (*ALB, []Route) {
	t.Helper()
	a, err := NewALB(context.Background(), cfg, AWSOptions{Endpoint: cfg.Routing.Endpoint, BaseDelay: time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	desired, err := Desired(cfg, Options{BackendHost: InstanceBackendHost})
	if err != nil {
		t.Fatal(err)
	}
	return a, desired
}

func planOf(t *testing.T, a *ALB, desired []Route) *Plan {
	t.Helper()
	p, err := a.Plan(context.Background(), desired)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustApply(t *testing.T, a *ALB, p *Plan) {
	t.Helper()
	if err := a.Apply(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}

// wantConverged checks that nothing is left to do: a new plan is empty.
func wantConverged(t *testing.T, a *ALB, desired []Route) {
	t.Helper()
	if p := planOf(t, a, desired); !p.Empty() {
		t.Errorf("not converged: %v", summary(p))
	}
}

func summary(p *Plan) []string {
	var out []string
	for _, c := range p.Changes {
		s := c.Action + " " + c.Kind + " " + c.Key() + " " + c.Name
		for _, f := range c.Fields {
			s += fmt.Sprintf(" [%s: %s -> %s]", f.Name, f.Before, f.After)
		}
		out = append(out, s)
	}
	return out
}

func wantLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

const hostYAML = `project: acme
slots: [dev1, dev2]
apps:
  fe: {image: acme/fe, port: 3000, health: /healthz}
  spring: {image: acme/spring, port: 8080}
routing:
  mode: host
  driver: alb
  domain: dev.acme.io
  route53_zone: Z0KICKOFF
`

func TestALBHostModeApplyIsIdempotentAndLeavesForeignRulesAlone(t *testing.T) {
	fx := newFixture(t)
	cfg := fx.config(t, hostYAML)
	a, desired := fx.driver(t, cfg)
	foreignBefore := fx.fake.RuleByARN(fx.foreign)

	p := planOf(t, a, desired)
	wantLines(t, "plan", summary(p), []string{
		"add rule dev1/fe dev1-fe.dev.acme.io/",
		"add rule dev1/spring dev1-spring.dev.acme.io/",
		"add rule dev2/fe dev2-fe.dev.acme.io/",
		"add rule dev2/spring dev2-spring.dev.acme.io/",
		"add record dev1/fe dev1-fe.dev.acme.io [alias:  -> " + p.state.(*albState).DNSName + "]",
		"add record dev1/spring dev1-spring.dev.acme.io [alias:  -> " + p.state.(*albState).DNSName + "]",
		"add record dev2/fe dev2-fe.dev.acme.io [alias:  -> " + p.state.(*albState).DNSName + "]",
		"add record dev2/spring dev2-spring.dev.acme.io [alias:  -> " + p.state.(*albState).DNSName + "]",
	})
	if len(fx.fake.Mutations()) != 0 {
		t.Fatalf("plan changed something: %+v", fx.fake.Mutations())
	}
	mustApply(t, a, p)

	// The request shapes: target group, registration, rule with its host condition and tags.
	tgs := fx.fake.CallsOf("CreateTargetGroup")
	if len(tgs) != 4 {
		t.Fatalf("CreateTargetGroup calls: %d", len(tgs))
	}
	for k, v := range map[string]string{
		"Name": "kickoff-acme-dev1-fe-20000", "Protocol": "HTTP", "Port": "20000", "VpcId": "vpc-0feed",
		"TargetType": "instance", "HealthCheckPath": "/healthz", "Matcher.HttpCode": "200-399",
		"Tags.member.1.Key": "managed-by", "Tags.member.1.Value": "kickoff",
		"Tags.member.2.Key": "kickoff:route", "Tags.member.2.Value": "dev1/fe",
		"Tags.member.3.Key": "kickoff:project", "Tags.member.3.Value": "acme",
	} {
		if got := tgs[0].Form.Get(k); got != v {
			t.Errorf("CreateTargetGroup %s = %q, want %q", k, got, v)
		}
	}
	reg := fx.fake.CallsOf("RegisterTargets")[1]
	if reg.Form.Get("Targets.member.1.Id") != testInstance || reg.Form.Get("Targets.member.1.Port") != "20001" {
		t.Errorf("RegisterTargets: %v", reg.Form)
	}
	rules := fx.fake.CallsOf("CreateRule")
	if len(rules) != 4 {
		t.Fatalf("CreateRule calls: %d", len(rules))
	}
	r0 := rules[0].Form
	for k, v := range map[string]string{
		"ListenerArn": fx.listener, "Priority": "1001", // 1000 is the foreign rule's
		"Conditions.member.1.Field": "host-header", "Conditions.member.1.HostHeaderConfig.Values.member.1": "dev1-fe.dev.acme.io",
		"Actions.member.1.Type": "forward", "Tags.member.2.Value": "dev1/fe",
	} {
		if got := r0.Get(k); got != v {
			t.Errorf("CreateRule %s = %q, want %q", k, got, v)
		}
	}
	if !strings.Contains(r0.Get("Actions.member.1.TargetGroupArn"), ":targetgroup/kickoff-acme-dev1-fe-20000/") {
		t.Errorf("rule forwards to %q", r0.Get("Actions.member.1.TargetGroupArn"))
	}
	var prios []string
	for _, c := range rules {
		prios = append(prios, c.Form.Get("Priority"))
	}
	wantLines(t, "priorities", prios, []string{"1001", "1002", "1100", "1101"})
	ch := fx.fake.CallsOf("ChangeResourceRecordSets")
	if len(ch) != 1 || strings.Count(ch[0].Body, "<Action>UPSERT</Action>") != 4 || !strings.Contains(ch[0].Body, "<Name>dev2-spring.dev.acme.io</Name>") {
		t.Errorf("Route 53 batch: %+v", ch)
	}
	if got := fx.fake.Record("Z0KICKOFF", "dev1-fe.dev.acme.io"); got != p.state.(*albState).DNSName {
		t.Errorf("record points at %q", got)
	}

	// Second run: nothing to do, and no call that changes anything.
	fx.fake.ResetCalls()
	p2 := planOf(t, a, desired)
	if !p2.Empty() || p2.Unchanged != 4 {
		t.Fatalf("second plan: %v (unchanged %d)", summary(p2), p2.Unchanged)
	}
	mustApply(t, a, p2)
	if m := fx.fake.Mutations(); len(m) != 0 {
		t.Errorf("second apply made calls: %+v", m)
	}
	if after := fx.fake.RuleByARN(fx.foreign); fmt.Sprint(after) != fmt.Sprint(foreignBefore) {
		t.Errorf("foreign rule changed: %+v -> %+v", foreignBefore, after)
	}
}

func TestALBChangesKeepPrioritiesAndRemoveOnlyTheirOwn(t *testing.T) {
	fx := newFixture(t)
	cfg := fx.config(t, hostYAML)
	a, desired := fx.driver(t, cfg)
	mustApply(t, a, planOf(t, a, desired))
	prioOf := func() map[string]string {
		m := map[string]string{}
		for _, r := range fx.fake.ManagedRules() {
			m[r.Conditions[0].Values[0]] = r.Priority
		}
		return m
	}
	before := prioOf()

	// New ports for every app, dev2 gone, a new app.
	cfg2 := fx.config(t, strings.Replace(strings.Replace(hostYAML, "slots: [dev1, dev2]", "slots: [dev1]\nports: {base: 21000}", 1),
		"  spring:", "  admin: {image: acme/admin, port: 80}\n  spring:", 1))
	a2, desired2 := fx.driver(t, cfg2)
	fx.fake.ResetCalls()
	p := planOf(t, a2, desired2)
	dns := p.state.(*albState).DNSName
	wantLines(t, "plan", summary(p), []string{
		"add rule dev1/admin dev1-admin.dev.acme.io/",
		"change rule dev1/fe dev1-fe.dev.acme.io/ [backend: " + testInstance + ":20000 -> " + testInstance + ":21001]",
		"change rule dev1/spring dev1-spring.dev.acme.io/ [backend: " + testInstance + ":20001 -> " + testInstance + ":21002]",
		"remove rule dev2/fe dev2-fe.dev.acme.io/",
		"remove rule dev2/spring dev2-spring.dev.acme.io/",
		"add record dev1/admin dev1-admin.dev.acme.io [alias:  -> " + dns + "]",
		"remove record dev2/fe dev2-fe.dev.acme.io [alias: " + dns + " -> ]",
		"remove record dev2/spring dev2-spring.dev.acme.io [alias: " + dns + " -> ]",
	})
	mustApply(t, a2, p)
	after := prioOf()
	for _, h := range []string{"dev1-fe.dev.acme.io", "dev1-spring.dev.acme.io"} {
		if before[h] != after[h] {
			t.Errorf("%s priority moved %s -> %s", h, before[h], after[h])
		}
	}
	if after["dev1-admin.dev.acme.io"] == "" || len(after) != 3 {
		t.Errorf("rules after: %v", after)
	}
	if n := len(fx.fake.CallsOf("DeleteTargetGroup")); n != 4 { // two replaced, two removed
		t.Errorf("DeleteTargetGroup calls: %d", n)
	}
	if fx.fake.RuleByARN(fx.foreign) == nil {
		t.Error("the foreign rule is gone")
	}
	for _, c := range fx.fake.Mutations() {
		for _, v := range c.Form {
			if slices.Contains(v, fx.foreign) {
				t.Errorf("%s touched the foreign rule", c.Action)
			}
		}
	}
	if fx.fake.Record("Z0KICKOFF", "dev2-fe.dev.acme.io") != "" {
		t.Error("dev2-fe record kept")
	}
	wantConverged(t, a2, desired2)
}

func TestALBPathModeStripsWithURLRewrite(t *testing.T) {
	fx := newFixture(t)
	const yaml = `slots: [dev1]
apps:
  fe: {image: acme/fe, port: 3000, strip_prefix: false}
  api: {image: acme/api, port: 8080}
routing:
  mode: path
  driver: alb
  domain: qa.acme.io
`
	cfg := fx.config(t, yaml)
	a, desired := fx.driver(t, cfg)
	p := planOf(t, a, desired)
	if len(p.Notes) != 1 || !strings.Contains(p.Notes[0], "point qa.acme.io at the load balancer: qa.acme.io CNAME qa-") {
		t.Errorf("notes: %q", p.Notes)
	}
	mustApply(t, a, p)
	rules := fx.fake.CallsOf("CreateRule")
	api, fe := rules[0].Form, rules[1].Form
	for k, v := range map[string]string{
		"Conditions.member.1.HostHeaderConfig.Values.member.1":           "qa.acme.io",
		"Conditions.member.2.Field":                                      "path-pattern",
		"Conditions.member.2.PathPatternConfig.Values.member.1":          "/dev1/api",
		"Conditions.member.2.PathPatternConfig.Values.member.2":          "/dev1/api/*",
		"Transforms.member.1.Type":                                       "url-rewrite",
		"Transforms.member.1.UrlRewriteConfig.Rewrites.member.1.Regex":   "^/dev1/api/?(.*)$",
		"Transforms.member.1.UrlRewriteConfig.Rewrites.member.1.Replace": "/$1",
	} {
		if got := api.Get(k); got != v {
			t.Errorf("CreateRule %s = %q, want %q", k, got, v)
		}
	}
	if fe.Get("Transforms.member.1.Type") != "" || fe.Get("Conditions.member.2.PathPatternConfig.Values.member.2") != "/dev1/fe/*" {
		t.Errorf("fe keeps its prefix: %v", fe)
	}
	// strip_prefix turned on for fe: the rule is modified in place.
	cfg2 := fx.config(t, strings.Replace(yaml, ", strip_prefix: false", "", 1))
	a2, desired2 := fx.driver(t, cfg2)
	fx.fake.ResetCalls()
	p2 := planOf(t, a2, desired2)
	wantLines(t, "plan", summary(p2), []string{"change rule dev1/fe qa.acme.io/dev1/fe/ [strip_prefix: false -> true]"})
	mustApply(t, a2, p2)
	m := fx.fake.Mutations()
	if len(m) != 1 || m[0].Action != "ModifyRule" || m[0].Form.Get("Transforms.member.1.Type") != "url-rewrite" {
		t.Errorf("calls: %+v", m)
	}
}

func TestALBMissingListener(t *testing.T) {
	fx := newFixture(t)
	fx.listener = strings.Replace(fx.listener, "/qa/", "/gone/", 1)
	cfg := fx.config(t, hostYAML)
	a, desired := fx.driver(t, cfg)
	_, err := a.Plan(context.Background(), desired)
	if err == nil || !strings.Contains(err.Error(), "routing.listener_arn: there is no ALB listener "+fx.listener+" in region eu-west-1 (ListenerNotFound)") {
		t.Fatalf("err = %v", err)
	}
}

// The slots move to another instance: targets are registered anew, rules are not touched.
func TestALBNewInstanceMovesTargetsOnly(t *testing.T) {
	fx := newFixture(t)
	a, desired := fx.driver(t, fx.config(t, hostYAML))
	mustApply(t, a, planOf(t, a, desired))
	cfg := fx.config(t, hostYAML)
	cfg.Routing.InstanceID = "i-0new"
	a2, desired2 := fx.driver(t, cfg)
	fx.fake.ResetCalls()
	mustApply(t, a2, planOf(t, a2, desired2))
	var got []string
	for _, c := range fx.fake.Mutations() {
		got = append(got, c.Action+" "+c.Form.Get("Targets.member.1.Id")+":"+c.Form.Get("Targets.member.1.Port"))
	}
	wantLines(t, "calls", got, []string{
		"RegisterTargets i-0new:20000", "DeregisterTargets " + testInstance + ":20000",
		"RegisterTargets i-0new:20001", "DeregisterTargets " + testInstance + ":20001",
		"RegisterTargets i-0new:20100", "DeregisterTargets " + testInstance + ":20100",
		"RegisterTargets i-0new:20101", "DeregisterTargets " + testInstance + ":20101",
	})
	wantConverged(t, a2, desired2)
}

// With routing.switch side-by-side, an app's container moving to its other port moves its
// target within the target group: the new port is registered, waited for until healthy,
// then the old one deregistered; the rule and the target group stay.
func TestALBSideBySideRegistersThenDeregisters(t *testing.T) {
	fx := newFixture(t)
	cfg := fx.config(t, hostYAML)
	cfg.Routing.Switch = config.SwitchSideBySide
	a, desired := fx.driver(t, cfg)
	mustApply(t, a, planOf(t, a, desired))
	moved, err := Desired(cfg, Options{BackendHost: InstanceBackendHost, Ports: func(slot, app string) []int {
		p, _ := cfg.HostPort(slot, app)
		if slot == "dev1" && app == "fe" {
			return []int{p + 1}
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	fx.fake.ResetCalls()
	p := planOf(t, a, moved)
	wantLines(t, "plan", summary(p), []string{"change rule dev1/fe dev1-fe.dev.acme.io/ [backend: " + testInstance + ":20000 -> " + testInstance + ":20001]"})
	mustApply(t, a, p)
	var got []string
	for _, c := range fx.fake.Mutations() {
		got = append(got, c.Action+" "+c.Form.Get("Targets.member.1.Port"))
	}
	wantLines(t, "calls", got, []string{"RegisterTargets 20001", "DeregisterTargets 20000"})
	if w := fx.fake.CallsOf("DescribeTargetHealth"); len(w) == 0 || w[len(w)-1].Form.Get("Targets.member.1.Port") != "20001" {
		t.Errorf("no wait for the new target to be healthy: %+v", w)
	}
	wantConverged(t, a, moved)
}
