package radar

import (
	"bytes"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// hunk is one changed region between an old and a new text, as 0-based half-open line
// ranges [OldStart, OldEnd) and [NewStart, NewEnd); an empty range is a pure insert or delete.
type hunk struct {
	OldStart, OldEnd int
	NewStart, NewEnd int
}

// diffTimeout bounds one file diff; past it the rest is one big hunk (still correct,
// just coarser).
const diffTimeout = 5 * time.Second

// lineHunks diffs two texts line by line. The lines both share at the start and the end
// are set aside first (the diff would match them anyway): most changes are a few lines,
// and then nothing is left to diff but the middle, or nothing at all.
func lineHunks(old, new string) []hunk { return splitHunks(splitLines(old), splitLines(new)) }

// splitHunks is lineHunks on texts already split into lines (see Engine.linesOf).
func splitHunks(o, n []string) []hunk {
	p := 0
	for p < len(o) && p < len(n) && o[p] == n[p] {
		p++
	}
	s := 0
	for s < len(o)-p && s < len(n)-p && o[len(o)-1-s] == n[len(n)-1-s] {
		s++
	}
	om, nm := o[p:len(o)-s], n[p:len(n)-s]
	switch {
	case len(om) == 0 && len(nm) == 0:
		return nil
	case len(om) == 0 || len(nm) == 0:
		return []hunk{{OldStart: p, OldEnd: p + len(om), NewStart: p, NewEnd: p + len(nm)}}
	}
	hs := middleHunks(strings.Join(om, ""), strings.Join(nm, ""))
	for i := range hs {
		hs[i].OldStart += p
		hs[i].OldEnd += p
		hs[i].NewStart += p
		hs[i].NewEnd += p
	}
	return hs
}

// middleHunks diffs two texts line by line with diff-match-patch.
func middleHunks(old, new string) []hunk {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = diffTimeout
	a, b, lines := dmp.DiffLinesToRunes(old, new)
	diffs := dmp.DiffMainRunes(a, b, false)
	_ = lines
	var hs []hunk
	o, n := 0, 0
	var cur *hunk
	flush := func() {
		if cur != nil {
			hs = append(hs, *cur)
			cur = nil
		}
	}
	for _, d := range diffs {
		k := len([]rune(d.Text)) // one rune per line
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			flush()
			o += k
			n += k
		case diffmatchpatch.DiffDelete:
			if cur == nil {
				cur = &hunk{OldStart: o, OldEnd: o, NewStart: n, NewEnd: n}
			}
			o += k
			cur.OldEnd = o
		case diffmatchpatch.DiffInsert:
			if cur == nil {
				cur = &hunk{OldStart: o, OldEnd: o, NewStart: n, NewEnd: n}
			}
			n += k
			cur.NewEnd = n
		}
	}
	flush()
	return hs
}

// lineMap maps each line of new (0-based) to its line in old, or -1 when the line is new.
func lineMap(hs []hunk, newLen int) []int {
	m := make([]int, newLen)
	o, n := 0, 0
	for _, h := range hs {
		for n < h.NewStart {
			m[n] = o
			n++
			o++
		}
		for n < h.NewEnd {
			m[n] = -1
			n++
		}
		o = h.OldEnd
	}
	for n < newLen {
		m[n] = o
		n++
		o++
	}
	return m
}

func countLines(s string) int {
	if s == "" {
		return 0
	}
	n := strings.Count(s, "\n")
	if !strings.HasSuffix(s, "\n") {
		n++
	}
	return n
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// binaryish is git's heuristic: a NUL byte in the first 8000 bytes.
func binaryish(b []byte) bool {
	if len(b) > 8000 {
		b = b[:8000]
	}
	return bytes.IndexByte(b, 0) >= 0
}
