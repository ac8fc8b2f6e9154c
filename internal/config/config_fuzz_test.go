package config

import (
	"testing"
)

// FuzzParse: whatever a pull request puts in .kickoff.yaml, reading and validating it
// returns (no panic, no hang), and a configuration that validates puts every port of every
// slot and app, the other services' ranges included, within 1-65535.
func FuzzParse(f *testing.F) {
	f.Add([]byte(Template))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := Default()
		if err := Parse(data, c); err != nil {
			return
		}
		if len(data) > MaxFileSize {
			t.Fatalf("a file of %d bytes was read", len(data))
		}
		if err := c.Validate(); err != nil {
			return
		}
		for _, slot := range c.Slots {
			for _, app := range c.AppNames() {
				if p, ok := c.HostPort(slot, app); !ok || p < 1 || p > 65535 {
					t.Fatalf("slot %s app %s: host port %d, %v", slot, app, p, ok)
				}
			}
			first, n, ok := c.InfraPorts(slot)
			if !ok || n < 0 || first < 1 || first+n-1 > 65535 {
				t.Fatalf("slot %s: other services' ports %d+%d, %v", slot, first, n, ok)
			}
		}
	})
}
