package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
	"github.com/kickoffhq/kickoff/internal/slot"
)

func init() {
	// slot-env: start an in-process registry for this script and point kickoff at it
	// (KICKOFF_REGISTRY), with a unique compose project and free host ports; slots the
	// script deployed are brought down (images removed) when it ends.
	scriptCmds["slot-env"] = func(ts *testscript.TestScript, neg bool, args []string) {
		reg, err := regtest.StartServer()
		ts.Check(err)
		ts.Defer(reg.Close)
		ts.Setenv("KICKOFF_REGISTRY", reg.Host)
		project := fmt.Sprintf("ks%06d", rand.IntN(1e6))
		ts.Setenv("KICKOFF_PROJECT", project)
		base, err := regtest.FreePortBase(4, 100, 3)
		ts.Check(err)
		ts.Setenv("KICKOFF_PORTS_BASE", fmt.Sprint(base))
		// Deferred calls run last first: the slots go, then their ports are given back.
		ts.Defer(func() { regtest.ReleasePortBase(base, 4, 100, 3) })
		ts.Defer(func() { regtest.RemoveProjects(project + "-") })
		ts.Defer(func() { regtest.RemoveStacks(project + "-") }) // a swarm slot's stack first
	}
	// push-image IMAGE REPO_DIR BRANCH VERSION [unhealthy]: push the test image CI would
	// have built for BRANCH's head in REPO_DIR, tagged by the default image_tag.
	scriptCmds["push-image"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) < 4 {
			ts.Fatalf("usage: push-image IMAGE REPO_DIR BRANCH VERSION [unhealthy]")
		}
		out, err := exec.Command("git", "-C", ts.MkAbs(args[1]), "rev-parse", args[2]).Output()
		ts.Check(err)
		tag, err := slot.ImageTag(config.DefaultImageTag, "", args[2], strings.TrimSpace(string(out)))
		ts.Check(err)
		host := ts.Getenv("KICKOFF_REGISTRY")
		reg := &regtest.Registry{Host: host}
		_, err = reg.PushImage(context.Background(), args[0], tag, regtest.Image{
			App: filepath.Base(args[0]), Version: args[3], Unhealthy: len(args) > 4 && args[4] == "unhealthy",
		})
		ts.Check(err)
	}
	// [swarm]: the engine is a swarm manager; when it is not the condition fails the script
	// with KICKOFF_REQUIRE_SWARM=1 (.ci/run makes the engine one), else it is false (and the
	// script skips). A swarm story has no need-docker line: the stories with one run again
	// with every Compose, which a swarm slot does not use.
	scriptConds["swarm"] = func() (bool, error) {
		if err := regtest.SwarmManager(); err != nil {
			if os.Getenv(regtest.SwarmRequireEnv) == "1" {
				return false, fmt.Errorf("%s=1 but %v", regtest.SwarmRequireEnv, err)
			}
			return false, nil
		}
		return true, nil
	}
	// need-docker: skip the script without an engine, or fail when KICKOFF_REQUIRE_DOCKER=1.
	scriptCmds["need-docker"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if err := regtest.DockerAvailable(); err != nil {
			if os.Getenv("KICKOFF_REQUIRE_DOCKER") == "1" {
				ts.Fatalf("KICKOFF_REQUIRE_DOCKER=1 but %v", err)
			}
			ts.Fatalf("needs a Docker engine: %v", err)
		}
	}
}

