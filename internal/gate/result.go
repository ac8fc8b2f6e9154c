package gate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/radar"
)

// Pair is one pair of a check: the head (A, ours) merged with another ref (B).
type Pair struct {
	radar.Pair
	Role     string  `json:"role"`
	Blocking bool    `json:"blocking"` // a conflict of the head's own here fails the check
	Own      int     `json:"own"`      // how many of the conflicts are the head's own
	Blame    []Blame `json:"blame"`    // whose each conflict is, in the order of conflicts
	Local    bool    `json:"local"`    // B is a local branch ahead of the team's copy (radar.TeamRefs)
}

// Verdict is the pair's one-line verdict, saying whose the conflicts are when not all
// are the head's: "1 conflicted file (kickoff-241101-login vs main)".
func (p Pair) Verdict() string {
	s := p.Summary()
	if p.Own == len(p.Conflicts) {
		return s
	}
	var others []string
	for _, b := range p.Blame {
		if w := b.Between[0] + " vs " + b.Between[1]; !b.Own() && !slices.Contains(others, w) {
			others = append(others, w)
		}
	}
	if p.Own > 0 {
		return fmt.Sprintf("%s (%d of its own; %s)", s, p.Own, strings.Join(others, ", "))
	}
	return s + " (" + strings.Join(others, ", ") + ")"
}

// Result is the verdict of the gate (`kickoff check --json` prints it).
type Result struct {
	Head       string `json:"head"`
	HeadCommit string `json:"head_commit"`
	HeadLocal  bool   `json:"head_local"` // the head is a local branch ahead of the team's copy
	Target     string `json:"target"`
	Passed     bool   `json:"passed"`
	Pairs      []Pair `json:"pairs"`
}

// Failing lists the pairs that fail the check; warn the pairs with conflicts of the
// head's own that do not. Conflicts that are not the head's are in Inherited.
func (r *Result) Failing() (fail, warn []Pair) {
	for _, p := range r.Pairs {
		switch {
		case p.Own == 0:
		case p.Blocking:
			fail = append(fail, p)
		default:
			warn = append(warn, p)
		}
	}
	return fail, warn
}

// Inherited lists the conflicts that are not the head's, once per refs and path: its
// target's, and those of a side behind main.
func (r *Result) Inherited() []Blame {
	var out []Blame
	for _, p := range r.Pairs {
		for _, b := range p.Blame {
			if !b.Own() && !slices.ContainsFunc(out, func(o Blame) bool { return o.Between == b.Between && o.Path == b.Path }) {
				out = append(out, b)
			}
		}
	}
	return out
}

// Count is how many refs of the role the head was checked against.
func (r *Result) Count(role string) int {
	n := 0
	for _, p := range r.Pairs {
		if p.Role == role {
			n++
		}
	}
	return n
}

// Conclusions of a check, as a check run states them.
const (
	Success = "success"
	Failure = "failure"
	Neutral = "neutral" // passed, with conflicts that do not block
)

// Conclusion is the check's outcome and its one-line title.
func (r *Result) Conclusion() (conclusion, title string) {
	fail, warn := r.Failing()
	switch {
	case len(fail) > 0:
		return Failure, "Conflicts with " + Names(fail)
	case len(warn) > 0:
		return Neutral, "Conflicts with other kickoffs: " + Names(warn)
	}
	if in := r.Inherited(); len(in) > 0 {
		return Success, "No conflicts of its own; known elsewhere: " + betweens(in)
	}
	return Success, "No conflicts"
}

// Names lists the pairs' other refs: "main, kickoff-241102-billing".
func Names(ps []Pair) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.B
	}
	return strings.Join(names, ", ")
}

