package regtest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gofrs/flock"
)

// A port range is handed out only when no other test process holds any of its 100-port
// blocks, and never twice in one process; a refused range keeps none of its blocks.
func TestPortBlocksAreExclusiveAcrossProcesses(t *testing.T) {
	lock := func(ports ...int) bool {
		portMu.Lock()
		defer portMu.Unlock()
		return lockPortBlocks(ports)
	}
	held := func(b int) bool {
		portMu.Lock()
		defer portMu.Unlock()
		return portLocks[b] != nil
	}
	blockFile := func(b int) string { return filepath.Join(os.TempDir(), fmt.Sprintf("kickoff-test-ports-%d.lock", b)) }
	// Blocks 315 and 316 are near the top of FreePortBase's range; another process is
	// simulated by a lock on a separate open file, which flock treats as a different owner.
	other := flock.New(blockFile(316))
	if ok, err := other.TryLock(); err != nil || !ok {
		t.Skipf("block 316 is held by a running test process: %v", err)
	}
	if lock(31500, 31600) {
		t.Fatal("a range whose block another process holds was handed out")
	}
	if held(315) {
		t.Fatal("a refused range kept block 315")
	}
	other.Unlock()

	if !lock(31500, 31600, 31601) {
		t.Fatal("a free range was refused")
	}
	t.Cleanup(func() {
		portMu.Lock()
		defer portMu.Unlock()
		for _, b := range []int{315, 316} {
			portLocks[b].Unlock()
			delete(portLocks, b)
		}
	})
	if lock(31600) {
		t.Fatal("a block this process holds was handed out again")
	}
	if ok, _ := flock.New(blockFile(315)).TryLock(); ok {
		t.Fatal("another process could take a block this process holds")
	}
}
