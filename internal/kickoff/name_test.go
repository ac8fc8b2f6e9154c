package kickoff

import (
	"cmp"
	"strings"
	"testing"
	"time"
)

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"Admin Dashboard", "admin-dashboard", ""},
		{"  admin   dashboard  ", "admin-dashboard", ""},
		{"Café crème", "cafe-creme", ""},
		{"v2 -- API!!", "v2-api", ""},
		{"", "", "empty"},
		{"   ", "", "empty"},
		{"!!! ???", "", "no letters or digits"},
		{"결제 개선", "gyeolje-gaeseon", ""},
		{"결제 개선 v2", "gyeolje-gaeseon-v2", ""},
		{"🚀🔥", "", "no letters or digits"},
		{"ⵜⴰⵎⴰⵣⵉⵖⵜ", "", "pass --slug"}, // Tifinagh: nothing spells it
		{"결제 페이지 개선 및 환불 처리 자동화", "", "--slug"},
		{strings.Repeat("ab ", 14), "", "keep it to 40"},       // 41 characters
		{strings.Repeat("a", 40), strings.Repeat("a", 40), ""}, // exactly 40
	} {
		got, err := Slug(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Slug(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Slug(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestNameRoundTrip(t *testing.T) {
	n, err := NewName(time.Date(2024, 5, 10, 23, 30, 0, 0, time.FixedZone("KST", 9*3600)), "Admin Dashboard")
	if err != nil {
		t.Fatal(err)
	}
	if n.String() != "kickoff-240510-admin-dashboard" {
		t.Fatalf("name = %s (the date is the day in the given zone)", n)
	}
	back, err := ParseName(n.String())
	if err != nil || back != n {
		t.Fatalf("ParseName = %+v, %v", back, err)
	}
	for _, bad := range []string{"kickoff-2405-x", "kickoff-241399-x", "kickoff-240510-", "kickoff-240510-Admin", "kickoff-240510-a--b", "feature/PROJ-1", "kickoff-240510-" + strings.Repeat("a", 41)} {
		if IsName(bad) {
			t.Errorf("IsName(%q) = true", bad)
		}
	}
}

func TestCompareJiraKeys(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int // its sign
	}{
		{"PROJ-2", "PROJ-10", -1},
		{"PROJ-10", "PROJ-9", 1},
		{"PROJ-7", "PROJ-7", 0},
		{"OPS-99", "PROJ-1", -1},
		{"PROJ-1", "OPS-99", 1},
	} {
		got := CompareJiraKeys(tc.a, tc.b)
		if cmp.Compare(got, 0) != tc.want {
			t.Errorf("CompareJiraKeys(%q, %q) = %d, want sign %d", tc.a, tc.b, got, tc.want)
		}
	}
}
