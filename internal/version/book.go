package version

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Reservation maps one version to one kickoff.
type Reservation struct {
	Version Version
	Kickoff string    // "" when only the version ref is left (e.g. written by hand)
	Object  string    // the reservation's tag object
	Commit  string    // the kickoff's head when the version was reserved
	Date    time.Time // zero unless read from local objects
}

// TagRef is a final or release-candidate tag.
type TagRef struct {
	Name    string
	Object  string
	Commit  string
	N       int // candidate number, 0 for the final tag
	Date    time.Time
	Kickoff string // the kickoff named by the tag's message, if any
}

// Book is one consistent read of every reservation and version tag.
type Book struct {
	Scheme     Scheme
	byVersion  map[Version]Reservation
	byKickoff  map[string]Reservation
	released   map[Version]TagRef
	candidates map[Version][]TagRef // ascending N
}

// refInfo is one ref with what was read about it.
type refInfo struct {
	oid, commit string
	date        time.Time
	subject     string
}

var kickoffInText = regexp.MustCompile(`\bkickoff-\d{6}-[a-z0-9]+(?:-[a-z0-9]+)*\b`)

// newBook reads refs into a book. Refs are data pushed by others: one that is ours by its
// prefix but does not parse (a version beyond MaxComponent, a malformed reservation) is
// left out and named to warn, rather than failing every command in every clone.
func newBook(scheme Scheme, refs map[string]refInfo, warn func(string)) *Book {
	b := &Book{
		Scheme:     scheme,
		byVersion:  map[Version]Reservation{},
		byKickoff:  map[string]Reservation{},
		released:   map[Version]TagRef{},
		candidates: map[Version][]TagRef{},
	}
	kickoffOfObject := map[string]string{}
	for ref, ri := range refs {
		if name, ok := strings.CutPrefix(ref, VersionOfRefPrefix); ok {
			kickoffOfObject[ri.oid] = name
		}
	}
	for ref, ri := range refs {
		switch {
		case strings.HasPrefix(ref, VersionRefPrefix):
			v, err := Scheme{}.Parse(strings.TrimPrefix(ref, VersionRefPrefix), false)
			if err != nil {
				warnf(warn, "ignoring version reservation %s: %v", ref, err)
				continue
			}
			r := Reservation{Version: v, Kickoff: kickoffOfObject[ri.oid], Object: ri.oid, Commit: ri.commit, Date: ri.date}
			if r.Kickoff == "" {
				r.Kickoff = kickoffInText.FindString(ri.subject)
			}
			b.byVersion[v] = r
			if r.Kickoff != "" {
				b.byKickoff[r.Kickoff] = r
			}
		case strings.HasPrefix(ref, "refs/tags/"):
			name := strings.TrimPrefix(ref, "refs/tags/")
			v, kind, n := scheme.ParseTag(name)
			t := TagRef{Name: name, Object: ri.oid, Commit: ri.commit, N: n, Date: ri.date, Kickoff: kickoffInText.FindString(ri.subject)}
			switch kind {
			case OutOfRange:
				warnf(warn, "ignoring tag %s: a number in it is beyond %d", name, MaxComponent)
			case Final:
				b.released[v] = t
			case Candidate:
				b.candidates[v] = append(b.candidates[v], t)
			}
		}
	}
	for _, c := range b.candidates {
		slices.SortFunc(c, func(x, y TagRef) int { return x.N - y.N })
	}
	return b
}

func warnf(warn func(string), format string, args ...any) {
	if warn != nil {
		warn(fmt.Sprintf(format, args...))
	}
}

// Of returns the kickoff's reservation.
func (b *Book) Of(kickoff string) (Reservation, bool) {
	r, ok := b.byKickoff[kickoff]
	return r, ok
}

// Reservation returns who reserved v.
func (b *Book) Reservation(v Version) (Reservation, bool) {
	r, ok := b.byVersion[v]
	return r, ok
}

// Released returns v's final tag.
func (b *Book) Released(v Version) (TagRef, bool) {
	t, ok := b.released[v]
	return t, ok
}

// Candidates returns v's release-candidate tags, oldest first.
func (b *Book) Candidates(v Version) []TagRef { return b.candidates[v] }

// Kickoff answers which kickoff v belongs to: its reservation, else the kickoff named by
// its final or candidate tags.
func (b *Book) Kickoff(v Version) string {
	if r, ok := b.byVersion[v]; ok && r.Kickoff != "" {
		return r.Kickoff
	}
	if t, ok := b.released[v]; ok && t.Kickoff != "" {
		return t.Kickoff
	}
	for _, c := range b.candidates[v] {
		if c.Kickoff != "" {
			return c.Kickoff
		}
	}
	return ""
}

// ReleasedVersions lists released versions, highest first.
func (b *Book) ReleasedVersions() []Version { return sortedKeys(b.released) }

// ReservedVersions lists reserved versions, highest first.
func (b *Book) ReservedVersions() []Version { return sortedKeys(b.byVersion) }

// Status of a version.
const (
	StatusReserved  = "reserved"  // mapped to a kickoff, no tag yet
	StatusCandidate = "candidate" // has release-candidate tags
	StatusReleased  = "released"  // has its final tag
)

// Status says how far v went.
func (b *Book) Status(v Version) string {
	switch {
	case b.released[v].Name != "":
		return StatusReleased
	case len(b.candidates[v]) > 0:
		return StatusCandidate
	case b.byVersion[v].Object != "":
		return StatusReserved
	}
	return ""
}

// Versions lists every version known by reservation, candidate or final tag, highest first.
func (b *Book) Versions() []Version {
	seen := map[Version]bool{}
	for v := range b.byVersion {
		seen[v] = true
	}
	for v := range b.released {
		seen[v] = true
	}
	for v := range b.candidates {
		seen[v] = true
	}
	return sortedKeys(seen)
}

func sortedKeys[T any](m map[Version]T) []Version {
	out := make([]Version, 0, len(m))
	for v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b Version) int { return b.Compare(a) })
	return out
}
