package gitrepo_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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

// Fetch and push over smart HTTP authenticate with the credentials written in the remote's
// URL; a refusal is ErrRefused (not "unreachable") and never shows the password.
func TestPushAndFetchOverHTTPWithURLCredentials(t *testing.T) {
	g := gittest.New(t)
	root := filepath.Dir(g.Remote)
	srv := gitHTTPServer(t, root, "bot", "tok123")
	host := strings.TrimPrefix(srv.URL, "http://")
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	g.Git("remote", "set-url", "origin", "http://bot:WRONG-pass-77@"+host+"/"+filepath.Base(g.Remote))
	err = repo.Fetch(ctx, "origin", envFunc())
	var re *gitrepo.RemoteError
	if !errors.As(err, &re) || !errors.Is(err, gitrepo.ErrRefused) {
		t.Fatalf("fetch with a wrong password = %v, want a refusal", err)
	}
	if msg := err.Error(); strings.Contains(msg, "WRONG-pass-77") || !strings.Contains(msg, "bot:***@") || !strings.Contains(msg, "401") {
		t.Errorf("refusal message %q: want the URL with the password as *** and the status", msg)
	}

	g.Git("remote", "set-url", "origin", "http://bot:tok123@"+host+"/"+filepath.Base(g.Remote))
	if err := repo.Fetch(ctx, "origin", envFunc()); err != nil {
		t.Fatalf("fetch with the URL's credentials: %v", err)
	}
	g.Git("switch", "-q", "-c", "kickoff-240510-http")
	g.Commit("h.txt", "h\n", "over http")
	if err := repo.Push(ctx, "origin", envFunc(), "refs/heads/kickoff-240510-http:refs/heads/kickoff-240510-http"); err != nil {
		t.Fatalf("push with the URL's credentials: %v", err)
	}
	out, err := exec.Command("git", "--git-dir", g.Remote, "rev-parse", "kickoff-240510-http").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != g.Git("rev-parse", "HEAD") {
		t.Fatalf("remote does not have the pushed branch: %s %v", out, err)
	}
}

