package kickoff_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

func offlineEnv(t *testing.T, dir string, notes *[]string) *kickoff.Env {
	t.Helper()
	repo, err := gitrepo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &kickoff.Env{Repo: repo, Main: "main", Remote: "origin",
		Notef: func(format string, a ...any) { *notes = append(*notes, strings.TrimSpace(fmt.Sprintf(format, a...))) }}
}

// Without a remote, or with one out of reach, kickoff works locally, says why once, and
// builds on the main it knows: the local one, or the remote's as last fetched.
func TestConnectOffline(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t testing.TB) *gittest.Repo
		why   string
		main  string
	}{
		{"no remote", gittest.NewLocal, `no remote "origin": working locally (add one with ` + "`git remote add origin URL`)", "main"},
		{"unreachable", func(t testing.TB) *gittest.Repo {
			g := gittest.New(t)
			if err := os.RemoveAll(g.Remote); err != nil {
				t.Fatal(err)
			}
			return g
		}, `remote "origin" is unreachable, working locally: `, "origin/main"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.setup(t)
			var notes []string
			e := offlineEnv(t, g.Dir, &notes)
			if err := e.Connect(context.Background()); err != nil || e.Online() {
				t.Fatalf("Connect = %v, online %v; want offline", err, e.Online())
			}
			if !strings.HasPrefix(e.Offline(), tc.why) || len(notes) != 1 || notes[0] != e.Offline() {
				t.Fatalf("Offline() = %q, notes %q; want %q", e.Offline(), notes, tc.why)
			}
			e.Connect(context.Background())
			if len(notes) != 1 {
				t.Errorf("a second Connect said it again: %q", notes)
			}
			ref, h, err := e.MainHead()
			if err != nil || ref != tc.main || h.String() != g.Git("rev-parse", tc.main) {
				t.Errorf("MainHead = %s %s %v; want %s", ref, h, err, tc.main)
			}
		})
	}
}

// A remote that answers 401 or 403, and a remote name the repository does not have, are
// errors naming what to fix, never "working locally".
func TestConnectRefused(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		g := gittest.New(t)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no", status)
		}))
		t.Cleanup(srv.Close)
		g.Git("remote", "set-url", "origin", srv.URL+"/app.git")
		var notes []string
		e := offlineEnv(t, g.Dir, &notes)
		e.Getenv = func(k string) string { return map[string]string{"GITHUB_TOKEN": "ghp_x"}[k] }
		err := e.Connect(context.Background())
		if !errors.Is(err, gitrepo.ErrRefused) || !strings.Contains(err.Error(), fmt.Sprint(status)) || e.Offline() != "" || len(notes) > 0 {
			t.Errorf("HTTP %d: Connect = %v, offline %q, notes %q; want a refusal", status, err, e.Offline(), notes)
		}
		if again := e.Connect(context.Background()); again != err {
			t.Errorf("a second Connect = %v, want the same error", again)
		}
	}

	g := gittest.New(t)
	var notes []string
	e := offlineEnv(t, g.Dir, &notes)
	e.Remote = "orgin"
	err := e.Connect(context.Background())
	if !errors.Is(err, kickoff.ErrUnknownRemote) || !strings.Contains(err.Error(), `"orgin"`) || !strings.Contains(err.Error(), "remotes are origin") {
		t.Errorf("mistyped remote: Connect = %v, want an unknown-remote error naming origin", err)
	}
}

func TestMainHead(t *testing.T) {
	g := gittest.New(t)
	e := env(t, g)
	if ref, h, err := e.MainHead(); err != nil || ref != "origin/main" || h.String() != g.Git("rev-parse", "origin/main") {
		t.Errorf("MainHead = %s %s %v; want origin/main", ref, h, err)
	}
	e.Main = "trunk"
	if _, _, err := e.MainHead(); !errors.Is(err, kickoff.ErrNoMain) || !strings.Contains(err.Error(), `neither "trunk" nor "origin/trunk" exists here`) {
		t.Errorf("no trunk: %v", err)
	}
}

func TestBranchHeads(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	pushed := g.Git("rev-parse", "HEAD")
	local := g.Commit("more.txt", "more\n", "not pushed")
	e := env(t, g)
	l, r := e.BranchHeads("kickoff-240510-dash")
	if l.String() != local || r.String() != pushed {
		t.Errorf("BranchHeads = %s, %s; want %s, %s", l, r, local, pushed)
	}
	if l, r := e.BranchHeads("nothing"); !l.IsZero() || !r.IsZero() {
		t.Errorf("unknown branch: %s, %s", l, r)
	}
	if got := kickoff.Short(l); got != local[:12] {
		t.Errorf("Short = %s", got)
	}
}
