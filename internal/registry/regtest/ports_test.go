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
	// Blocks 640 and 641 lie above every range FreePortBase hands out, so test processes
	// running in parallel never hold them; another process is simulated by a lock on a
	// separate open file, which flock treats as a different owner.
	other := flock.New(blockFile(641))
	if ok, err := other.TryLock(); err != nil || !ok {
		t.Fatalf("block 641 is held elsewhere: %v", err)
	}
	if lock(64000, 64100) {
		t.Fatal("a range whose block another process holds was handed out")
	}
	if held(640) {
		t.Fatal("a refused range kept block 640")
	}
	other.Unlock()

	if !lock(64000, 64100, 64101) {
		t.Fatal("a free range was refused")
	}
	// Base 64000, two slots 100 apart, two apps: blocks 640 and 641.
	t.Cleanup(func() { ReleasePortBase(64000, 2, 100, 2) })
	if lock(64100) {
		t.Fatal("a block this process holds was handed out again")
	}
	if ok, _ := flock.New(blockFile(640)).TryLock(); ok {
		t.Fatal("another process could take a block this process holds")
	}
	// Given back, the blocks can be taken again, by this process or another.
	ReleasePortBase(64000, 2, 100, 2)
	if held(640) || held(641) {
		t.Fatal("released blocks are still held")
	}
	if !lock(64000, 64100) {
		t.Fatal("a released range was refused")
	}
}
