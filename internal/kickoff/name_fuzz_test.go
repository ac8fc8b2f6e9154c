package kickoff

import (
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// gitAccepts asks git whether refs/heads/name is a valid ref name.
func gitAccepts(t *testing.T, name string) bool {
	t.Helper()
	err := exec.Command("git", "check-ref-format", "refs/heads/"+name).Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return err == nil
}

// CheckRefName agrees with git, refusing besides what git allows in refs/heads/ but a branch
// must not be: a leading dash, HEAD and @.
func TestCheckRefNameAgreesWithGit(t *testing.T) {
	for _, name := range []string{
		"feature/PROJ-1", "a.lock.b", "a@b", "{x}", "é", "kickoff-240510-x",
		"x.lock/PROJ-1", "a/b.lock", "a/.b", ".a", "a..b", "a.", "a/b.", "a//b", "/a", "a/",
		"a b", "a~b", "a^b", "a:b", "a?b", "a*b", "a[b", `a\b`, "a@{b", "a\x01b", "a\x7fb", "",
	} {
		if ours, git := CheckRefName(name) == nil, gitAccepts(t, name); ours != git {
			t.Errorf("%q: CheckRefName accepts=%v, git accepts=%v", name, ours, git)
		}
	}
	for _, name := range []string{"-x", "HEAD", "@"} {
		if CheckRefName(name) == nil {
			t.Errorf("%q is accepted as a branch name", name)
		}
	}
}

// FuzzCheckRefName holds CheckRefName to git's own check (the seeds in testdata/fuzz run
// in every `go test`).
func FuzzCheckRefName(f *testing.F) {
	if _, err := exec.LookPath("git"); err != nil {
		f.Skip("no git")
	}
	f.Fuzz(func(t *testing.T, name string) {
		if strings.ContainsRune(name, 0) || !utf8.ValidString(name) {
			t.Skip("not an argument git can be given, or not text")
		}
		ours, git := CheckRefName(name) == nil, gitAccepts(t, name)
		extra := strings.HasPrefix(name, "-") || name == "HEAD" || name == "@"
		if ours && !git || !ours && git && !extra {
			t.Fatalf("%q: CheckRefName accepts=%v, git accepts=%v", name, ours, git)
		}
	})
}

// FuzzParseName: a name read from a ref either is refused or prints back as itself, a
// valid branch name.
func FuzzParseName(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseName(s)
		if err != nil {
			if IsName(s) {
				t.Fatalf("%q: ParseName fails, IsName accepts", s)
			}
			return
		}
		if n.String() != s {
			t.Fatalf("%q reads as %+v, which prints %q", s, n, n.String())
		}
		if len(n.Summary) > MaxSummary || CheckRefName(s) != nil {
			t.Fatalf("%q accepted: summary %q, ref check %v", s, n.Summary, CheckRefName(s))
		}
	})
}

// FuzzNewName: whatever summary a user types, the name made of it parses back.
func FuzzNewName(f *testing.F) {
	day := time.Date(2024, 5, 10, 15, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, summary string) {
		n, err := NewName(day, summary)
		if err != nil {
			return
		}
		back, err := ParseName(n.String())
		if err != nil || back != n {
			t.Fatalf("%q made %q, which reads back as %+v, %v", summary, n, back, err)
		}
	})
}

// FuzzFeatureName: a template and a key and summary from Jira render to a valid branch name
// holding the key, or to an error.
func FuzzFeatureName(f *testing.F) {
	k := Name{Date: time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC), Summary: "dashboard"}
	f.Fuzz(func(t *testing.T, template, key, summary string) {
		out, err := FeatureName(template, key, summary, k)
		if err != nil {
			return
		}
		if err := CheckRefName(out); err != nil || !strings.Contains(out, key) || ValidKey(key) != nil {
			t.Fatalf("FeatureName(%q, %q, %q) = %q: %v", template, key, summary, out, err)
		}
	})
}
