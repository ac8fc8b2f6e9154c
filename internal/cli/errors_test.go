package cli

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// The exit codes README.md documents, one place deciding them.
func TestExitCode(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want int
	}{
		{"success", nil, 0},
		{"a failure", errors.New("push refused"), 1},
		{"already explained", ErrSilent, 1},
		{"a usage error", FlagErrorf("unknown slot %q", "dev9"), 2},
		{"a wrapped usage error", fmt.Errorf("release: %w", FlagErrorf("bad pin")), 2},
		{"conflicts found", &ExitError{Code: 1}, 1},
		{"interrupted", fmt.Errorf("git status: %w", context.Canceled), 130},
	} {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("%s: exitCode(%v) = %d, want %d", tt.name, tt.err, got, tt.want)
		}
	}
}
