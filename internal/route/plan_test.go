package route

import (
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
