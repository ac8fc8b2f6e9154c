package radar

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// lineHunks sets common ends aside before diffing: its hunks turn the old text into the
// new one, and change no more lines than the full diff (where repeated lines make several
// places equally right, they may sit elsewhere).
func TestLineHunksMatchFullDiff(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	size := func(hs []hunk) (n int) {
		for _, h := range hs {
			n += h.OldEnd - h.OldStart + h.NewEnd - h.NewStart
		}
		return n
	}
	for i := 0; i < 2000; i++ {
		base := randomText(rng, rng.IntN(30))
		old, new := strings.Join(base, ""), strings.Join(randomEdit(rng, base, "x"), "")
		got, full := lineHunks(old, new), middleHunks(old, new)
		ol, nl := splitLines(old), splitLines(new)
		var rebuilt []string
		at := 0
		for _, h := range got {
			rebuilt = append(rebuilt, ol[at:h.OldStart]...)
			rebuilt = append(rebuilt, nl[h.NewStart:h.NewEnd]...)
			at = h.OldEnd
		}
		rebuilt = append(rebuilt, ol[at:]...)
		if strings.Join(rebuilt, "") != new || size(got) > size(full) {
			t.Fatalf("old:\n%s\nnew:\n%s\nhunks %v do not make new as the full diff %v does", old, new, got, full)
		}
	}
}
