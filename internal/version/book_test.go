package version

import (
	"slices"
	"testing"
	"time"
)

var bookDay = time.Date(2024, 5, 10, 9, 0, 0, 0, time.UTC)

// testBook is one read of the refs: 1.0.0 released (tags only), 1.1.0 reserved by alpha
// with two candidates (listed out of order), 1.2.0 reserved by hand (only its version ref,
// the kickoff named in its message), a tag of another scheme.
func testBook() *Book {
	return newBook(Scheme{Prefix: "platform/v"}, map[string]refInfo{
		"refs/tags/platform/v1.0.0":                        {oid: "t100", commit: "c100", date: bookDay, subject: "v1.0.0 of kickoff-240401-old"},
		VersionRefPrefix + "1.1.0":                         {oid: "r110", commit: "c110", date: bookDay},
		VersionOfRefPrefix + "kickoff-240510-alpha":        {oid: "r110"},
		"refs/tags/platform/v1.1.0-rc.2":                   {oid: "rc2", commit: "c112"},
		"refs/tags/platform/v1.1.0-rc.1":                   {oid: "rc1", commit: "c111"},
		VersionRefPrefix + "1.2.0":                         {oid: "r120", commit: "c120", subject: "reserve 1.2.0 for kickoff-240511-beta"},
		VersionRefPrefix + "not-a-version":                 {oid: "junk"},
		"refs/tags/v9.9.9":                                 {oid: "other"},
		"refs/heads/kickoff-240510-alpha":                  {oid: "c110"},
		VersionOfRefPrefix + "kickoff-240512-whose-object": {oid: "nothing"},
	}, nil)
}

func TestBook(t *testing.T) {
	b := testBook()
	v := func(s string) Version { x, _ := Scheme{}.Parse(s, false); return x }
	if got := b.Versions(); !slices.Equal(got, []Version{v("1.2.0"), v("1.1.0"), v("1.0.0")}) {
		t.Errorf("Versions = %v", got)
	}
	if got := b.ReleasedVersions(); !slices.Equal(got, []Version{v("1.0.0")}) {
		t.Errorf("ReleasedVersions = %v", got)
	}
	if got := b.ReservedVersions(); !slices.Equal(got, []Version{v("1.2.0"), v("1.1.0")}) {
		t.Errorf("ReservedVersions = %v", got)
	}
	for _, tc := range []struct{ v, status, kickoff string }{
		{"1.0.0", StatusReleased, "kickoff-240401-old"},    // named by its final tag
		{"1.1.0", StatusCandidate, "kickoff-240510-alpha"}, // by its version-of ref
		{"1.2.0", StatusReserved, "kickoff-240511-beta"},   // by its reservation's message
		{"2.0.0", "", ""},
	} {
		if got := b.Status(v(tc.v)); got != tc.status {
			t.Errorf("Status(%s) = %q, want %q", tc.v, got, tc.status)
		}
		if got := b.Kickoff(v(tc.v)); got != tc.kickoff {
			t.Errorf("Kickoff(%s) = %q, want %q", tc.v, got, tc.kickoff)
		}
	}
	if r, ok := b.Of("kickoff-240510-alpha"); !ok || r.Version != v("1.1.0") || r.Commit != "c110" {
		t.Errorf("Of(alpha) = %+v, %v", r, ok)
	}
	if r, ok := b.Reservation(v("1.2.0")); !ok || r.Kickoff != "kickoff-240511-beta" || r.Object != "r120" {
		t.Errorf("Reservation(1.2.0) = %+v, %v", r, ok)
	}
	if _, ok := b.Of("kickoff-240512-whose-object"); ok {
		t.Error("a version-of ref pointing at no reservation made one")
	}
	cs := b.Candidates(v("1.1.0"))
	if len(cs) != 2 || cs[0].N != 1 || cs[1].N != 2 || cs[1].Name != "platform/v1.1.0-rc.2" {
		t.Errorf("Candidates(1.1.0) = %+v, want rc.1 then rc.2", cs)
	}
	if tr, ok := b.Released(v("1.0.0")); !ok || tr.Commit != "c100" || tr.N != 0 {
		t.Errorf("Released(1.0.0) = %+v, %v", tr, ok)
	}
}
