package cli

import (
	"fmt"
	"runtime/debug"
)

// Set by goreleaser through -ldflags "-X ...".
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// buildInfo describes this binary; under `go run` or `go install` it falls back to
// the module version and VCS stamp Go records.
func buildInfo() string {
	v, c, d := version, commit, date
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && (c == "" || c == "none"):
				c = s.Value
			case s.Key == "vcs.time" && d == "":
				d = s.Value
			}
		}
	}
	if c == "" {
		c = "none"
	}
	if d == "" {
		d = "unknown"
	}
	return fmt.Sprintf("%s (commit %s, built %s)", v, c, d)
}
