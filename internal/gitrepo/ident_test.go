package gitrepo

import "testing"

func TestParseIdent(t *testing.T) {
	for _, tc := range []struct{ line, name, email string }{
		{"Ann Author <ann@example.com> 1700000000 +0000", "Ann Author", "ann@example.com"},
		{"김민수 <minsu@example.kr> 1700000000 +0900", "김민수", "minsu@example.kr"},
		{"<nobody@example.com> 1 +0000", "", "nobody@example.com"},
	} {
		id := parseIdent(tc.line)
		if id.Name != tc.name || id.Email != tc.email || id.Line != tc.line {
			t.Errorf("parseIdent(%q) = %+v, want name %q email %q", tc.line, id, tc.name, tc.email)
		}
	}
}
