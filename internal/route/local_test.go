package route

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
)

// Releases of different slots apply their routes at the same time; none may lose another's.
func TestLocalApplySlotsConcurrently(t *testing.T) {
	cfg := testConfig(t, "slots: [dev1, dev2, dev3, dev4]\napps:\n  fe: {image: a/fe, port: 3000}\n  be: {image: a/be, port: 80}\n")
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make(chan error, len(cfg.Slots))
	for _, s := range cfg.Slots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := ApplySlot(context.Background(), cfg, dir, s, nil, nil)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	tbl, err := ReadTable(filepath.Join(dir, TableFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(tbl.Routes) != 8 {
		t.Fatalf("%d routes in the table, want 8: %+v", len(tbl.Routes), tbl.Routes)
	}
	// In configuration order, whatever order the slots were applied in.
	for i, r := range tbl.Routes {
		if want := cfg.Slots[i/2]; r.Slot != want {
			t.Errorf("route %d is %s, want slot %s", i, r.Key(), want)
		}
	}
	d, desired, err := Open(context.Background(), cfg, dir, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := d.Plan(context.Background(), desired); err != nil || !p.Empty() {
		t.Errorf("plan after all slots: %+v %v", p, err)
	}
}
