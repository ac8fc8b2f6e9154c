package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

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
		ts.Defer(func() { regtest.RemoveProjects(project + "-") })
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
