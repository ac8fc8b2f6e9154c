package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kickoffhq/kickoff/internal/cli"
	"github.com/kickoffhq/kickoff/internal/startup"
)

// scriptCmds are extra testscript commands; each capability adds its own from a
// script_<area>_test.go file.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){}

// scriptSetups run for every script after the common environment is set.
var scriptSetups []func(env *testscript.Env) error

// scriptConds are extra [conditions] for scripts (e.g. [!docker] skip); an error fails the script.
var scriptConds = map[string]func() (bool, error){}

func TestMain(m *testing.M) {
	startup.Done() // as main does
	testscript.Main(m, map[string]func(){
		"kickoff": func() { os.Exit(cli.Main()) },
	})
}

// TestScripts runs every user story in testdata/script against the real binary.
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams())
}

// scriptParams are the stories' parameters: their folder, commands, conditions and setup.
func scriptParams() testscript.Params {
	return testscript.Params{
		Dir:                 filepath.Join("..", "..", "testdata", "script"),
		RequireExplicitExec: true,
		Cmds:                scriptCmds,
		Condition: func(cond string) (bool, error) {
			if c, ok := scriptConds[cond]; ok {
				return c()
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Setup: func(env *testscript.Env) error {
			home := filepath.Join(env.WorkDir, ".home")
			if err := os.MkdirAll(home, 0o755); err != nil {
				return err
			}
			for _, kv := range [][2]string{
				{"HOME", home},
				{"GIT_AUTHOR_NAME", "Ann Author"}, {"GIT_AUTHOR_EMAIL", "ann@example.com"},
				{"GIT_COMMITTER_NAME", "Ann Author"}, {"GIT_COMMITTER_EMAIL", "ann@example.com"},
				{"GIT_CONFIG_NOSYSTEM", "1"}, {"GIT_CONFIG_GLOBAL", filepath.Join(home, ".gitconfig")},
				{"KICKOFF_TIMEZONE", "UTC"}, {"NO_COLOR", "1"},
			} {
				env.Setenv(kv[0], kv[1])
			}
			if err := os.WriteFile(filepath.Join(home, ".gitconfig"),
				[]byte("[user]\n\tname = Ann Author\n\temail = ann@example.com\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n"), 0o644); err != nil {
				return err
			}
			for _, s := range scriptSetups {
				if err := s(env); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
