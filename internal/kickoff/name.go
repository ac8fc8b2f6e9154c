package kickoff

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Prefix starts every kickoff branch name.
const Prefix = "kickoff-"

// MaxSummary is the longest slug a kickoff summary may become.
const MaxSummary = 40

// Name is a kickoff branch name: kickoff-YYMMDD-summary.
type Name struct {
	Date    time.Time // midnight UTC of the YYMMDD day
	Summary string    // the slug
}

var nameRe = regexp.MustCompile(`^kickoff-(\d{6})-([a-z0-9]+(?:-[a-z0-9]+)*)$`)

// NewName builds a name from a date and a free-text summary, which becomes a slug.
func NewName(day time.Time, summary string) (Name, error) {
	slug, err := Slug(summary)
	if err != nil {
		return Name{}, err
	}
	return nameOn(day, slug), nil
}

// nameOn is the name of a kickoff of that day (in day's zone) with a checked slug.
func nameOn(day time.Time, slug string) Name {
	y, m, d := day.Date()
	return Name{Date: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), Summary: slug}
}

// ParseName reads a kickoff branch name.
func ParseName(s string) (Name, error) {
	m := nameRe.FindStringSubmatch(s)
	if m == nil {
		return Name{}, fmt.Errorf("%q is not a kickoff name (kickoff-YYMMDD-summary, e.g. kickoff-240510-dashboard)", s)
	}
	d, err := ParseDate(m[1])
	if err != nil {
		return Name{}, fmt.Errorf("%q: %w", s, err)
	}
	if len(m[2]) > MaxSummary {
		return Name{}, fmt.Errorf("%q: summary is longer than %d characters", s, MaxSummary)
	}
	return Name{Date: d, Summary: m[2]}, nil
}

// IsName reports whether s is a well-formed kickoff branch name.
func IsName(s string) bool { _, err := ParseName(s); return err == nil }

// ParseDate reads YYMMDD.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse("060102", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q is not a real day in YYMMDD form (e.g. 240510)", s)
	}
	return d, nil
}

func (n Name) String() string { return Prefix + n.Date.Format("060102") + "-" + n.Summary }

// JiraKeyRe matches a Jira issue key such as PROJ-123.
var JiraKeyRe = regexp.MustCompile(`^[A-Z][A-Z0-9]+-[0-9]+$`)

// jiraKeyInText finds Jira keys inside branch names and commit messages.
var jiraKeyInText = regexp.MustCompile(`\b[A-Z][A-Z0-9]+-[0-9]+\b`)

// JiraKeys returns the distinct Jira keys mentioned in text, in order of appearance, but
// standard names such as UTF-8 or SHA-256 (see KeyScope).
func JiraKeys(text string) []string { return KeyScope{}.Keys(text) }

// CompareJiraKeys orders Jira keys by project, then number (PROJ-9 before PROJ-10), so
// that release notes and slot states list issues alike.
func CompareJiraKeys(a, b string) int {
	pa, na, _ := strings.Cut(a, "-")
	pb, nb, _ := strings.Cut(b, "-")
	if c := strings.Compare(pa, pb); c != 0 {
		return c
	}
	if len(na) != len(nb) {
		return len(na) - len(nb)
	}
	return strings.Compare(na, nb)
}

// CheckRefName applies git's check-ref-format rules (with --branch's refusal of a leading
// dash) to a branch or tag name, so that a name kickoff makes from a template is refused
// before anything is created, not by git halfway through: `x.lock/PROJ-1` passed a check
// of the whole name's suffix and failed in git.
func CheckRefName(name string) error {
	switch {
	case name == "":
		return errors.New("empty name")
	case name == "@" || name == "HEAD":
		return fmt.Errorf("%q is reserved by git", name)
	case strings.HasPrefix(name, "-"):
		return errors.New("starts with -")
	case strings.HasPrefix(name, "/") || strings.HasSuffix(name, "/"):
		return errors.New("starts or ends with /")
	case strings.HasSuffix(name, "."):
		return errors.New("ends with .")
	case strings.Contains(name, "//"):
		return errors.New("has an empty part (//)")
	case strings.Contains(name, ".."):
		return errors.New("contains ..")
	case strings.Contains(name, "@{"):
		return errors.New("contains @{")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return errors.New("contains a control character")
		}
		if strings.ContainsRune(" ~^:?*[\\", r) {
			return fmt.Errorf("contains %q (no spaces or any of ~ ^ : ? * [ \\)", r)
		}
	}
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return fmt.Errorf("part %q starts with .", part)
		}
		if strings.HasSuffix(part, ".lock") {
			return fmt.Errorf("part %q ends with .lock", part)
		}
	}
	return nil
}
