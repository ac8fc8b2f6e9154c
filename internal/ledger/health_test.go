package ledger

import "testing"

// The dashboard's three words for the four of `slot status`.
func TestHealthSummary(t *testing.T) {
	for h, want := range map[Health]string{
		Healthy:    "healthy",
		Unhealthy:  "unhealthy",
		Down:       "unhealthy",
		NotChecked: "unknown",
		"":         "unknown",
	} {
		if got := h.Summary(); got != want {
			t.Errorf("%q.Summary() = %q, want %q", h, got, want)
		}
	}
}
