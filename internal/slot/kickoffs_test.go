package slot

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// ledgerService is a service over a file ledger holding recs (oldest first), with no engine.
func ledgerService(t *testing.T, recs ...ledger.Record) *Service {
	t.Helper()
	st := ledger.NewFileStore(filepath.Join(t.TempDir(), ledger.FileName))
	for _, r := range recs {
		if r.Outcome == "" {
			r.Outcome = ledger.OutcomeSucceeded
		}
		if _, err := st.Append(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	return &Service{
		Cfg: config.Default(), Ledger: st,
		Engine: func(string) (*compose.Engine, error) { return nil, errors.New("no engine in this test") },
	}
}

func TestSlotsOfAndDescribe(t *testing.T) {
	const alpha, beta, gamma = "kickoff-261120-alpha", "kickoff-261121-beta", "kickoff-261122-gamma"
	ctx := context.Background()
	s := ledgerService(t,
		ledger.Record{Action: ledger.ActionRelease, Slot: "dev1", Kickoff: alpha, Version: "1.3.0",
			Apps: []ledger.App{{Name: "be", Kickoff: alpha}, {Name: "fe", Kickoff: beta}}}, // fe pinned to beta
		ledger.Record{Action: ledger.ActionRelease, Slot: "dev2", Kickoff: beta, Apps: []ledger.App{{Name: "be", Kickoff: beta}}},
		ledger.Record{Action: ledger.ActionRelease, Slot: "dev3", Kickoff: gamma},
		ledger.Record{Action: ledger.ActionDown, Slot: "dev3"},
		ledger.Record{Action: ledger.ActionRelease, Slot: "dev4", Kickoff: gamma, Outcome: ledger.OutcomeRolledBack},
	)

	got, err := s.SlotsOf(ctx, []string{alpha, beta, gamma})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{alpha: {"dev1"}, beta: {"dev1", "dev2"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SlotsOf = %v, want %v (gamma is down on dev3 and failed on dev4)", got, want)
	}
	if got, _ := s.SlotsOf(ctx, []string{alpha}); !reflect.DeepEqual(got, map[string][]string{alpha: {"dev1"}}) {
		t.Errorf("SlotsOf(alpha) = %v: kickoffs not asked for are left out", got)
	}

	for slot, want := range map[string]string{
		"dev1": "runs " + alpha + " (v1.3.0)",
		"dev2": "runs " + beta,
		"dev3": "empty",
		"dev4": "empty",
	} {
		if got := s.Describe(ctx, slot); got != want {
			t.Errorf("Describe(%s) = %q, want %q", slot, got, want)
		}
	}
}

type brokenLedger struct{}

func (brokenLedger) Append(context.Context, ledger.Record) (ledger.Record, error) {
	return ledger.Record{}, errors.New("ledger unreachable")
}
func (brokenLedger) List(context.Context, ledger.Filter) ([]ledger.Record, error) {
	return nil, errors.New("ledger unreachable")
}
func (brokenLedger) Replay(context.Context) (*ledger.Replay, error) {
	return nil, errors.New("ledger unreachable")
}
func (brokenLedger) HashKey(context.Context) ([]byte, error) {
	return nil, errors.New("ledger unreachable")
}

func TestSlotsOfAndDescribeWithoutALedger(t *testing.T) {
	s := ledgerService(t)
	s.Ledger = brokenLedger{}
	if _, err := s.SlotsOf(context.Background(), []string{"kickoff-261120-alpha"}); err == nil {
		t.Error("SlotsOf without a ledger: no error")
	}
	if got := s.Describe(context.Background(), "dev1"); got != "" {
		t.Errorf("Describe without a ledger = %q, want nothing said", got)
	}
}
