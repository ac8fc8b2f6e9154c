package radar

import "strings"

// markerBlock is one conflict block of a merged file, as 0-based half-open line ranges
// of the merged file holding each side's lines (markers excluded).
type markerBlock struct {
	OursStart, OursEnd     int
	TheirsStart, TheirsEnd int
}

const markerLen = 7 // git's default conflict-marker-size

func isMarker(line string, c byte) bool {
	line = strings.TrimRight(line, "\r\n")
	if len(line) < markerLen {
		return false
	}
	for i := 0; i < markerLen; i++ {
		if line[i] != c {
			return false
		}
	}
	return len(line) == markerLen || line[markerLen] == ' '
}

// parseMarkers finds the conflict blocks git wrote into a merged file: <<<<<<< ours
// [||||||| base] ======= theirs >>>>>>>. Longer markers (from inner merges of several
// merge bases) are content, not blocks.
func parseMarkers(lines []string) []markerBlock {
	var out []markerBlock
	state := 0 // 0 outside, 1 ours, 2 base, 3 theirs
	var b markerBlock
	for i, l := range lines {
		switch {
		case state == 0 && isMarker(l, '<'):
			b = markerBlock{OursStart: i + 1}
			state = 1
		case state == 1 && isMarker(l, '|'):
			b.OursEnd = i
			state = 2
		case (state == 1 || state == 2) && isMarker(l, '='):
			if state == 1 {
				b.OursEnd = i
			}
			b.TheirsStart = i + 1
			state = 3
		case state == 3 && isMarker(l, '>'):
			b.TheirsEnd = i
			out = append(out, b)
			state = 0
		}
	}
	return out
}

// sideRanges maps the ours (or theirs) parts of the blocks to 1-based inclusive line
// ranges of that side's own file, using a diff of the side file against the merged file
// (the block lines are copied verbatim from the side). A side that deleted the lines
// gets a one-line range at the line before the deletion.
func sideRanges(side string, merged []string, blocks []markerBlock, ours bool) []Range {
	mergedText := strings.Join(merged, "")
	m := lineMap(lineHunks(side, mergedText), len(merged)) // merged line -> side line
	sideLen := countLines(side)
	var out []Range
	for _, b := range blocks {
		s, e := b.TheirsStart, b.TheirsEnd
		if ours {
			s, e = b.OursStart, b.OursEnd
		}
		first, last := -1, -1
		for i := s; i < e; i++ {
			if m[i] >= 0 {
				if first < 0 {
					first = m[i]
				}
				last = m[i]
			}
		}
		if first < 0 { // empty side, or no line matched: place it after the previous mapped line
			prev := -1
			for i := s - 2; i >= 0; i-- { // s-1 is the marker line
				if m[i] >= 0 {
					prev = m[i]
					break
				}
			}
			l := max(1, min(prev+1, max(sideLen, 1)))
			out = append(out, Range{l, l})
			continue
		}
		out = append(out, Range{first + 1, last + 1})
	}
	return mergeRanges(out)
}

// mergeRanges sorts ranges and joins overlapping or touching ones.
func mergeRanges(rs []Range) []Range {
	if len(rs) < 2 {
		return rs
	}
	sortRanges(rs)
	out := []Range{rs[0]}
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r[0] <= last[1]+1 {
			last[1] = max(last[1], r[1])
			continue
		}
		out = append(out, r)
	}
	return out
}

func sortRanges(rs []Range) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && (rs[j][0] < rs[j-1][0] || rs[j][0] == rs[j-1][0] && rs[j][1] < rs[j-1][1]); j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}
