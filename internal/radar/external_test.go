package radar

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestExternalPairs compares the pairs in $RADAR_PAIRS ("A B" lines) in the repository
// $RADAR_REPO: a hook to profile the radar on a real history
// (go test -run TestExternalPairs -cpuprofile cpu.prof). Skipped unless both are set.
func TestExternalPairs(t *testing.T) {
	dir, pairsFile := os.Getenv("RADAR_REPO"), os.Getenv("RADAR_PAIRS")
	if dir == "" || pairsFile == "" {
		t.Skip("set RADAR_REPO and RADAR_PAIRS to profile on a real repository")
	}
	data, err := os.ReadFile(pairsFile)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var pairs [][2]int
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(l)
		names = append(names, f[0], f[1])
		pairs = append(pairs, [2]int{len(names) - 2, len(names) - 1})
	}
	e := openEngine(t, dir, "")
	refs, err := e.Resolve(names)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Compare(context.Background(), refs, pairs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pairs, stats %+v", len(rep.Pairs), e.Stats)
}
