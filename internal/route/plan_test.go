package route

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestDiffKeepsPriorityAndOrders(t *testing.T) {
	a := Route{Slot: "dev1", App: "fe", Host: "h", Backend: Backend{"i-1", 20000}, Priority: 7}
	gone := Route{Slot: "dev9", App: "fe", Host: "h9", Backend: Backend{"i-1", 20900}, Priority: 8}
	d := Route{Slot: "dev1", App: "fe", Host: "h", Backend: Backend{"i-2", 20000}}
	n := Route{Slot: "dev2", App: "fe", Host: "h2", Backend: Backend{"i-2", 20100}}
	changes, unchanged := Diff([]Route{d, n}, []Route{a, gone})
	if unchanged != 0 || len(changes) != 3 {
		t.Fatalf("changes %+v unchanged %d", changes, unchanged)
	}
	if c := changes[0]; c.Action != ActionChange || c.After.Priority != 7 || len(c.Fields) != 1 || c.Fields[0] != (Field{"backend", "i-1:20000", "i-2:20000"}) {
		t.Errorf("change: %+v", c)
	}
	if changes[1].Action != ActionAdd || changes[1].Key() != "dev2/fe" || changes[2].Action != ActionRemove || changes[2].Key() != "dev9/fe" {
		t.Errorf("order: %+v", changes)
	}
	if _, u := Diff([]Route{a}, []Route{a}); u != 1 {
		t.Errorf("same route counted as changed")
	}
}

func TestPlanCountForSlotAndJSON(t *testing.T) {
	p := &Plan{Driver: "alb", Mode: ModePath, Changes: []Change{
		{Action: ActionAdd, Kind: KindRule, Slot: "dev1", App: "fe"},
		{Action: ActionChange, Kind: KindRule, Slot: "dev2", App: "fe"},
		{Action: ActionRemove, Kind: KindRule, Slot: "dev2", App: "api"},
		{Action: ActionAdd, Kind: KindRecord, Name: "qa.acme.io"}, // shared by every slot
	}}
	if a, c, r := p.Count(); a != 2 || c != 1 || r != 1 {
		t.Errorf("Count = %d %d %d, want 2 1 1", a, c, r)
	}
	var keys []string
	for _, c := range p.ForSlot("dev2").Changes {
		keys = append(keys, c.Key())
	}
	if want := []string{"dev2/fe", "dev2/api", "qa.acme.io"}; !slices.Equal(keys, want) {
		t.Errorf("ForSlot(dev2) = %v, want %v", keys, want)
	}
	if len(p.Changes) != 4 {
		t.Error("ForSlot changed the plan it was called on")
	}
	b, err := json.Marshal(&Plan{Driver: "local", Mode: ModeHost})
	if err != nil || !strings.Contains(string(b), `"changes":[]`) {
		t.Errorf("empty plan JSON = %s, %v; want \"changes\":[]", b, err)
	}
	if !(&Plan{}).Empty() || p.Empty() {
		t.Error("Empty is wrong")
	}
}

// A failure stops the run; the error tells what was changed and what was not, and wraps the
// cause.
func TestApplyEachReportsPartialApply(t *testing.T) {
	changes := []Change{
		{Action: ActionAdd, Kind: KindRule, Slot: "dev1", App: "fe"},
		{Action: ActionAdd, Kind: KindRule, Slot: "dev2", App: "fe"},
		{Action: ActionRemove, Kind: KindRecord, Slot: "dev3", App: "fe"},
	}
	cause := errors.New("denied")
	var ran []string
	err := applyEach(context.Background(), changes, func(_ context.Context, c Change) error {
		ran = append(ran, c.Key())
		if c.Slot == "dev2" {
			return cause
		}
		return nil
	})
	var ae *ApplyError
	if !errors.As(err, &ae) || !errors.Is(err, cause) || len(ran) != 2 {
		t.Fatalf("err = %v, ran %v", err, ran)
	}
	want := "add rule dev2/fe: denied\n  changed: add rule dev1/fe\n  not changed: add rule dev2/fe, remove record dev3/fe\n" +
		"  the routes already changed are in place; run the same command again to finish the job"
	if err.Error() != want {
		t.Errorf("error:\n%s\nwant\n%s", err, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = applyEach(ctx, changes, func(context.Context, Change) error { t.Fatal("ran after cancel"); return nil })
	if !errors.As(err, &ae) || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "changed: none") {
		t.Errorf("cancelled: %v", err)
	}
}