// betweens names the refs of blames, once each: "kickoff-241101-login vs main".
func betweens(bs []Blame) string {
	var out []string
	for _, b := range bs {
		if w := b.Between[0] + " vs " + b.Between[1]; !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return strings.Join(out, ", ")
}

// Levels of a finding.
const (
	LevelFailure = "failure" // a conflict that fails the check
	LevelWarning = "warning" // a conflict that does not
	LevelNotice  = "notice"  // an overlap: it merges, but have a look
)

// Finding is a note on lines of the head's version of a file (a check-run annotation).
type Finding struct {
	Path       string
	Start, End int // 1-based, inclusive
	Level      string
	Title      string
	Message    string
}

// Findings mark the head's conflicting lines (failure or warning, as the pair blocks;
// line 1 when git gave no lines) and its overlapping lines (notice).
func (r *Result) Findings() []Finding {
	var fs []Finding
	for _, p := range r.Pairs {
		level := LevelFailure
		if !p.Blocking {
			level = LevelWarning
		}
		for i, c := range p.Conflicts {
			msg := fmt.Sprintf("Merging %s and %s conflicts here (%s).", p.A, p.B, c.Kind)
			if by := touchNames(c.TheirsBy); by != "" {
				msg += " On " + p.B + " these lines were changed by " + by + "."
			}
			title := fmt.Sprintf("%s conflict with %s", c.Kind, p.B)
			level := level
			if i < len(p.Blame) && !p.Blame[i].Own() {
				b := p.Blame[i]
				level = LevelNotice
				title = fmt.Sprintf("%s conflict of %s vs %s (not this change's)", c.Kind, b.Between[0], b.Between[1])
				msg += " " + blameNote(b)
			}
			if len(c.Ours) == 0 {
				fs = append(fs, Finding{Path: c.Path, Start: 1, End: 1, Level: level, Title: title, Message: msg})
			}
			for _, rg := range c.Ours {
				fs = append(fs, Finding{Path: c.Path, Start: rg[0], End: rg[1], Level: level, Title: title, Message: msg})
			}
		}
		for _, o := range p.Overlaps {
			msg := fmt.Sprintf("%s changes lines next to these (%s); it merges, but have a look.", p.B, radar.FormatRanges(o.Theirs))
			if by := touchNames(o.TheirsBy); by != "" {
				msg += " Changed by " + by + "."
			}
			for _, rg := range o.Ours {
				fs = append(fs, Finding{Path: o.Path, Start: rg[0], End: rg[1], Level: LevelNotice, Title: "overlap with " + p.B, Message: msg})
			}
		}
	}
	return fs
}

func touchNames(ts []radar.Touch) string {
	var parts []string
	for _, t := range ts {
		s := t.Author
		if len(t.Jira) > 0 {
			s += " (" + strings.Join(t.Jira, ", ") + ")"
		}
		parts = append(parts, s+" in "+gitrepo.ShortID(t.Commit))
	}
	return strings.Join(parts, "; ")
}

// blameNote says, for people, why a conflict is not the head's and where it is solved.
func blameNote(b Blame) string {
	if b.Owner == OwnerTarget {
		return fmt.Sprintf("%s already conflicts with %s here: it is %s's to resolve, not this change's.", b.Between[0], b.Between[1], b.Between[0])
	}
	return fmt.Sprintf("It is there only because %s has not merged the latest %s, which conflicts here: it goes once %s merges %s and resolves it there.", b.Between[0], b.Between[1], b.Between[0], b.Between[1])
}

// Markdown is the verdict for people on the pull request (the check run's summary and
// the comment kept up to date).
func (r *Result) Markdown() string {
	var b strings.Builder
	fail, warn := r.Failing()
	switch {
	case len(fail) > 0:
		fmt.Fprintf(&b, "### ❌ Conflict radar: `%s` conflicts with %s\n\n", r.Head, Names(fail))
	case len(warn) > 0:
		fmt.Fprintf(&b, "### ⚠️ Conflict radar: `%s` conflicts with other kickoffs: %s\n\n", r.Head, Names(warn))
	case len(r.Inherited()) > 0:
		fmt.Fprintf(&b, "### ✅ Conflict radar: `%s` adds no conflict (known elsewhere: %s)\n\n", r.Head, betweens(r.Inherited()))
	default:
		fmt.Fprintf(&b, "### ✅ Conflict radar: `%s` merges cleanly\n\n", r.Head)
	}
	fmt.Fprintf(&b, "Head `%s` checked against:\n\n| role | ref | verdict |\n|---|---|---|\n", gitrepo.ShortID(r.HeadCommit))
	for _, p := range r.Pairs {
		fmt.Fprintf(&b, "| %s | `%s` | %s |\n", p.Role, p.B, p.Verdict())
	}
	for _, p := range r.Pairs {
		if p.Clean && len(p.Overlaps) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n**`%s`**\n\n", p.B)
		for i, c := range p.Conflicts {
			fmt.Fprintf(&b, "- %s conflict in `%s`", c.Kind, c.Path)
			if i < len(p.Blame) && !p.Blame[i].Own() {
				fmt.Fprintf(&b, " — **%s vs %s**, not this change's", p.Blame[i].Between[0], p.Blame[i].Between[1])
			}
			if len(c.Ours) > 0 {
				fmt.Fprintf(&b, " (lines %s here, %s there)", radar.FormatRanges(c.Ours), radar.FormatRanges(c.Theirs))
			}
			if by := touchNames(c.TheirsBy); by != "" {
				fmt.Fprintf(&b, ": there by %s", by)
			}
			if by := touchNames(c.OursBy); by != "" {
				fmt.Fprintf(&b, "; here by %s", by)
			}
			b.WriteString("\n")
		}
		for _, o := range p.Overlaps {
			fmt.Fprintf(&b, "- overlap in `%s` (lines %s here, %s there): merges cleanly", o.Path, radar.FormatRanges(o.Ours), radar.FormatRanges(o.Theirs))
			if by := touchNames(o.TheirsBy); by != "" {
				fmt.Fprintf(&b, "; there by %s", by)
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n<sub>Updated by `kickoff check` on every push.</sub>\n")
	return b.String()
}
