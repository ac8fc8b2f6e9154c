package web

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

// Health comes from the probe; an app the probe says nothing about is "not checked", and a
// slot with nothing deployed is not probed at all.
func TestSlotViewsHealth(t *testing.T) {
	s, _ := seeded(t)
	var mu sync.Mutex
	var probed []string
	s.Health = func(ctx context.Context, slot string) map[string]ledger.Health {
		mu.Lock()
		probed = append(probed, slot)
		mu.Unlock()
		if slot == "dev1" {
			return map[string]ledger.Health{"frontend": ledger.Healthy}
		}
		return nil
	}
	ctx := context.Background()
	states, err := s.states(ctx)
	if err != nil {
		t.Fatal(err)
	}
	views := s.slotViews(ctx, states)
	if len(views) != 4 || views[0].Slot != "dev1" {
		t.Fatalf("views = %+v", views)
	}
	if got := views[0].Health; got["frontend"] != ledger.Healthy.Summary() || got["spring"] != ledger.NotChecked.Summary() {
		t.Errorf("dev1 health = %v", got)
	}
	slices.Sort(probed)
	if !slices.Equal(probed, []string{"dev1", "dev2"}) {
		t.Errorf("probed %v, want only the slots with apps (dev1, dev2)", probed)
	}
}

// The history view: the default limit, and the filter form's choices drawn from the ledger,
// sorted and each once.
func TestHistoryView(t *testing.T) {
	s, _ := seeded(t)
	v, err := s.history(context.Background(), ledger.Filter{Slot: "dev1"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Filter.Limit != ledger.DefaultLimit || len(v.Records) != 2 {
		t.Errorf("limit %d, %d records; want %d, 2", v.Filter.Limit, len(v.Records), ledger.DefaultLimit)
	}
	if want := []string{"django", "frontend", "spring"}; !slices.Equal(v.Apps, want) {
		t.Errorf("app choices %v, want %v", v.Apps, want)
	}
	if want := []string{"kickoff-251118-cart", "kickoff-251120-search", "kickoff-251121-broken"}; !slices.Equal(v.Kicks, want) {
		t.Errorf("kickoff choices %v, want %v", v.Kicks, want)
	}
	v, err = s.history(context.Background(), ledger.Filter{App: "nothing"})
	if err != nil || v.Records == nil || len(v.Records) != 0 {
		t.Errorf("no match: records %#v, %v; want an empty list (JSON [])", v.Records, err)
	}
}

// Kickoffs deployed on a slot are listed even when the kickoff list fails or lacks them;
// each names the slots it is on.
func TestKickoffsView(t *testing.T) {
	s, _ := seeded(t)
	ctx := context.Background()
	states, err := s.states(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v := s.kickoffs(ctx, states)
	slotsOf := func(v KickoffsView) map[string][]string {
		m := map[string][]string{}
		for _, k := range v.Kickoffs {
			m[k.Name] = k.Slots
		}
		return m
	}
	got := slotsOf(v)
	if len(v.Kickoffs) != 3 || !slices.Equal(got["kickoff-251118-cart"], []string{"dev1"}) || !slices.Equal(got["kickoff-251120-search"], []string{"dev2"}) ||
		got["kickoff-251124-idle"] == nil || len(got["kickoff-251124-idle"]) != 0 {
		t.Errorf("kickoffs = %+v", v.Kickoffs)
	}
	if v.Matrix == nil || v.KickoffsError != "" || v.MatrixError != "" {
		t.Errorf("view = %+v", v)
	}

	s.Kickoffs = func(context.Context) ([]KickoffInfo, error) { return nil, errBoom }
	s.Matrix = nil
	v = s.kickoffs(ctx, states)
	if v.KickoffsError != errBoom.Error() || v.Matrix != nil {
		t.Errorf("failing list: %+v", v)
	}
	got = slotsOf(v)
	if len(v.Kickoffs) != 2 || !slices.Equal(got["kickoff-251118-cart"], []string{"dev1"}) || !slices.Equal(got["kickoff-251120-search"], []string{"dev2"}) {
		t.Errorf("failing list: deployed kickoffs = %+v", v.Kickoffs)
	}
	for _, k := range v.Kickoffs {
		if k.Version == "" {
			t.Errorf("%s: no version, though the slot's record names one", k.Name)
		}
	}
}

func TestHeatmapPair(t *testing.T) {
	m := testMatrix()
	c, ok := m.pair("kickoff-251118-cart", "kickoff-251120-search")
	if !ok || c.State != StateConflict || c.Conflicts != 2 {
		t.Errorf("pair = %+v, %v", c, ok)
	}
	if _, ok := m.pair("main", "kickoff-251124-idle"); ok {
		t.Error("a pair not in the matrix was found")
	}
	var none *Heatmap
	if _, ok := none.pair("a", "b"); ok {
		t.Error("a nil matrix has no pairs")
	}
}
