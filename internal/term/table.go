package term

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mattn/go-runewidth"
)

// Table prints rows: aligned columns with a header on a terminal, tab-separated without a
// header otherwise (so scripts can cut and awk it). Columns are measured in terminal cells,
// not runes: a Hangul, CJK or full-width character takes two (김민준 is six wide), a
// combining accent none, colour escapes none. On a terminal of known width, a table wider
// than the screen gives up room from its free-text columns (Shrink), widest first, whose
// cells are cut with "…"; other columns (names, ids, versions) are never cut.
type Table struct {
	io     *IO
	header []string
	rows   [][]string
	shrink []int // columns that may be cut
}

// cells measures text in terminal cells. Characters of ambiguous East Asian width (…, ·,
// ±) count one cell, as common terminals draw them whatever the locale; go-runewidth's
// default would count two under a Korean, Japanese or Chinese LANG and misalign the table.
var cells = &runewidth.Condition{EastAsianWidth: false, StrictEmojiNeutral: true}

// minShrunk is the fewest cells a shrunk column keeps, so that what is left says something.
const minShrunk = 12

func (s *IO) NewTable(header ...string) *Table { return &Table{io: s, header: header} }

func (t *Table) Row(cells ...string) { t.rows = append(t.rows, cells) }

// Shrink names the free-text columns (by header) that may be cut to fit the terminal: a
// commit subject, a detail, a claim's reason. Unknown names are ignored.
func (t *Table) Shrink(headers ...string) *Table {
	for _, h := range headers {
		if i := slices.Index(t.header, h); i >= 0 && !slices.Contains(t.shrink, i) {
			t.shrink = append(t.shrink, i)
		}
	}
	return t
}

// DisplayWidth is the number of terminal cells s takes, colour escapes excluded.
func DisplayWidth(s string) int { return cells.StringWidth(stripEscapes(s)) }

// stripEscapes removes the SGR colour sequences IO paints with (ESC [ ... m).
func stripEscapes(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	var b strings.Builder
	esc := false
	for _, r := range s {
		switch {
		case r == '\x1b':
			esc = true
		case esc:
			if r == 'm' {
				esc = false
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (t *Table) Render() error {
	if !t.io.stdoutTTY {
		for _, r := range t.rows {
			if _, err := fmt.Fprintln(t.io.Out, strings.Join(r, "\t")); err != nil {
				return err
			}
		}
		return nil
	}
	all := append([][]string{t.header}, t.rows...)
	widths := make([]int, len(t.header))
	for _, r := range all {
		for i, c := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], DisplayWidth(c))
			}
		}
	}
	t.fit(widths)
	var b strings.Builder
	for ri, r := range all {
		for i, c := range r {
			if i < len(widths) && DisplayWidth(c) > widths[i] {
				c = cells.Truncate(stripEscapes(c), widths[i], "…")
			}
			if ri == 0 {
				c = t.io.Bold(c)
			}
			b.WriteString(c)
			if i < len(r)-1 && i < len(widths) {
				b.WriteString(strings.Repeat(" ", max(widths[i]-DisplayWidth(c), 0)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(t.io.Out, b.String())
	return err
}

// fit narrows the shrinkable columns, widest first, until the table fits the terminal or
// each is down to minShrunk (or its header) cells.
func (t *Table) fit(widths []int) {
	limit := t.io.width
	if limit <= 0 || len(t.shrink) == 0 {
		return
	}
	total := 2 * (len(widths) - 1)
	for _, w := range widths {
		total += w
	}
	for total > limit {
		widest, room := -1, 0
		for _, i := range t.shrink {
			floor := max(minShrunk, DisplayWidth(t.header[i]))
			if widths[i] > floor && (widest < 0 || widths[i] > widths[widest]) {
				widest, room = i, widths[i]-floor
			}
		}
		if widest < 0 {
			return // names and ids are never cut: the terminal wraps what is left
		}
		// Cut the widest down to the next widest shrinkable column, or less when that is enough.
		next := 0
		for _, i := range t.shrink {
			if i != widest && widths[i] < widths[widest] {
				next = max(next, widths[i])
			}
		}
		cut := min(total-limit, room, max(widths[widest]-next, 1))
		widths[widest] -= cut
		total -= cut
	}
}
