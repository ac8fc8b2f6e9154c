package gitrepo

import "testing"

func TestParseIdent(t *testing.T) {
	for _, tc := range []struct {
		line, name, email string
		unix              int64
		zone              string // as a tag's tagger line writes it
	}{
		{"Ann Author <ann@example.com> 1700000000 +0000", "Ann Author", "ann@example.com", 1700000000, "+0000"},
		{"김민수 <minsu@example.kr> 1700000000 +0900", "김민수", "minsu@example.kr", 1700000000, "+0900"},
		{"Bo <bo@example.com> 1700000000 -0330", "Bo", "bo@example.com", 1700000000, "-0330"},
		{"<nobody@example.com> 1 +0000", "", "nobody@example.com", 1, "+0000"},
		{"Odd <odd@example.com>", "Odd", "odd@example.com", 0, ""},
	} {
		id := parseIdent(tc.line)
		if id.Name != tc.name || id.Email != tc.email || id.Line != tc.line {
			t.Errorf("parseIdent(%q) = %+v, want name %q email %q", tc.line, id, tc.name, tc.email)
		}
		if tc.zone == "" {
			if !id.When.IsZero() {
				t.Errorf("parseIdent(%q).When = %v, want zero", tc.line, id.When)
			}
			continue
		}
		if id.When.Unix() != tc.unix || id.When.Format("-0700") != tc.zone {
			t.Errorf("parseIdent(%q).When = %v, want %d %s", tc.line, id.When, tc.unix, tc.zone)
		}
	}
}
