package slot

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

func claimService(t *testing.T, now *time.Time) *Service {
	cfg := config.Default()
	return &Service{
		Cfg: cfg, Ledger: ledger.NewFileStore(filepath.Join(t.TempDir(), ledger.FileName)),
		Actor: "ann@example.com", Now: func() time.Time { return *now },
	}
}

func TestClaimRefusesOtherKickoffsUntilFreedOrExpired(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	s := claimService(t, &now)
	// What a release and `slot ls` see: the slot's claim, from one read of the ledger.
	checkRelease := func(o ReleaseOptions) error {
		st, err := s.read(ctx, o.Slot)
		if err != nil {
			t.Fatal(err)
		}
		return checkClaim(st, o)
	}
	claimOf := func(slot string) *ledger.Claim {
		st, err := s.read(ctx, slot)
		if err != nil {
			t.Fatal(err)
		}
		return st.Claim
	}
	until := now.Add(48 * time.Hour)
	if _, err := s.Claim(ctx, ClaimOptions{Slot: "dev3", For: kAlpha, Until: until, Note: "UAT"}); err != nil {
		t.Fatal(err)
	}
	err := checkRelease(ReleaseOptions{Slot: "dev3", Kickoff: kBeta})
	var ce *ClaimedError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "dev3 is claimed for "+kAlpha+" by ann@example.com until 2026-11-27 09:00 UTC (UAT)") {
		t.Fatalf("release of another kickoff: %v", err)
	}
	if err := checkRelease(ReleaseOptions{Slot: "dev3", Kickoff: kAlpha}); err != nil {
		t.Fatalf("the claiming kickoff is refused: %v", err)
	}
	if err := checkRelease(ReleaseOptions{Slot: "dev3", Kickoff: kBeta, Force: true}); err != nil {
		t.Fatalf("--force refused: %v", err)
	}
	if _, err := s.Claim(ctx, ClaimOptions{Slot: "dev3", For: kBeta}); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("claim over a claim: %v", err)
	}
	if err := checkRelease(ReleaseOptions{Slot: "dev1", Kickoff: kBeta}); err != nil {
		t.Fatalf("another slot: %v", err)
	}

	// Expired claims hold nobody back.
	now = until.Add(time.Minute)
	if c := claimOf("dev3"); c != nil {
		t.Fatalf("expired claim still active: %+v", c)
	}

	// Free ends a claim at once.
	now = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	if _, err := s.Claim(ctx, ClaimOptions{Slot: "dev2", For: kAlpha}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Free(ctx, "dev2"); err != nil {
		t.Fatal(err)
	}
	if c := claimOf("dev2"); c != nil {
		t.Fatalf("freed claim still active: %+v", c)
	}
	if _, err := s.Free(ctx, "dev2"); err == nil {
		t.Fatal("freeing a free slot succeeded")
	}
	if _, err := s.Claim(ctx, ClaimOptions{Slot: "dev2", For: kAlpha, Until: now.Add(-time.Hour)}); err == nil {
		t.Fatal("a claim ending in the past was accepted")
	}
}
