package version

import (
	"strings"
	"testing"
)

func TestNextFromTags(t *testing.T) {
	tests := []struct {
		name     string
		prefix   string
		tags     []string
		reserved []Version
		bump     Bump
		want     string
	}{
		{"no tags at all, minor", "platform/v", nil, nil, Minor, "0.1.0"},
		{"no tags at all, major", "platform/v", nil, nil, Major, "1.0.0"},
		{"no tags at all, patch", "platform/v", nil, nil, Patch, "0.0.1"},
		{"highest release bumped", "platform/v", []string{"platform/v1.2.0", "platform/v1.10.0", "platform/v1.3.9"}, nil, Minor, "1.11.0"},
		{"patch bump", "platform/v", []string{"platform/v1.3.9"}, nil, Patch, "1.3.10"},
		{"major bump resets", "platform/v", []string{"platform/v1.3.9"}, nil, Major, "2.0.0"},
		{"release candidates ignored", "platform/v", []string{"platform/v1.3.0", "platform/v1.4.0-rc.1", "platform/v1.4.0-rc.2"}, nil, Minor, "1.4.0"},
		{"other pre-releases ignored", "platform/v", []string{"platform/v1.3.0", "platform/v2.0.0-beta.1", "platform/v9.0.0-alpha"}, nil, Minor, "1.4.0"},
		{"only pre-releases means nothing released", "platform/v", []string{"platform/v1.0.0-rc.1"}, nil, Minor, "0.1.0"},
		{"reservations count", "platform/v", []string{"platform/v1.3.0"}, []Version{{1, 4, 0}, {1, 5, 0}}, Minor, "1.6.0"},
		{"reservation below release", "platform/v", []string{"platform/v2.0.0"}, []Version{{1, 4, 0}}, Patch, "2.0.1"},
		{"other prefixes ignored", "platform/v", []string{"v9.0.0", "app/v8.0.0", "platform/v1.0.0"}, nil, Minor, "1.1.0"},
		{"not semver ignored", "platform/v", []string{"platform/v1.2", "platform/vlatest", "platform/v01.2.3", "platform/v1.0.0"}, nil, Minor, "1.1.0"},
		{"build metadata ignored", "platform/v", []string{"platform/v3.0.0+build.1", "platform/v1.0.0"}, nil, Minor, "1.1.0"},
		{"prefix v", "v", []string{"v1.2.3", "platform/v7.0.0"}, nil, Patch, "1.2.4"},
		{"empty prefix", "", []string{"1.2.3", "v5.0.0", "platform/v6.0.0"}, nil, Minor, "1.3.0"},
		{"prefix release-", "release-", []string{"release-0.9.0", "release-0.10.0-rc.3"}, nil, Minor, "0.10.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Scheme{Prefix: tt.prefix}
			got := Next(s.Released(tt.tags), tt.reserved, tt.bump)
			if got.String() != tt.want {
				t.Fatalf("Next = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	s := Scheme{Prefix: "platform/v"}
	ok := map[string]string{
		"platform/v1.3.10": "1.3.10", "v1.3.10": "1.3.10", "1.3.10": "1.3.10",
		"refs/tags/platform/v1.3.10": "1.3.10", " 2.0.0 ": "2.0.0",
	}
	for in, want := range ok {
		v, err := s.Parse(in, false)
		if err != nil || v.String() != want {
			t.Errorf("Parse(%q) = %v, %v; want %s", in, v, err, want)
		}
	}
	for _, in := range []string{"", "1.3", "1.3.x", "one", "1.3.0-rc.1", "1.3.0+meta", "platform/v1", "01.2.3"} {
		if v, err := s.Parse(in, false); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", in, v)
		}
	}
	if v, err := s.Parse("platform/v1.3.0-rc.2", true); err != nil || v.String() != "1.3.0" {
		t.Errorf("Parse(rc, candidates) = %v, %v", v, err)
	}
	if _, err := s.Parse("platform/v1.3.0-beta", true); err == nil {
		t.Error("a beta is not a candidate")
	}
}

func TestParseTag(t *testing.T) {
	s := Scheme{Prefix: "platform/v"}
	v, kind, rc := s.ParseTag("platform/v1.3.0-rc.12")
	if kind != Candidate || rc != 12 || v != (Version{1, 3, 0}) {
		t.Fatalf("got %v %v %v", v, kind, rc)
	}
	if _, kind, _ := s.ParseTag("platform/v1.3.0-rc.0"); kind != PreRelease {
		t.Fatalf("rc.0 is not a candidate: %v", kind)
	}
	if got := s.CandidateTag(Version{1, 3, 0}, 2); got != "platform/v1.3.0-rc.2" {
		t.Fatal(got)
	}
}

func TestCompareNumeric(t *testing.T) {
	if (Version{1, 10, 0}).Compare(Version{1, 9, 9}) <= 0 {
		t.Fatal("1.10.0 must be above 1.9.9")
	}
	if _, err := ParseBump("Minor"); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseBump("huge"); err == nil {
		t.Fatal("huge is no bump")
	}
}

func TestParseTagOutOfRange(t *testing.T) {
	s := Scheme{Prefix: "platform/v"}
	for _, name := range []string{
		"platform/v0.18446744073709551615.0",
		"platform/v2147483648.0.0",
		"platform/v1.0.2147483648",
		"platform/v1.0.0-rc.2147483648",
	} {
		if _, kind, _ := s.ParseTag(name); kind != OutOfRange {
			t.Errorf("ParseTag(%q) kind = %v, want OutOfRange", name, kind)
		}
	}
	if v, kind, _ := s.ParseTag("platform/v2147483647.0.0"); kind != Final || v.Bump(Minor).String() != "2147483647.1.0" {
		t.Errorf("the largest component is a version: %v %v", v, kind)
	}
	if _, err := s.Parse("0.18446744073709551615.0", false); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("Parse of an overflowing version: %v", err)
	}
	var warned []string
	b := newBook(s, map[string]refInfo{"refs/tags/platform/v0.18446744073709551615.0": {oid: "x"}, "refs/tags/platform/v0.1.0": {oid: "y"}},
		func(m string) { warned = append(warned, m) })
	if got := b.ReleasedVersions(); len(got) != 1 || got[0].String() != "0.1.0" || len(warned) != 1 || !strings.Contains(warned[0], "platform/v0.18446744073709551615.0") {
		t.Errorf("book = %v, warnings %q", got, warned)
	}
}
