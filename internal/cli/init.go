package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// InitOptions are the inputs of `kickoff init`.
type InitOptions struct {
	F     *Factory        // streams, environment, clock and the services built from them
	Ctx   context.Context // the command's context, set when it runs
	Force bool
	JSON  bool
}

func newCmdInit(f *Factory, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{F: f}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented .kickoff.yaml at the repository root",
		Long: `Write a commented .kickoff.yaml documenting every setting with its default. No command
needs the file: without it kickoff uses the defaults (main branch main, remote origin).`,
		Args: noArgs(""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return initRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite an existing .kickoff.yaml")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the path written as JSON")
	return cmd
}

func initRun(opts *InitOptions) error {
	f := opts.F
	repo, err := f.Repo()
	switch {
	case errors.Is(err, gitrepo.ErrNotRepo):
		return FlagErrorf("%s is not in a git repository, and %s belongs at a repository's root, committed with the code: run kickoff init inside the repository (or `git init` first)", f.Dir, config.FileName)
	case err != nil:
		return err
	case repo.Bare():
		return FlagErrorf("%s is a bare repository, with no work tree to commit %s from: run kickoff init in a clone", repo.Root, config.FileName)
	}
	dir := repo.Root
	path := filepath.Join(dir, config.FileName)
	if _, err := os.Stat(path); err == nil && !opts.Force {
		return fmt.Errorf("%s already exists: edit it, or run `kickoff init --force` to replace it with the template", path)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.WriteFile(path, []byte(config.Template), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if opts.JSON {
		return f.IO.JSON(struct {
			Path string `json:"path"`
		}{path})
	}
	_, err = fmt.Fprintln(f.IO.Out, path)
	return err
}
