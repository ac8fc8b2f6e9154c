package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The release configuration stays valid: `goreleaser check` when goreleaser is installed
// (go install github.com/goreleaser/goreleaser/v2@v2.16.0); skipped, saying so, otherwise,
// but failed when KICKOFF_REQUIRE_GORELEASER=1 (.ci/run sets it and installs goreleaser).
func TestGoreleaserCheck(t *testing.T) {
	bin, err := exec.LookPath("goreleaser")
	if err != nil {
		gopath, _ := exec.Command("go", "env", "GOPATH").Output()
		bin = filepath.Join(string(trimNL(gopath)), "bin", "goreleaser")
		if _, err := os.Stat(bin); err != nil {
			msg := "goreleaser is not installed: go install github.com/goreleaser/goreleaser/v2@v2.16.0"
			if os.Getenv("KICKOFF_REQUIRE_GORELEASER") == "1" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	cmd := exec.Command(bin, "check")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("goreleaser check: %v\n%s", err, out)
	}
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