// tokenLog is a git remote over plain HTTP that answers 401 to everything and remembers
// whether any request carried the token, in any header.
func tokenLog(t *testing.T, token string) (*httptest.Server, func() []string) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, vs := range r.Header {
			for _, v := range vs {
				dec := v
				if b, ok := strings.CutPrefix(v, "Basic "); ok {
					if raw, err := base64.StdEncoding.DecodeString(b); err == nil {
						dec = string(raw)
					}
				}
				if strings.Contains(v, token) || strings.Contains(dec, token) {
					mu.Lock()
					seen = append(seen, r.Method+" "+r.URL.Path+" "+k)
					mu.Unlock()
				}
			}
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
		http.Error(w, "authentication required", http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string { mu.Lock(); defer mu.Unlock(); return slices.Clone(seen) }
}

// GITHUB_TOKEN never reaches a host that is not GitHub's, nor any host over plain HTTP (a
// GitHub Enterprise host listed included), through any of fetch, push, ls-remote and the git
// binary's atomic push; each refusal says why the token was not sent.
func TestTokenStaysWithGitHubOverHTTPS(t *testing.T) {
	const token = "ghp_NEVER_LEAVES_0123456789"
	g := gittest.New(t)
	srv, seen := tokenLog(t, token)
	g.Git("remote", "set-url", "origin", srv.URL+"/app.git")
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	head := plumbing.NewHash(g.Git("rev-parse", "HEAD"))
	for _, tc := range []struct {
		name, why string
		hosts     []string
	}{
		{"not a GitHub host", "only sent to GitHub hosts", nil},
		{"a listed host over plain HTTP", "never sent over plain HTTP", []string{"127.0.0.1"}},
	} {
		repo.SetGitHubHosts(tc.hosts)
		for _, v := range []string{"GITHUB_TOKEN", "GH_TOKEN"} {
			env := envFunc(v, token)
			errs := map[string]error{
				"fetch":       repo.Fetch(ctx, "origin", env),
				"push":        repo.Push(ctx, "origin", env, "refs/heads/main:refs/heads/main"),
				"atomic push": repo.PushAtomic(ctx, "origin", env, []gitrepo.RefUpdate{{Name: "refs/kickoff/versions/1.0.0", New: head}}),
			}
			_, errs["ls-remote"] = repo.RemoteRefs(ctx, "origin", env)
			for op, err := range errs {
				if !errors.Is(err, gitrepo.ErrRefused) || !strings.Contains(err.Error(), tc.why) || !strings.Contains(err.Error(), v) {
					t.Errorf("%s, %s with %s = %v; want a refusal saying %q", tc.name, op, v, err, tc.why)
				}
			}
		}
	}
	if s := seen(); len(s) > 0 {
		t.Fatalf("the token reached the server: %q", s)
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

	// HTTPS on GitHub: GITHUB_TOKEN, else GH_TOKEN.
	a, _ := repo.Auth(ctx, "https://github.com/acme/app.git", envFunc("GH_TOKEN", "t2"))
	if ba, ok := a.(*githttp.BasicAuth); !ok || ba.Username != "x-access-token" || ba.Password != "t2" {
		t.Errorf("GH_TOKEN: %#v", a)
	}
	// The token is bound to GitHub's hosts over HTTPS: a GitHub Enterprise host once listed.
	for _, u := range []string{"https://ghe.acme.io/acme/app.git", "http://github.com/acme/app.git", "https://github.com.evil.io/a.git"} {
		if a, err := repo.Auth(ctx, u, envFunc("GITHUB_TOKEN", "t1")); a != nil || err != nil {
			t.Errorf("%s got %#v, %v; want no credentials", u, a, err)
		}
	}
	repo.SetGitHubHosts([]string{"GHE.acme.io"})
	a, _ = repo.Auth(ctx, "https://ghe.acme.io:8443/acme/app.git", envFunc("GITHUB_TOKEN", "t1"))
	if ba, ok := a.(*githttp.BasicAuth); !ok || ba.Password != "t1" {
		t.Errorf("listed GitHub Enterprise host: %#v", a)
	}
	// Credentials written in the URL are for that URL, and win.
	a, _ = repo.Auth(ctx, "https://u:p@github.com/acme/app.git", envFunc("GITHUB_TOKEN", "t1"))
	if ba, ok := a.(*githttp.BasicAuth); !ok || ba.Username != "u" || ba.Password != "p" {
		t.Errorf("URL credentials: %#v", a)
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
	srv := gitHTTPServer(t, filepath.Dir(g.Remote), "bot", "tok123")
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	head := plumbing.NewHash(g.Git("rev-parse", "HEAD"))
	// The git binary's credential helper (git's own per-host configuration) answers.
	g.Git("config", "credential.helper", "!f() { echo username=bot; echo password=tok123; }; f")
	withToken := envFunc()

	g.Git("remote", "set-url", "origin", srv.URL+"/"+filepath.Base(g.Remote))
	var re *gitrepo.RemoteError
	if _, err := repo.RemoteRefs(ctx, "http://nobody:wrong@"+strings.TrimPrefix(srv.URL, "http://")+"/"+filepath.Base(g.Remote), envFunc()); !errors.As(err, &re) || !errors.Is(err, gitrepo.ErrRefused) {
		t.Fatalf("list with wrong credentials = %v, want a refusal", err)
	}
	refs, err := repo.RemoteRefs(ctx, "origin", withToken)
	if err != nil || refs["refs/heads/main"].Hash != head {
		t.Fatalf("list with token = %v, %v; want main at %s", refs, err, head)
	}

	create := []gitrepo.RefUpdate{{Name: "refs/kickoff/versions/1.0.0", New: head}}
	var rej *gitrepo.PushRejectedError
	g.Git("remote", "set-url", "origin", "http://bot:wrong@"+strings.TrimPrefix(srv.URL, "http://")+"/"+filepath.Base(g.Remote))
	if err := repo.PushAtomic(ctx, "origin", envFunc(), create); !errors.As(err, &rej) || !errors.Is(err, gitrepo.ErrRefused) {
		t.Fatalf("atomic push with wrong credentials = %v, want a refusal", err)
	}
	g.Git("remote", "set-url", "origin", srv.URL+"/"+filepath.Base(g.Remote))
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
