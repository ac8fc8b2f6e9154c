package gitrepo_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

func envFunc(kv ...string) func(string) string {
	return func(k string) string {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == k {
				return kv[i+1]
			}
		}
		return ""
	}
}

// gitHTTPServer serves dir's bare repositories over smart HTTP with git-http-backend (a real
// git server), accepting only basic auth user:pass.
func gitHTTPServer(t *testing.T, root, user, pass string) *httptest.Server {
	t.Helper()
	backend, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skip("git --exec-path:", err)
	}
	bin := filepath.Join(strings.TrimSpace(string(backend)), "git-http-backend")
	if _, err := os.Stat(bin); err != nil {
		t.Skip("no git-http-backend:", err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != user || p != pass {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		// REMOTE_USER (an authenticated user) lets git-http-backend accept pushes.
		h := &cgi.Handler{Path: bin, Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1", "REMOTE_USER=" + u}}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Fetch and push over HTTPS-style smart HTTP authenticate with GITHUB_TOKEN.
func TestPushAndFetchOverHTTPWithToken(t *testing.T) {
	g := gittest.New(t)
	root := filepath.Dir(g.Remote)
	srv := gitHTTPServer(t, root, "x-access-token", "tok123")
	g.Git("remote", "set-url", "origin", srv.URL+"/"+filepath.Base(g.Remote))
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// No credentials: the server's 401 comes back as a remote error.
	err = repo.Fetch(ctx, "origin", envFunc())
	var re *gitrepo.RemoteError
	if !errors.As(err, &re) {
		t.Fatalf("fetch without a token = %v, want a RemoteError", err)
	}

	withToken := envFunc("GITHUB_TOKEN", "tok123")
	if err := repo.Fetch(ctx, "origin", withToken); err != nil {
		t.Fatalf("fetch with token: %v", err)
	}
	g.Git("switch", "-q", "-c", "kickoff-240510-http")
	g.Commit("h.txt", "h\n", "over http")
	if err := repo.Push(ctx, "origin", withToken, "refs/heads/kickoff-240510-http:refs/heads/kickoff-240510-http"); err != nil {
		t.Fatalf("push with token: %v", err)
	}
	out, err := exec.Command("git", "--git-dir", g.Remote, "rev-parse", "kickoff-240510-http").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != g.Git("rev-parse", "HEAD") {
		t.Fatalf("remote does not have the pushed branch: %s %v", out, err)
	}
}

func TestAuthChoice(t *testing.T) {
	g := gittest.New(t)
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// Local paths and file URLs: nothing.
	if a, err := repo.Auth(ctx, g.Remote, envFunc()); a != nil || err != nil {
		t.Errorf("local path: %v, %v", a, err)
	}

	// HTTPS: GITHUB_TOKEN, else GH_TOKEN.
	a, _ := repo.Auth(ctx, "https://github.com/acme/app.git", envFunc("GH_TOKEN", "t2"))
	if ba, ok := a.(*githttp.BasicAuth); !ok || ba.Username != "x-access-token" || ba.Password != "t2" {
		t.Errorf("GH_TOKEN: %#v", a)
	}

	// HTTPS without a token: the configured credential helper answers.
	g.Git("config", "credential.helper", "!f() { echo username=helper-user; echo password=helper-pass; }; f")
	a, _ = repo.Auth(ctx, "https://git.acme.io/app.git", envFunc())
	if ba, ok := a.(*githttp.BasicAuth); !ok || ba.Username != "helper-user" || ba.Password != "helper-pass" {
		t.Errorf("credential helper: %#v", a)
	}

	// SSH without an agent: the first usual key in ~/.ssh.
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(home, ".ssh", "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key).CombinedOutput(); err != nil {
		t.Skipf("ssh-keygen: %v %s", err, out)
	}
	a, err = repo.Auth(ctx, "git@github.com:acme/app.git", envFunc("HOME", home))
	if pk, ok := a.(*gitssh.PublicKeys); !ok || err != nil || pk.User != "git" {
		t.Errorf("ssh key: %#v, %v", a, err)
	}
}

// Listing a remote's refs and atomic create-only pushes (the git binary) take the same
// credentials as fetch and push; creating a ref that exists meanwhile is a lost race.
func TestListAndAtomicPushOverHTTPWithToken(t *testing.T) {
	g := gittest.New(t)
	srv := gitHTTPServer(t, filepath.Dir(g.Remote), "x-access-token", "tok123")
	g.Git("remote", "set-url", "origin", srv.URL+"/"+filepath.Base(g.Remote))
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	head := plumbing.NewHash(g.Git("rev-parse", "HEAD"))
	withToken := envFunc("GITHUB_TOKEN", "tok123")

	var re *gitrepo.RemoteError
	if _, err := repo.RemoteRefs(ctx, "origin", envFunc()); !errors.As(err, &re) {
		t.Fatalf("list without a token = %v, want a RemoteError", err)
	}
	refs, err := repo.RemoteRefs(ctx, "origin", withToken)
	if err != nil || refs["refs/heads/main"].Hash != head {
		t.Fatalf("list with token = %v, %v; want main at %s", refs, err, head)
	}

	create := []gitrepo.RefUpdate{{Name: "refs/kickoff/versions/1.0.0", New: head}}
	var rej *gitrepo.PushRejectedError
	if err := repo.PushAtomic(ctx, "origin", envFunc(), create); !errors.As(err, &rej) {
		t.Fatalf("atomic push without a token = %v, want a refusal", err)
	}
	if err := repo.PushAtomic(ctx, "origin", withToken, create); err != nil {
		t.Fatalf("atomic push with token: %v", err)
	}
	other := plumbing.NewHash(g.Commit("o.txt", "o\n", "another racer's object"))
	err = repo.PushAtomic(ctx, "origin", withToken, []gitrepo.RefUpdate{{Name: "refs/kickoff/versions/1.0.0", New: other}})
	if !errors.Is(err, gitrepo.ErrRefChanged) {
		t.Fatalf("second create = %v, want a lost race", err)
	}
}

// An atomic push to a remote that does not answer gives up after KICKOFF_NETWORK_TIMEOUT.
func TestAtomicPushTimesOut(t *testing.T) {
	g := gittest.New(t)
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(func() { close(stop); srv.Close() })
	g.Git("remote", "set-url", "origin", srv.URL+"/app.git")
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	head := plumbing.NewHash(g.Git("rev-parse", "HEAD"))
	start := time.Now()
	err = repo.PushAtomic(context.Background(), "origin", envFunc("KICKOFF_NETWORK_TIMEOUT", "300ms"),
		[]gitrepo.RefUpdate{{Name: "refs/kickoff/versions/1.0.0", New: head}})
	var re *gitrepo.RemoteError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "KICKOFF_NETWORK_TIMEOUT") {
		t.Fatalf("push to a silent remote = %v, want a timeout", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("gave up after %v", d)
	}
}
