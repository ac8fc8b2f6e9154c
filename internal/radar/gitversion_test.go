package radar

import (
	"testing"
)

func TestParseGitVersion(t *testing.T) {
	for _, tc := range []struct {
		out  string
		ok   bool
		want GitVersion
	}{
		{"git version 2.39.5\n", true, GitVersion{2, 39, "2.39.5"}},
		{"git version 2.38.0.windows.1", true, GitVersion{2, 38, "2.38.0.windows.1"}},
		{"git version 2.37.1 (Apple Git-137.1)", false, GitVersion{2, 37, "2.37.1 (Apple Git-137.1)"}},
		{"git version 3.0.0", true, GitVersion{3, 0, "3.0.0"}},
	} {
		v, err := ParseGitVersion(tc.out)
		if err != nil || v != tc.want {
			t.Errorf("%q: %+v %v", tc.out, v, err)
		}
		if v.AtLeast(MinGit[0], MinGit[1]) != tc.ok {
			t.Errorf("%q: AtLeast = %v", tc.out, !tc.ok)
		}
	}
	if _, err := ParseGitVersion("hello"); err == nil {
		t.Error("garbage parsed")
	}
}
