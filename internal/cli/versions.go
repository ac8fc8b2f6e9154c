package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// VersionsOptions are the inputs of `kickoff versions`.
type VersionsOptions struct {
	F    *Factory        // streams, environment, clock and the services built from them
	Ctx  context.Context // the command's context, set when it runs
	JSON bool
}

func newCmdVersions(f *Factory, runF func(*VersionsOptions) error) *cobra.Command {
	opts := &VersionsOptions{F: f}
	cmd := &cobra.Command{
		Use:   "versions",
		Short: "List every platform version: reserved, QA candidates, released",
		Long: `List every platform version known to the remote, highest first: reserved by a kickoff,
with release candidates (QA deploys), or released, with the kickoff, the commit and dates.`,
		Args: noArgs(""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return versionsRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func versionsRun(opts *VersionsOptions) error {
	f := opts.F
	store, err := versionStore(f)
	if err != nil {
		return err
	}
	book, syncErr := store.Sync(opts.Ctx)
	if book == nil {
		return syncErr
	}
	if syncErr != nil {
		f.IO.Eprintf("warning: %v\n", syncErr)
	}
	entries := book.Entries()
	if err := store.KickoffStates(entries); err != nil {
		f.IO.Eprintf("warning: kickoff states unknown: %v\n", err)
	}
	if opts.JSON {
		return f.IO.JSON(entries)
	}
	if len(entries) == 0 {
		f.IO.Eprintf("No platform versions yet: `kickoff version KICKOFF --assign` assigns one.\n")
		return nil
	}
	loc := time.UTC
	if cfg, err := f.Config(); err == nil {
		if l, err := cfg.Location(); err == nil {
			loc = l
		}
	}
	day := func(t *time.Time) string {
		if t == nil {
			return "-"
		}
		return t.In(loc).Format("2006-01-02")
	}
	tbl := f.IO.NewTable("VERSION", "STATUS", "KICKOFF", "COMMIT", "RESERVED", "RELEASED", "CANDIDATES")
	for _, e := range entries {
		status := e.Status
		switch status {
		case "released":
			status = f.IO.Green(status)
		case "candidate":
			status = f.IO.Yellow(status)
		}
		k := e.Kickoff
		switch {
		case k == "":
			k = "-"
		case e.KickoffState != "" && e.KickoffState != "live" && e.Status != "released":
			k += " (" + e.KickoffState + ")"
		}
		cands := "-"
		if n := len(e.Candidates); n > 0 {
			cands = e.Candidates[n-1].Tag
		}
		commit := gitrepo.ShortID(e.Commit)
		tbl.Row(e.Tag, status, k, commit, day(e.ReservedAt), day(e.ReleasedAt), cands)
	}
	return tbl.Render()
}
