package version

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// MaxComponent bounds each of X, Y and Z. Tags are pushed by anyone with write access and
// read in every clone, so a number beyond it (platform/v0.18446744073709551615.0) is not a
// version kickoff counts from: bumping it would overflow.
const MaxComponent = 1<<31 - 1

// Version is a platform version X.Y.Z. Release candidates are not versions of their own:
// they are numbered tags of one (see Scheme.CandidateTag).
type Version struct {
	Major, Minor, Patch uint64
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// IsZero reports whether v is the zero value (no version).
func (v Version) IsZero() bool { return v == Version{} }

func (v Version) semver() *semver.Version { return semver.New(v.Major, v.Minor, v.Patch, "", "") }

// Compare returns -1, 0 or 1 as v is lower than, equal to or higher than o.
func (v Version) Compare(o Version) int { return v.semver().Compare(o.semver()) }

// Bump returns the version after v at level b: 1.3.2 -> 2.0.0 (major), 1.4.0 (minor), 1.3.3 (patch).
func (v Version) Bump(b Bump) Version {
	s := v.semver()
	var n semver.Version
	switch b {
	case Major:
		n = s.IncMajor()
	case Patch:
		n = s.IncPatch()
	default:
		n = s.IncMinor()
	}
	return Version{n.Major(), n.Minor(), n.Patch()}
}

// Bump is a semver level.
type Bump string

const (
	Major Bump = "major"
	Minor Bump = "minor"
	Patch Bump = "patch"
)

// ParseBump reads major, minor or patch.
func ParseBump(s string) (Bump, error) {
	switch b := Bump(strings.ToLower(s)); b {
	case Major, Minor, Patch:
		return b, nil
	}
	return "", fmt.Errorf("bump %q must be major, minor or patch", s)
}

// Scheme turns versions into tag names and back: Prefix + X.Y.Z for the final tag,
// Prefix + X.Y.Z-rc.N for release candidates (Prefix defaults to "platform/v").
type Scheme struct {
	Prefix string
}

// Tag is the final tag's short name: platform/v1.3.0.
func (s Scheme) Tag(v Version) string { return s.Prefix + v.String() }

// CandidateTag is the n-th release candidate's short name: platform/v1.3.0-rc.2.
func (s Scheme) CandidateTag(v Version, n int) string {
	return s.Tag(v) + "-rc." + strconv.Itoa(n)
}

var rcRe = regexp.MustCompile(`^rc\.([1-9][0-9]*)$`)

// TagKind says what a tag name is to the scheme.
type TagKind int

const (
	NotOurs    TagKind = iota // another prefix, not semver, or build metadata
	Final                     // platform/vX.Y.Z
	Candidate                 // platform/vX.Y.Z-rc.N
	PreRelease                // platform/vX.Y.Z-anything-else: ignored for versioning
	OutOfRange                // ours, but a component (or rc number) beyond MaxComponent: ignored with a warning
)

// inRange reports whether every component of sv is at most MaxComponent.
func inRange(sv *semver.Version) bool {
	return sv.Major() <= MaxComponent && sv.Minor() <= MaxComponent && sv.Patch() <= MaxComponent
}

// ParseTag reads a tag's short name. For candidates rc is N.
func (s Scheme) ParseTag(name string) (v Version, kind TagKind, rc int) {
	rest, ok := strings.CutPrefix(name, s.Prefix)
	if !ok {
		return Version{}, NotOurs, 0
	}
	sv, err := semver.StrictNewVersion(rest)
	if err != nil || sv.Metadata() != "" {
		return Version{}, NotOurs, 0
	}
	if !inRange(sv) {
		return Version{}, OutOfRange, 0
	}
	v = Version{sv.Major(), sv.Minor(), sv.Patch()}
	if sv.Prerelease() == "" {
		return v, Final, 0
	}
	if m := rcRe.FindStringSubmatch(sv.Prerelease()); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n > MaxComponent {
			return Version{}, OutOfRange, 0
		}
		return v, Candidate, n
	}
	return v, PreRelease, 0
}

// Parse reads a version a user typed: the full tag (platform/v1.3.10), v1.3.10 or 1.3.10.
// With candidates, a release-candidate tag names its version (platform/v1.3.10-rc.2 -> 1.3.10).
func (s Scheme) Parse(text string, candidates bool) (Version, error) {
	in := strings.TrimSpace(text)
	in = strings.TrimPrefix(in, "refs/tags/")
	rest, ok := strings.CutPrefix(in, s.Prefix)
	if !ok {
		rest = strings.TrimPrefix(strings.TrimPrefix(in, "v"), "V")
	}
	sv, err := semver.StrictNewVersion(rest)
	if err != nil || sv.Metadata() != "" {
		return Version{}, fmt.Errorf("%q is not a version: want X.Y.Z such as 1.3.10, v1.3.10 or %s", text, s.Tag(Version{1, 3, 10}))
	}
	if !inRange(sv) {
		return Version{}, fmt.Errorf("%q is out of range: each of X, Y and Z is at most %d", text, MaxComponent)
	}
	v := Version{sv.Major(), sv.Minor(), sv.Patch()}
	if sv.Prerelease() != "" {
		if candidates && rcRe.MatchString(sv.Prerelease()) {
			return v, nil
		}
		return Version{}, fmt.Errorf("%q is a pre-release: platform versions are plain X.Y.Z (release candidates get -rc.N tags by themselves)", text)
	}
	return v, nil
}

// Released returns the final versions among tag names, highest first; candidates and
// other pre-releases are left out.
func (s Scheme) Released(tags []string) []Version {
	var out []Version
	for _, t := range tags {
		if v, kind, _ := s.ParseTag(t); kind == Final {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b Version) int { return b.Compare(a) })
	return slices.Compact(out)
}

// Max returns the highest of vs, or the zero version when there is none.
func Max(vs ...[]Version) Version {
	var m Version
	for _, list := range vs {
		for _, v := range list {
			if v.Compare(m) > 0 {
				m = v
			}
		}
	}
	return m
}

// Next is the version to assign: the highest released or reserved version bumped at
// level b. With nothing released or reserved it is 0.0.0 bumped (0.1.0 for minor).
func Next(released, reserved []Version, b Bump) Version {
	return Max(released, reserved).Bump(b)
}
