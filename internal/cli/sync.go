package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/platform"
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
	// Repos is each repository's sync in a platform of several (repos:); the fields above
	// are then this repository's (else the first's), outcome the worst of all.
	Repos []syncRepoJSON `json:"repos,omitempty"`
}

// syncRepoJSON is the sync of one repository of the platform.
type syncRepoJSON struct {
	Repo      string   `json:"repo"`
	Outcome   string   `json:"outcome"` // up-to-date | merged | clean | conflicts | missing | failed
	Behind    int      `json:"behind"`
	Conflicts []string `json:"conflicts"`
	Commit    string   `json:"commit,omitempty"`
	Pushed    bool     `json:"pushed"`
	Error     string   `json:"error,omitempty"`
}

func syncRun(opts *SyncOptions) error {
	f, ctx := opts.F, opts.Ctx
	env, cfg, err := lifecycleEnv(f)
	if err != nil {
		return err
	}
	plat, err := platformOf(f, env, cfg)
	if err != nil {
		return err
	}
	if !plat.Single() {
		return syncAcross(opts, plat, env)
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

// syncAcross is `kickoff sync` in every repository of the platform that has the kickoff:
// one outcome per repository; a conflict or failure in one does not stop the others, and
// makes the command exit 1 naming each.
func syncAcross(opts *SyncOptions, plat *platform.Platform, env *kickoff.Env) error {
	f, ctx := opts.F, opts.Ctx
	ms := plat.Members(plat.Repos, env)
	if err := platform.Connect(ctx, ms); err != nil {
		return err
	}
	name := opts.Name
	if name == "" {
		k, err := env.ChooseKickoff("")
		if err != nil {
			return err
		}
		name = k.Name.String()
	} else if _, err := kickoff.ParseName(name); err != nil {
		return FlagErrorf("%v", err)
	}
	if !opts.Check {
		if j, err := env.CheckPending(kickoff.CmdSync, name); err != nil {
			return err
		} else if j != nil {
			return fmt.Errorf("%s was interrupted in this repository: finish it with `kickoff continue` (or `kickoff abort`), then sync again", j.Title())
		}
	}
	outs := platform.Sync(ctx, ms, name, kickoff.SyncOptions{Check: opts.Check, Push: !opts.NoPush})
	if !slices.ContainsFunc(outs, func(o platform.SyncOutcome) bool { return !o.Missing }) {
		return fmt.Errorf("%w: %s is in none of the platform's repositories (%s); see `kickoff list`", kickoff.ErrUnknown, name, strings.Join(plat.Names(), ", "))
	}
	res := syncJSON{Kickoff: name, Conflicts: []string{}}
	var failed []string
	var stopped *platform.SyncOutcome
	rank := map[string]int{kickoff.SyncUpToDate: 0, "missing": 0, kickoff.SyncClean: 1, kickoff.SyncMerged: 2, kickoff.SyncConflicts: 3, "failed": 4}
	for i, o := range outs {
		r := syncRepoJSON{Repo: o.Name, Conflicts: []string{}}
		switch {
		case o.Missing:
			r.Outcome = "missing"
		case o.Err != nil:
			r.Outcome, r.Error = "failed", o.Err.Error()
			failed = append(failed, o.Name)
		default:
			r.Outcome, r.Behind, r.Pushed = o.Result.Outcome, o.Result.Behind, o.Result.Pushed
			r.Conflicts = orEmpty(o.Result.Conflicts)
			if !o.Result.Commit.IsZero() {
				r.Commit = o.Result.Commit.String()
			}
			if o.Result.Outcome == kickoff.SyncConflicts {
				failed = append(failed, o.Name)
				if o.Current && !opts.Check {
					stopped = &outs[i]
				}
			}
			if res.Main == "" || o.Current {
				res.Main, res.Behind, res.Conflicts, res.Commit, res.Pushed = o.Result.Main, r.Behind, r.Conflicts, r.Commit, r.Pushed
			}
		}
		if res.Outcome == "" || rank[r.Outcome] > rank[res.Outcome] {
			res.Outcome = r.Outcome
		}
		res.Repos = append(res.Repos, r)
	}
	if res.Outcome == "missing" || res.Outcome == "failed" {
		res.Outcome = kickoff.SyncConflicts // the schema's word for "not synced"
		if len(failed) == 0 {
			res.Outcome = kickoff.SyncUpToDate
		}
	}
	if opts.JSON {
		if err := f.IO.JSON(res); err != nil {
			return err
		}
	}
	for _, r := range res.Repos {
		var line string
		switch r.Outcome {
		case "missing":
			line = "the kickoff is not in this repository"
		case "failed":
			f.IO.Eprintf("kickoff: %s\n", r.Error)
			continue
		case kickoff.SyncUpToDate:
			line = "up to date"
		case kickoff.SyncClean:
			line = fmt.Sprintf("%d commit%s would merge cleanly", r.Behind, plural(r.Behind))
		case kickoff.SyncMerged:
			pushed := "not pushed"
			if r.Pushed {
				pushed = "pushed"
			}
			line = fmt.Sprintf("merged %d commit%s (%s, %s)", r.Behind, plural(r.Behind), r.Commit[:12], pushed)
		case kickoff.SyncConflicts:
			f.IO.Eprintf("kickoff: %s: %s conflicts with main in %s\n", r.Repo, name, strings.Join(r.Conflicts, ", "))
			continue
		}
		if !opts.JSON {
			fmt.Fprintf(f.IO.Out, "%s: %s: %s\n", r.Repo, name, line)
		}
	}
	if stopped != nil {
		j, err := stopped.Env.Journal()
		if err != nil {
			return err
		}
		printSyncStop(f, &kickoff.StoppedError{Branch: name, Main: stopped.Result.Main, Conflicts: stopped.Result.Conflicts}, j)
	}
	if len(failed) > 0 {
		f.IO.Eprintf("kickoff: %s was not synced in %s: resolve there (in a clone of each: `kickoff sync %s`), then sync again\n",
			name, strings.Join(failed, ", "), name)
		return ErrSilent
	}
	return nil
}