func init() {
	// push-test-image [-env K=V]... REPO:TAG [TOOL...]: push a test image as REPO:TAG to the
	// script's registry, a stand-in for an infra image of the team's compose file (a
	// database), with the binary also at each TOOL path (usr/bin/mysqladmin) so the file's
	// healthcheck works, and each K=V in its environment (DATA_DIR=/data/db: rows kept in
	// the file's volume; PORT=6379: listening on the port the file publishes).
	scriptCmds["push-test-image"] = func(ts *testscript.TestScript, neg bool, args []string) {
		env := map[string]string{}
		for len(args) > 1 && args[0] == "-env" {
			k, v, _ := strings.Cut(args[1], "=")
			env[k], args = v, args[2:]
		}
		if len(args) < 1 {
			ts.Fatalf("usage: push-test-image [-env K=V]... REPO:TAG [TOOL...]")
		}
		repo, tag, ok := strings.Cut(args[0], ":")
		if !ok {
			ts.Fatalf("push-test-image: %q has no :TAG", args[0])
		}
		reg := &regtest.Registry{Host: ts.Getenv("KICKOFF_REGISTRY")}
		_, err := reg.PushImage(context.Background(), repo, tag, regtest.Image{App: filepath.Base(repo), Version: tag, Tools: args[1:], Env: env})
		ts.Check(err)
	}
	// slot-get SLOT SERVICE PATH: ask the test server inside SLOT's SERVICE container for PATH
	// (docker exec ... /app get PATH), its answer on stdout: how a story reads and writes the
	// rows of a database stand-in that publishes no port.
	scriptCmds["slot-get"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 3 {
			ts.Fatalf("usage: slot-get SLOT SERVICE PATH")
		}
		err := ts.Exec("docker", "exec", slotContainer(ts, args[0], args[1]), "/app", "get", args[2])
		if neg != (err != nil) {
			ts.Fatalf("slot-get %s: %v", strings.Join(args, " "), err)
		}
	}
	// slot-stop SLOT SERVICE: stop SLOT's running SERVICE container, as someone might stop
	// a slot's database.
	scriptCmds["slot-stop"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: slot-stop SLOT SERVICE")
		}
		ts.Check(ts.Exec("docker", "stop", "-t", "1", slotContainer(ts, args[0], args[1])))
	}
}

// slotContainer is the id of the running container of service in the script's slot, by the
// Compose labels v1 and v2 both set.
func slotContainer(ts *testscript.TestScript, slot, service string) string {
	out, err := exec.Command("docker", "ps", "-q", "--filter", "label=com.docker.compose.project="+ts.Getenv("KICKOFF_PROJECT")+"-"+slot,
		"--filter", "label=com.docker.compose.service="+service).Output()
	ts.Check(err)
	id := strings.TrimSpace(string(out))
	if id == "" {
		ts.Fatalf("%s runs no %s container", slot, service)
	}
	return id
}

func init() {
	// slot-port VAR SLOT_INDEX OFFSET: set VAR to the host port base + slot index x 100 +
	// offset (apps first by name, then the other services' published ports).
	scriptCmds["slot-port"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 3 {
			ts.Fatalf("usage: slot-port VAR SLOT_INDEX OFFSET")
		}
		var base, si, off int
		_, err := fmt.Sscan(ts.Getenv("KICKOFF_PORTS_BASE")+" "+args[1]+" "+args[2], &base, &si, &off)
		ts.Check(err)
		ts.Setenv(args[0], fmt.Sprint(base+si*100+off))
	}
}

func init() {
	// The Compose command the stories run with, when the caller chose one.
	scriptSetups = append(scriptSetups, func(env *testscript.Env) error {
		if v := os.Getenv(compose.CommandEnv); v != "" {
			env.Setenv(compose.CommandEnv, v)
		}
		return nil
	})
}

// TestScriptsOtherCompose runs the slot and compose stories that use the engine again with
// every other installed Compose (TestScripts runs them with the default one, the v2 plugin),
// so one `go test ./...` covers Compose v1 and v2.
func TestScriptsOtherCompose(t *testing.T) {
	def, err := compose.Detect()
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	var stories []string
	for _, glob := range []string{"slot-*.txtar", "compose-*.txtar"} {
		files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "script", glob))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, []byte("\nneed-docker\n")) {
				stories = append(stories, f)
			}
		}
	}
	for _, cmd := range regtest.Composes(t) {
		if slices.Equal(cmd, def) {
			continue
		}
		t.Run(regtest.ComposeName(cmd), func(t *testing.T) {
			p := scriptParams()
			p.Dir, p.Files = "", stories
			setup := p.Setup
			p.Setup = func(env *testscript.Env) error {
				if err := setup(env); err != nil {
					return err
				}
				env.Setenv(compose.CommandEnv, strings.Join(cmd, " "))
				return nil
			}
			testscript.Run(t, p)
		})
	}
}

func init() {
	// awesome SAMPLE DIR: copy the checked-in docker/awesome-compose sample (its compose
	// file and the files it reads, unmodified) into DIR.
	scriptCmds["awesome"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: awesome SAMPLE DIR")
		}
		src := filepath.Join("..", "..", "testdata", "compose", "awesome", args[0])
		src, err := filepath.Abs(src)
		ts.Check(err)
		dst := ts.MkAbs(args[1])
		ts.Check(filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(src, path)
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
		}))
	}
}
