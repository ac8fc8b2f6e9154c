package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// SyncOptions are the inputs of `kickoff sync`.
type SyncOptions struct {
	F      *Factory        // streams, environment, clock and the services built from them
	Ctx    context.Context // the command's context, set when it runs
	Name   string          // "" is the current branch's kickoff
	Check  bool
	NoPush bool
	JSON   bool
}

func newCmdSync(f *Factory, runF func(*SyncOptions) error) *cobra.Command {
	opts := &SyncOptions{F: f}
	cmd := &cobra.Command{
		Use:   "sync [NAME]",
		Short: "Merge the latest main into a kickoff (a merge commit; never a rewrite)",
		Long: `Merge the latest main (fetched first) into a kickoff: NAME, or the current branch's kickoff.
The merge is a merge commit, so a pushed kickoff is never rewritten; it is pushed after.
On conflicts sync stops in the work tree, on the kickoff (switching to it, your uncommitted
changes stashed, when another branch was checked out), names the conflicted files and says
what to do: resolve them and run ` + "`kickoff continue`" + ` (commits, pushes, switches back), or
` + "`kickoff abort`" + `. ` + "`kickoff undo`" + ` takes back a finished sync. --check only reports
(exit 1 when it would conflict).`,
		Example: "  kickoff sync\n  kickoff sync kickoff-240510-dashboard --check",
		Args:    maxArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if len(args) == 1 {
				opts.Name = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return syncRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Check, "check", false, "only report whether main merges cleanly; change nothing")
	cmd.Flags().BoolVar(&opts.NoPush, "no-push", false, "do not push the merge")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

// syncJSON is `kickoff sync --json`.
type syncJSON struct {
	Kickoff   string   `json:"kickoff"`
	Main      string   `json:"main"`
	Behind    int      `json:"behind"`  // main commits the kickoff lacked
	Outcome   string   `json:"outcome"` // up-to-date | merged | clean | conflicts
	Conflicts []string `json:"conflicts"`
	Commit    string   `json:"commit,omitempty"`
	Pushed    bool     `json:"pushed"`
}

func syncRun(opts *SyncOptions) error {
	f, ctx := opts.F, opts.Ctx
	env, _, err := lifecycleEnv(f)
	if err != nil {
		return err
	}
	if err := env.Connect(ctx); err != nil {
		return err
	}
	if !opts.Check {
		if resumed, err := resumeInterrupted(ctx, f, env, kickoff.CmdSync, opts.Name, opts.JSON); resumed || err != nil {
			return err
		}
	}
	k, err := env.ChooseKickoff(opts.Name)
	if err != nil {
		return err
	}
	res, err := env.Sync(ctx, k, kickoff.SyncOptions{Check: opts.Check, Push: !opts.NoPush})
	if err != nil {
		return err
	}
	if opts.JSON {
		out := syncJSON{Kickoff: res.Kickoff.String(), Main: res.Main, Behind: res.Behind, Outcome: res.Outcome, Conflicts: res.Conflicts, Pushed: res.Pushed}
		if out.Conflicts == nil {
			out.Conflicts = []string{}
		}
		if !res.Commit.IsZero() {
			out.Commit = res.Commit.String()
		}
		if err := f.IO.JSON(out); err != nil {
			return err
		}
	}
	name := res.Kickoff.String()
	switch res.Outcome {
	case kickoff.SyncUpToDate:
		if !opts.JSON {
			fmt.Fprintf(f.IO.Out, "%s is up to date with %s\n", name, res.Main)
		}
	case kickoff.SyncClean:
		if !opts.JSON {
			fmt.Fprintf(f.IO.Out, "%s: %d commit%s of %s would merge cleanly\n", name, res.Behind, plural(res.Behind), res.Main)
		}
	case kickoff.SyncMerged:
		if !opts.JSON {
			pushed := "not pushed"
			if res.Pushed {
				pushed = "pushed"
			}
			fmt.Fprintf(f.IO.Out, "%s: merged %d commit%s of %s (%s, %s)\n", name, res.Behind, plural(res.Behind), res.Main, kickoff.Short(res.Commit), pushed)
		}
	case kickoff.SyncConflicts:
		if !opts.Check {
			j, err := env.Journal()
			if err != nil {
				return err
			}
			printSyncStop(f, &kickoff.StoppedError{Branch: name, Main: res.Main, Conflicts: res.Conflicts}, j)
			return ErrSilent
		}
		f.IO.Eprintf("kickoff: %s would conflict with %s in:\n", name, res.Main)
		for _, c := range res.Conflicts {
			f.IO.Eprintf("  %s\n", f.IO.Red(c))
		}
		return ErrSilent
	}
	return nil
}
