package gate

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// CommentMarker identifies the one pull-request comment kickoff keeps up to date.
const CommentMarker = "<!-- kickoff:conflict-radar -->"

// The comment carries the conflicts it listed in a hidden state line, so the next
// version can say what changed: base64url of a JSON list of [a, b, path, kind].
const (
	stateOpen  = "<!-- kickoff:state v1 "
	stateClose = " -->"
)

// Limits on a previous comment's state: it is text anyone with write access to the pull
// request can edit, so it is read defensively.
const (
	maxStateBytes   = 256 << 10
	maxStateEntries = 5000
	maxStateField   = 4096
)

// Known is one conflict as the comment lists it: between which refs, in which file.
type Known struct {
	Between [2]string
	Path    string
	Kind    string
}

// String is the markdown line of the conflict. Its fields may come from a previous
// comment's state, so nothing in them can open markup.
func (k Known) String() string {
	return fmt.Sprintf("`%s` (%s): %s vs %s", mdSafe(k.Path), mdSafe(k.Kind), mdSafe(k.Between[0]), mdSafe(k.Between[1]))
}

var mdEscaper = strings.NewReplacer("`", "'", "<", "&lt;", ">", "&gt;", "[", "(", "]", ")", "\\", "/")

func mdSafe(s string) string { return mdEscaper.Replace(s) }

// Known lists the result's conflicts, every owner, once each, sorted.
func (r *Result) Known() []Known {
	var out []Known
	for _, p := range r.Pairs {
		for _, b := range p.Blame {
			k := Known{Between: b.Between, Path: b.Path, Kind: b.Kind}
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.SortFunc(out, func(a, b Known) int { return strings.Compare(a.String(), b.String()) })
	return out
}

// Changes are the differences between the comment's last version and now.
type Changes struct {
	New, Resolved, Unchanged []Known
}

// Diff compares the conflicts listed before with those of now.
func Diff(before, now []Known) Changes {
	var c Changes
	for _, k := range now {
		if slices.Contains(before, k) {
			c.Unchanged = append(c.Unchanged, k)
		} else {
			c.New = append(c.New, k)
		}
	}
	for _, k := range before {
		if !slices.Contains(now, k) {
			c.Resolved = append(c.Resolved, k)
		}
	}
	return c
}

// ReadState reads the conflicts a previous version of the comment listed. It fails on
// a body whose state is missing, oversized or malformed (an edited comment).
func ReadState(body string) ([]Known, error) {
	i := strings.Index(body, stateOpen)
	if i < 0 {
		return nil, errors.New("no state line")
	}
	rest := body[i+len(stateOpen):]
	j := strings.Index(rest, stateClose)
	if j < 0 || j > maxStateBytes {
		return nil, errors.New("state line not closed, or too long")
	}
	data, err := base64.RawURLEncoding.DecodeString(rest[:j])
	if err != nil {
		return nil, fmt.Errorf("state is not base64url: %w", err)
	}
	var rows [][]string
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, fmt.Errorf("state is not a JSON list of lists of strings: %w", err)
	}
	if len(rows) > maxStateEntries {
		return nil, fmt.Errorf("state has %d entries, more than %d", len(rows), maxStateEntries)
	}
	out := make([]Known, 0, len(rows))
	for n, row := range rows {
		if len(row) != 4 || row[0] == "" || row[1] == "" || row[2] == "" {
			return nil, fmt.Errorf("state entry %d is not [a, b, path, kind]", n)
		}
		for _, f := range row {
			if len(f) > maxStateField || strings.ContainsAny(f, "\x00\n\r") {
				return nil, fmt.Errorf("state entry %d has a field too long or with control characters", n)
			}
		}
		out = append(out, Known{Between: [2]string{row[0], row[1]}, Path: row[2], Kind: row[3]})
	}
	return out, nil
}

// writeState is the hidden state line of known.
func writeState(known []Known) string {
	rows := make([][]string, len(known))
	for i, k := range known {
		rows[i] = []string{k.Between[0], k.Between[1], k.Path, k.Kind}
	}
	data, _ := json.Marshal(rows)
	return stateOpen + base64.RawURLEncoding.EncodeToString(data) + stateClose
}

// Comment is the body of the pull-request comment for the result, given the body of
// its last version (prev; had is false when there is none). post is false when there
// is nothing to say: no conflict of the head's own now, and no comment before (a clean
// pull request gets no comment at all; its target's conflicts are in the check run).
// Once there is one, every run updates it, down to "all resolved".
func (r *Result) Comment(prev string, had bool) (body string, post bool) {
	now := r.Known()
	own := 0
	for _, p := range r.Pairs {
		own += p.Own
	}
	if !had && own == 0 {
		return "", false
	}
	var b strings.Builder
	b.WriteString(CommentMarker + "\n" + writeState(now) + "\n")
	md := r.Markdown()
	head, rest, _ := strings.Cut(md, "\n\n")
	b.WriteString(head + "\n\n")
	if had {
		before, err := ReadState(prev)
		if err != nil {
			fmt.Fprintf(&b, "_The last version of this comment could not be read (%s), so what changed since is not shown._\n\n", err)
		} else {
			writeChanges(&b, Diff(before, now))
		}
	}
	b.WriteString(rest)
	return b.String(), true
}

// writeChanges says what changed since the comment's last version.
func writeChanges(b *strings.Builder, c Changes) {
	fmt.Fprintf(b, "**Since the last update:** %d new, %d resolved, %d unchanged.\n\n", len(c.New), len(c.Resolved), len(c.Unchanged))
	for _, k := range c.New {
		fmt.Fprintf(b, "- new: %s\n", k)
	}
	for _, k := range c.Resolved {
		fmt.Fprintf(b, "- resolved: %s\n", k)
	}
	if len(c.New)+len(c.Resolved) > 0 {
		b.WriteString("\n")
	}
}
