package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/term"
)

// WorkflowPath is where `kickoff ci init github` writes the workflow.
const WorkflowPath = ".github/workflows/kickoff.yml"

// githubWorkflow runs `kickoff check` on every pull request. Full history, because the
// radar needs merge bases and every live kickoff; the permissions are the ones the check
// run and the pull-request comment need.
const githubWorkflow = `# Written by ` + "`kickoff ci init github`" + `: the conflict radar on every pull request.
# It fails when the pull request conflicts with its target branch or main, warns when it
# conflicts with another live kickoff, annotates the conflicting lines and keeps one
# comment on the pull request up to date.
name: kickoff conflicts
on:
  pull_request:
    types: [opened, synchronize, reopened]
permissions:
  contents: read
  checks: write
  pull-requests: write
concurrency:
  group: kickoff-conflicts-${{ github.event.pull_request.number }}
  cancel-in-progress: true
jobs:
  conflicts:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # merge bases and every live kickoff
      - uses: actions/setup-go@v5
        with:
          go-version: stable
      - run: go install github.com/kickoffhq/kickoff/cmd/kickoff@latest
      # The radar's cache (verdicts by commit ids): after a push only the pairs of what
      # moved are decided again.
      - uses: actions/cache@v4
        with:
          path: .git/kickoff
          key: kickoff-radar-${{ github.run_id }}
          restore-keys: kickoff-radar-
      - run: kickoff check
        env:
          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
`

// jenkinsStage is a declarative-pipeline stage for multibranch pull-request builds.
const jenkinsStage = `// Conflict radar: add this stage to your Jenkinsfile (declarative pipeline, multibranch
// with pull requests). kickoff must be on the agent's PATH, with git >= 2.38.
stage('Conflict radar') {
  when { changeRequest() }
  steps {
    // Full history and every branch: merge bases and every live kickoff.
    sh 'git fetch --no-tags --unshallow origin "+refs/heads/*:refs/remotes/origin/*" || git fetch --no-tags origin "+refs/heads/*:refs/remotes/origin/*"'
    sh 'kickoff check HEAD --target "$CHANGE_TARGET"'
  }
}
`

// CIInitOptions are the inputs of `kickoff ci init`.
type CIInitOptions struct {
	IO       *term.IO
	Repo     func() (*gitrepo.Repo, error)
	Provider string
	Force    bool
}

func newCmdCI(f *Factory, runF func(*CIInitOptions) error) *cobra.Command {
	ci := &cobra.Command{
		Use:   "ci",
		Short: "Set up the conflict radar in CI",
		Args:  exactArgs(0, "a subcommand: init"),
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	opts := &CIInitOptions{IO: f.IO, Repo: f.Repo}
	initCmd := &cobra.Command{
		Use:   "init github|jenkins",
		Short: "Write a GitHub Actions workflow, or print a Jenkinsfile stage, that runs `kickoff check` on pull requests",
		Long: `github: writes ` + WorkflowPath + ` at the repository root (commit it); it refuses
to overwrite an existing file unless --force.
jenkins: prints a declarative-pipeline stage to paste into your Jenkinsfile.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 || (args[0] != "github" && args[0] != "jenkins") {
				return FlagErrorf("%s expects github or jenkins", cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Provider = args[0]
			if runF != nil {
				return runF(opts)
			}
			return ciInitRun(opts)
		},
	}
	initCmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite an existing workflow file")
	ci.AddCommand(initCmd)
	return ci
}

func ciInitRun(opts *CIInitOptions) error {
	if opts.Provider == "jenkins" {
		_, err := fmt.Fprint(opts.IO.Out, jenkinsStage)
		return err
	}
	repo, err := opts.Repo()
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
	if err := os.WriteFile(tmp, []byte(githubWorkflow), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	opts.IO.Printf("wrote %s: commit it, and pull requests get the conflict radar\n", WorkflowPath)
	return nil
}
