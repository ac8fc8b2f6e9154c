package slot

import (
	"context"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestTagSlug(t *testing.T) {
	for in, want := range map[string]string{
		"kickoff-240510-dashboard":      "kickoff-240510-dashboard",
		"feature/PROJ-123-Add_login":    "feature-proj-123-add-login",
		"release/1.2":                   "release-1-2",
		"--weird--":                     "weird",
		strings.Repeat("a", 70) + "-xy": strings.Repeat("a", 63),
	} {
		if got := TagSlug(in); got != want {
			t.Errorf("TagSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestImageTag(t *testing.T) {
	sha := "0123456789abcdef0123456789abcdef01234567"
	for tmpl, want := range map[string]string{
		"{{.Branch}}-{{.ShortSHA}}": "feature-proj-1-0123456",
		"{{.SHA}}":                  sha,
		"{{.App}}-{{.ShortSHA}}":    "fe-0123456",
	} {
		got, err := ImageTag(tmpl, "fe", "feature/PROJ-1", sha)
		if err != nil || got != want {
			t.Errorf("ImageTag(%q) = %q, %v; want %q", tmpl, got, err, want)
		}
	}
	if _, err := ImageTag("{{.Nope}}", "fe", "main", sha); err == nil || !strings.Contains(err.Error(), ".Branch .SHA .ShortSHA .App") {
		t.Errorf("unknown field: err = %v", err)
	}
}

// Refs of another repository come from ls-remote (no clone): branches, annotated tags
// peeled to their commit, and commits that head a branch.
func TestRemoteRefsAndResolve(t *testing.T) {
	r := gittest.New(t)
	main := r.Git("rev-parse", "HEAD")
	r.Git("checkout", "-q", "-b", "kickoff-261120-alpha")
	alpha := r.Commit("a.txt", "a\n", "alpha")
	r.Git("tag", "-a", "-m", "release", "v1.0.0")
	r.Git("push", "-q", "origin", "kickoff-261120-alpha", "v1.0.0")

	repo, err := gitrepo.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := RemoteRefs(context.Background(), repo, "file://"+r.Remote)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ ref, branch, commit string }{
		{"kickoff-261120-alpha", "kickoff-261120-alpha", alpha},
		{"main", "main", main},
		{"v1.0.0", "v1.0.0", alpha},
		{alpha[:9], "kickoff-261120-alpha", alpha},
	}
	for _, c := range cases {
		res, ok, err := refs.Resolve(c.ref)
		if err != nil || !ok || res.Branch != c.branch || res.Commit != c.commit {
			t.Errorf("Resolve(%q) = %+v %v %v; want branch %s commit %s", c.ref, res, ok, err, c.branch, c.commit)
		}
	}
	if _, ok, err := refs.Resolve("kickoff-261121-nope"); ok || err != nil {
		t.Errorf("unknown branch: ok %v err %v", ok, err)
	}
	orphan := r.Commit("b.txt", "b\n", "unpushed, heads nothing on the remote")
	if _, _, err := refs.Resolve(orphan[:10]); err == nil || !strings.Contains(err.Error(), "heads no branch") {
		t.Errorf("commit heading no branch: err = %v", err)
	}
}

// A rendered tag Docker would refuse is an error, at every render and when the
// configuration is loaded with the longest branch slug and app name.
func TestImageTagValidity(t *testing.T) {
	sha := "0123456789abcdef0123456789abcdef01234567"
	for _, tmpl := range []string{"{{.Branch}}/{{.ShortSHA}}", "-{{.ShortSHA}}", "", "{{.SHA}}{{.SHA}}{{.SHA}}{{.SHA}}"} {
		if _, err := ImageTag(tmpl, "fe", "main", sha); err == nil || !strings.Contains(err.Error(), "which is not an image tag") {
			t.Errorf("ImageTag(%q): err = %v", tmpl, err)
		}
	}
	long := strings.Repeat("a", 31)
	for _, tc := range []struct {
		tmpl string
		apps []string
		ok   bool
	}{
		{"{{.Branch}}-{{.ShortSHA}}", nil, true},
		{"{{.App}}-{{.Branch}}-{{.SHA}}", []string{"web"}, true},        // 3+1+63+1+40 = 108
		{"{{.App}}-{{.Branch}}-{{.SHA}}", []string{"web", long}, false}, // 31+1+63+1+40 = 136
		{"{{.Branch}}:{{.ShortSHA}}", nil, false},
	} {
		err := CheckImageTag(tc.tmpl, tc.apps)
		if (err == nil) != tc.ok {
			t.Errorf("CheckImageTag(%q, %q) = %v, want ok=%v", tc.tmpl, tc.apps, err, tc.ok)
		}
	}
}
