package term_test

import (
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/term"
)

func TestAgo(t *testing.T) {
	now := time.Date(2024, 5, 10, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		before time.Duration
		want   string
	}{
		{-time.Second, "in the future"},
		{0, "just now"},
		{59 * time.Second, "just now"},
		{time.Minute, "1m ago"},
		{59*time.Minute + 59*time.Second, "59m ago"},
		{time.Hour, "1h ago"},
		{47 * time.Hour, "47h ago"},
		{48 * time.Hour, "2d ago"},
		{10*24*time.Hour + 5*time.Hour, "10d ago"},
	} {
		if got := term.Ago(now.Add(-tc.before), now); got != tc.want {
			t.Errorf("Ago(now - %v) = %q, want %q", tc.before, got, tc.want)
		}
	}
}
