package version

import "testing"

// FuzzParseTag: any tag name pushed by anyone either is not ours or reads as a version that
// prints back as the same name, compares with others and bumps to a higher version.
func FuzzParseTag(f *testing.F) {
	s := Scheme{Prefix: "platform/v"}
	f.Fuzz(func(t *testing.T, name string) {
		v, kind, rc := s.ParseTag(name)
		switch kind {
		case NotOurs, PreRelease:
			return
		case Final:
			if s.Tag(v) != name {
				t.Fatalf("%q reads as %s, which is tag %q", name, v, s.Tag(v))
			}
		case Candidate:
			if rc < 1 || s.CandidateTag(v, rc) != name {
				t.Fatalf("%q reads as %s rc %d, which is tag %q", name, v, rc, s.CandidateTag(v, rc))
			}
		}
		if _, err := s.Parse(name, true); err != nil {
			t.Fatalf("%q is a tag of ours that Parse refuses: %v", name, err)
		}
		for _, b := range []Bump{Major, Minor, Patch} {
			if n := v.Bump(b); n.Compare(v) <= 0 {
				t.Fatalf("%q: %s bumped (%s) is %s, not higher", name, v, b, n)
			}
		}
	})
}
