package cli

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/term"
)

// testFactory is a factory with in-memory streams, for tests that only parse flags.
func testFactory() *Factory {
	return &Factory{IO: term.Test(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})}
}

// repoFactory is the factory of a process started in dir, with in-memory streams: out
// is its stdout, errOut its stderr, neither a terminal. Git run in process reads the
// test's own environment, so the gittest identity is set there.
func repoFactory(t *testing.T, dir string) (f *Factory, out, errOut *bytes.Buffer) {
	t.Helper()
	for _, kv := range gittest.Env() {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "GIT_") {
			t.Setenv(k, v)
		}
	}
	out, errOut = &bytes.Buffer{}, &bytes.Buffer{}
	f = &Factory{IO: term.Test(strings.NewReader(""), out, errOut), Dir: dir, Env: os.Environ(),
		Now: time.Now, HTTP: http.DefaultClient}
	return f, out, errOut
}

func TestGetenvLastWins(t *testing.T) {
	f := &Factory{Env: []string{"KICKOFF_MAIN=trunk", "KICKOFF_MAINLINE=x", "KICKOFF_MAIN=develop", "EMPTY="}}
	for key, want := range map[string]string{"KICKOFF_MAIN": "develop", "KICKOFF_MAINLINE": "x", "EMPTY": "", "KICKOFF": "", "MISSING": ""} {
		if got := f.Getenv(key); got != want {
			t.Errorf("Getenv(%q) = %q, want %q", key, got, want)
		}
	}
}

// The global --main and --remote flags win over .kickoff.yaml and KICKOFF_*.
func TestConfigFlagsWin(t *testing.T) {
	r := gittest.NewLocal(t)
	r.Write(".kickoff.yaml", "main: trunk\nremote: upstream\n")
	f, _, _ := repoFactory(t, r.Dir)
	f.Env = append(f.Env, "KICKOFF_REMOTE=env-remote")
	cfg, err := f.Config()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Main != "trunk" || cfg.Remote != "env-remote" {
		t.Errorf("file and environment: main %q remote %q, want trunk env-remote", cfg.Main, cfg.Remote)
	}

	f, _, _ = repoFactory(t, r.Dir)
	f.MainFlag, f.RemoteFlag = "develop", "fork"
	if cfg, err = f.Config(); err != nil || cfg.Main != "develop" || cfg.Remote != "fork" {
		t.Errorf("flags: %+v %v, want main develop, remote fork", cfg, err)
	}
}
