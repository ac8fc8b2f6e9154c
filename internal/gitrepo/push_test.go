package gitrepo

import (
	"encoding/base64"
	"slices"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
)

func TestLostRace(t *testing.T) {
	stale := "To /r.git\n!\tabc:refs/kickoff/versions/1.0.0\t[rejected] (stale info)\n!\tabc:refs/kickoff/version-of/k\t[rejected] (atomic push failed)\nDone\n"
	if !lostRace(stale, "error: failed to push some refs") {
		t.Error("stale lease is a lost race")
	}
	locked := "!\tabc:refs/kickoff/versions/1.0.0\t[remote rejected] (failed to update ref)\n"
	if !lostRace(locked, "") {
		t.Error("a failed compare-and-swap on the remote is a lost race")
	}
	hook := "!\tabc:refs/kickoff/versions/1.0.0\t[remote rejected] (pre-receive hook declined)\n"
	if lostRace(hook, "remote: this version already exists in our release train\nerror: failed to push") {
		t.Error("a hook's words are not git's status")
	}
}

// The git binary gets the chosen HTTP credentials as a header in GIT_CONFIG_* variables
// (after any the user set), never prompts, and gets nothing for SSH or no credentials.
func TestAuthEnv(t *testing.T) {
	header := "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:tok"))
	for _, tc := range []struct {
		name    string
		environ []string
		auth    transport.AuthMethod
		want    []string
	}{
		{"none", []string{"HOME=/h"}, nil, []string{"HOME=/h", "GIT_TERMINAL_PROMPT=0"}},
		{"ssh", nil, &gitssh.PublicKeys{User: "git"}, []string{"GIT_TERMINAL_PROMPT=0"}},
		{"token", nil, &githttp.BasicAuth{Username: "x-access-token", Password: "tok"},
			[]string{"GIT_TERMINAL_PROMPT=0", "GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=http.extraHeader", "GIT_CONFIG_VALUE_0=" + header}},
		{"after the user's", []string{"GIT_CONFIG_COUNT=2"}, &githttp.BasicAuth{Username: "x-access-token", Password: "tok"},
			[]string{"GIT_CONFIG_COUNT=2", "GIT_TERMINAL_PROMPT=0", "GIT_CONFIG_COUNT=3", "GIT_CONFIG_KEY_2=http.extraHeader", "GIT_CONFIG_VALUE_2=" + header}},
	} {
		if got := authEnv(tc.environ, tc.auth); !slices.Equal(got, tc.want) {
			t.Errorf("%s: authEnv = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// What a remote says during a push is kept; git's own progress counters are not.
func TestRemoteSaid(t *testing.T) {
	text := "Counting objects: 100% (3/3), done.\rResolving deltas:  50% (1/2)\rResolving deltas: 100% (2/2), done.\n" +
		"remote: 거부: 보호된 브랜치입니다\nTotal 3 (delta 0), reused 0 (delta 0)\nremote: \n"
	if got := remoteSaid(text); got != "거부: 보호된 브랜치입니다" {
		t.Errorf("remoteSaid = %q", got)
	}
	if got := remoteSaid(""); got != "" {
		t.Errorf("remoteSaid of nothing = %q", got)
	}
}
