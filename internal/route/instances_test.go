package route

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A slot on another Docker host gets that host's EC2 instance as its ALB target, never the
// local engine's instance; a host with no instance is refused before any AWS call.
func TestALBTargetsTheSlotsHost(t *testing.T) {
	fx := newFixture(t)
	const qa2 = "i-0fedcba9876543210"
	cfg := fx.config(t, "hosts: {dev2: ssh://deploy@qa-2.internal}\n"+hostYAML+"  instances: {qa-2.internal: "+qa2+"}\n")
	a, desired := fx.driver(t, cfg)
	mustApply(t, a, planOf(t, a, desired))
	got := map[string]string{}
	for _, c := range fx.fake.CallsOf("RegisterTargets") {
		got[c.Form.Get("Targets.member.1.Port")] = c.Form.Get("Targets.member.1.Id")
	}
	want := map[string]string{"20000": testInstance, "20001": testInstance, "20100": qa2, "20101": qa2}
	for port, id := range want {
		if got[port] != id {
			t.Errorf("port %s registered on %q, want %q (all: %v)", port, got[port], id, got)
		}
	}
	wantConverged(t, a, desired)

	fx.fake.ResetCalls()
	cfg = fx.config(t, "hosts: {dev2: ssh://deploy@qa-3.internal}\n"+hostYAML)
	_, err := NewALB(context.Background(), cfg, AWSOptions{Endpoint: cfg.Routing.Endpoint, BaseDelay: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "routing.instances: dev2 runs on qa-3.internal (hosts.dev2: ssh://deploy@qa-3.internal), which has no EC2 instance") {
		t.Fatalf("err = %v", err)
	}
	if n := len(fx.fake.CallsOf("DescribeListeners")); n != 0 {
		t.Errorf("%d AWS calls before the refusal", n)
	}
}

// The built-in router reaches a slot on a tcp:// or ssh:// host at that host's name; an
// ssh alias ssh cannot resolve stays as written.
func TestLocalBackendHost(t *testing.T) {
	cfg := testConfig(t, "slots: [dev1, dev2, dev3]\nhosts: {dev2: 'tcp://10.0.0.7:2376', dev3: 'ssh://deploy@qa-9.invalid'}\n")
	for slot, want := range map[string]string{"dev1": "127.0.0.1", "dev2": "10.0.0.7", "dev3": "qa-9.invalid"} {
		if got := LocalBackendHost(cfg, slot); got != want {
			t.Errorf("%s: %q, want %q", slot, got, want)
		}
	}
}
