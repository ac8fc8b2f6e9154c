package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/ci"
)

// WorkflowPath is where `kickoff ci init github` writes the workflow.
const WorkflowPath = ".github/workflows/kickoff.yml"

// CIInitOptions are the inputs of `kickoff ci init`.
type CIInitOptions struct {
	F        *Factory
	Ctx      context.Context
	Provider string
	Force    bool
	Version  string // the kickoff release CI installs; default this binary's
}

func newCmdCI(f *Factory, runF func(*CIInitOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ci",
		Short: "Set up the conflict radar in CI",
		Args:  subcommandArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	opts := &CIInitOptions{F: f}
	initCmd := &cobra.Command{
		Use:   "init github|jenkins",
		Short: "Write a GitHub Actions workflow, or print Jenkinsfile stages, that run the conflict radar",
		Long: `github: writes ` + WorkflowPath + ` at the repository root (commit it); it refuses
to overwrite an existing file unless --force. It runs on pull requests and on pushes to
main and to kickoff branches (a push re-checks the open pull requests it moved under).
jenkins: prints stages for a multibranch Pipeline's Jenkinsfile: the conflict radar on
pull requests, and a build of each app image tagged as ` + "`kickoff release`" + ` looks for.

Both install exactly one kickoff release, by default the version of this binary; a
development build has none, so name one with --version.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || (args[0] != ci.GitHub && args[0] != ci.Jenkins) {
				return FlagErrorf("%s expects github or jenkins", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			opts.Provider = args[0]
			if opts.Version == "" {
				opts.Version = binaryVersion()
			}
			if opts.Version == "" {
				return FlagErrorf("this kickoff is a development build (version %q) with no release to install in CI: name one with --version X.Y.Z", version)
			}
			if _, err := ci.ReleaseVersion(opts.Version); err != nil {
				return FlagErrorf("--version: %s; CI installs a release archive, so name a released version", err)
			}
			if runF != nil {
				return runF(opts)
			}
			return ciInitRun(opts)
		},
	}
	initCmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite an existing workflow file")
	initCmd.Flags().StringVar(&opts.Version, "version", "", "the kickoff `release` CI installs (default: this binary's version)")
	cmd.AddCommand(initCmd)
	return cmd
}

// binaryVersion is the release this binary is: goreleaser's stamp, else the module
// version `go install ...@vX.Y.Z` records; "" for a development build.
func binaryVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		if _, err := ci.ReleaseVersion(bi.Main.Version); err == nil {
			return bi.Main.Version
		}
	}
	return ""
}

func ciInitRun(opts *CIInitOptions) error {
	cfg, err := opts.F.Config()
	if err != nil {
		return err
	}
	out, err := ci.Render(opts.Provider, ci.Params{Version: opts.Version, Main: cfg.Main})
	if err != nil {
		return err
	}
	if opts.Provider == ci.Jenkins {
		_, err := opts.F.IO.Out.Write(out)
		return err
	}
	repo, err := opts.F.Repo()
	if err != nil {
		return err
	}
	path := filepath.Join(repo.Root, filepath.FromSlash(WorkflowPath))
	if _, err := os.Stat(path); err == nil && !opts.Force {
		return fmt.Errorf("%s already exists: keep it, or replace it with `kickoff ci init github --force`", WorkflowPath)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	opts.F.IO.Eprintf("wrote %s (installs kickoff %s): commit it, and require the check run %q in branch protection\n", WorkflowPath, opts.Version, CheckRunName)
	return nil
}
