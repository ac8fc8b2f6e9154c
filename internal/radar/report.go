package radar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Range is a 1-based inclusive line range [start, end] in one side's version of a file.
type Range [2]int

// FormatRanges writes ranges as people read them: "3-5,9".
func FormatRanges(rs []Range) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		if r[0] == r[1] {
			parts[i] = strconv.Itoa(r[0])
		} else {
			parts[i] = fmt.Sprintf("%d-%d", r[0], r[1])
		}
	}
	return strings.Join(parts, ",")
}

// Touch is a commit on one side that touched the lines (or the file) in question.
type Touch struct {
	Commit  string   `json:"commit"`
	Author  string   `json:"author"`
	Email   string   `json:"email"`
	Summary string   `json:"summary"`
	Jira    []string `json:"jira"`
}

// Conflict is one conflicted path of a pair. Ours is side A, theirs side B.
type Conflict struct {
	Path     string  `json:"path"`
	Kind     string  `json:"kind"`
	Ours     []Range `json:"ours"`
	Theirs   []Range `json:"theirs"`
	Message  string  `json:"message"`
	OursBy   []Touch `json:"ours_by"`
	TheirsBy []Touch `json:"theirs_by"`
}

// Overlap is a file both sides changed at the same or neighbouring lines (within
// NeighbourLines) that still merged without a conflict.
type Overlap struct {
	Path     string  `json:"path"`
	Ours     []Range `json:"ours"`
	Theirs   []Range `json:"theirs"`
	OursBy   []Touch `json:"ours_by"`
	TheirsBy []Touch `json:"theirs_by"`
}

// Pair is the verdict for merging B into A.
type Pair struct {
	A          string     `json:"a"`
	B          string     `json:"b"`
	ACommit    string     `json:"a_commit"`
	BCommit    string     `json:"b_commit"`
	MergeBases []string   `json:"merge_bases"`
	Clean      bool       `json:"clean"`
	DecidedBy  string     `json:"decided_by"` // one of the By... values
	Conflicts  []Conflict `json:"conflicts"`
	Overlaps   []Overlap  `json:"overlaps"`
}

// How a verdict was reached.
const (
	ByPrefilter = "prefilter"  // the changed paths cannot interact: clean without merging
	ByMergeTree = "merge-tree" // git merge-tree merged the pair
	ByCarried   = "carried"    // the last run's verdict, kept: the new commits cannot change it (see carry)
)

// RefInfo is one compared ref and the commit it named.
type RefInfo struct {
	Name   string `json:"name"`
	Commit string `json:"commit"`
	Local  bool   `json:"local"` // a local branch ahead of the team's copy (see TeamRefs)
}

// Report is the result of a comparison.
type Report struct {
	Refs  []RefInfo `json:"refs"`
	Pairs []Pair    `json:"pairs"`
}

// Clean reports whether no pair conflicts.
func (r *Report) Clean() bool {
	for _, p := range r.Pairs {
		if !p.Clean {
			return false
		}
	}
	return true
}

// Cell is one square of the pairwise matrix (the dashboard's heat map).
type Cell struct {
	A, B      string
	Clean     bool
	Conflicts int // conflicted files
	Overlaps  int // overlapping files
}

// Matrix returns the report as rows and columns in ref order: Matrix()[i][j] is the
// pair of refs i and j (symmetric; the diagonal is clean and empty).
func (r *Report) Matrix() [][]Cell {
	idx := map[string]int{}
	for i, ref := range r.Refs {
		idx[ref.Name] = i
	}
	m := make([][]Cell, len(r.Refs))
	for i := range m {
		m[i] = make([]Cell, len(r.Refs))
		for j := range m[i] {
			m[i][j] = Cell{A: r.Refs[i].Name, B: r.Refs[j].Name, Clean: true}
		}
	}
	for _, p := range r.Pairs {
		i, okA := idx[p.A]
		j, okB := idx[p.B]
		if !okA || !okB {
			continue
		}
		c := Cell{A: p.A, B: p.B, Clean: p.Clean, Conflicts: len(p.Conflicts), Overlaps: len(p.Overlaps)}
		m[i][j] = c
		c.A, c.B = p.B, p.A
		m[j][i] = c
	}
	return m
}

// ConflictedPaths lists a pair's conflicted paths, sorted (what the oracle compares).
func (p Pair) ConflictedPaths() []string {
	out := make([]string, len(p.Conflicts))
	for i, c := range p.Conflicts {
		out[i] = c.Path
	}
	slices.Sort(out)
	return out
}

// Summary is a one-line verdict such as "clean" or "2 conflicted files".
func (p Pair) Summary() string {
	var parts []string
	if p.Clean {
		parts = append(parts, "clean")
	} else {
		parts = append(parts, plural(len(p.Conflicts), "conflicted file"))
	}
	if len(p.Overlaps) > 0 {
		parts = append(parts, plural(len(p.Overlaps), "overlapping file"))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
