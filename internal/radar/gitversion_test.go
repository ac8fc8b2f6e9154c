package radar

import (
	"context"
	"errors"
	"strings"
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

// checkGit takes the version git gives (or the cache holds) and refuses a git too old
// for merge-tree --write-tree, saying what is needed.
func TestCheckGit(t *testing.T) {
	answer := func(out string, err error) <-chan gitVersionAnswer {
		ch := make(chan gitVersionAnswer, 1)
		ch <- gitVersionAnswer{out, err}
		return ch
	}
	v, fresh, err := checkGit(context.Background(), nil, "key", answer("git version 2.39.5\n", nil))
	if err != nil || v.Raw != "2.39.5" || fresh != "git version 2.39.5\n" {
		t.Errorf("git 2.39.5: %+v fresh %q err %v", v, fresh, err)
	}
	_, _, err = checkGit(context.Background(), nil, "key", answer("git version 2.34.1\n", nil))
	if err == nil || !strings.Contains(err.Error(), "git 2.34.1 is too old") || !strings.Contains(err.Error(), "git >= 2.38") {
		t.Errorf("git 2.34.1: err %v", err)
	}
	if _, _, err = checkGit(context.Background(), nil, "key", answer("", errors.New("exec: not found"))); err == nil || !strings.Contains(err.Error(), "run git version") {
		t.Errorf("git failing: err %v", err)
	}
	// A version the cache holds is used without asking git.
	c, err := openCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.putAll(bucketMeta, map[string]any{"key": "git version 2.45.0"}); err != nil {
		t.Fatal(err)
	}
	v, fresh, err = checkGit(context.Background(), c, "key", answer("", errors.New("git was asked")))
	if err != nil || v.Raw != "2.45.0" || fresh != "" {
		t.Errorf("from the cache: %+v fresh %q err %v", v, fresh, err)
	}
}
