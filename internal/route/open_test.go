package route

import (
	"context"
	"strings"
	"testing"
)

// The local driver is the default: Open gives it with a route per slot and app.
func TestOpenLocalByDefault(t *testing.T) {
	cfg := testConfig(t, "slots: [dev1, dev2]\napps:\n  fe: {image: a/fe, port: 3000}\n")
	d, desired, err := Open(context.Background(), cfg, t.TempDir(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := d.(*Local); !ok {
		t.Errorf("driver = %T, want *Local", d)
	}
	var keys []string
	for _, r := range desired {
		keys = append(keys, r.Key())
	}
	if got := strings.Join(keys, " "); got != "dev1/fe dev2/fe" {
		t.Errorf("desired = %s, want dev1/fe dev2/fe", got)
	}
}

func TestOpenUnknownDriver(t *testing.T) {
	cfg := testConfig(t, "slots: [dev1]\napps:\n  fe: {image: a/fe, port: 3000}\n")
	cfg.Routing.Driver = "nginx"
	if _, _, err := Open(context.Background(), cfg, t.TempDir(), nil, nil); err == nil || err.Error() != `routing.driver: "nginx" must be local or alb` {
		t.Errorf("Open = %v", err)
	}
}

// PlanFor plans one slot's routes or all; ApplySlot applies one slot only.
func TestPlanForAndApplySlot(t *testing.T) {
	cfg := testConfig(t, "slots: [dev1, dev2]\napps:\n  fe: {image: a/fe, port: 3000}\n  be: {image: a/be, port: 80}\n")
	dir := t.TempDir()
	ctx := context.Background()
	if _, _, err := PlanFor(ctx, cfg, dir, "dev9", nil, nil); err == nil || err.Error() != `"dev9" is not a configured slot (slots: dev1, dev2)` {
		t.Errorf("PlanFor(dev9) = %v", err)
	}
	if _, err := ApplySlot(ctx, cfg, dir, "", nil, nil); err == nil {
		t.Error("ApplySlot without a slot: want an error")
	}
	_, all, err := PlanFor(ctx, cfg, dir, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a, c, r := all.Count(); a != 4 || c != 0 || r != 0 {
		t.Errorf("plan of every slot adds %d, changes %d, removes %d; want 4 0 0", a, c, r)
	}
	p, err := ApplySlot(ctx, cfg, dir, "dev2", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		if c.Slot != "dev2" || c.Action != ActionAdd {
			t.Errorf("applied %s %s, want only dev2 additions", c.Action, c.Key())
		}
	}
	if len(p.Changes) != 2 {
		t.Errorf("applied %d changes, want 2", len(p.Changes))
	}
	_, rest, err := PlanFor(ctx, cfg, dir, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a, _, _ := rest.Count(); a != 2 || len(rest.Changes) != 2 || rest.Changes[0].Slot != "dev1" {
		t.Errorf("after applying dev2, the plan is %+v; want dev1's two additions", rest.Changes)
	}
}
