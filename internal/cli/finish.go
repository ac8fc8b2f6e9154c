package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// FinishOptions are the inputs of `kickoff finish`.
type FinishOptions struct {
	F      *Factory        // streams, environment, clock and the services built from them
	Ctx    context.Context // the command's context, set when it runs
	Name   string
	Merge  bool
	DryRun bool
	JSON   bool
}

func newCmdFinish(f *Factory, runF func(*FinishOptions) error) *cobra.Command {
	opts := &FinishOptions{F: f}
	cmd := &cobra.Command{
		Use:   "finish NAME",
		Short: "Retire a shipped kickoff: delete it and its merged feature branches, keep a record",
		Long: `After a kickoff shipped: check it is contained in main (or merge it with --merge when the
merge is clean), then delete the kickoff and its feature branches locally and on the remote,
keeping a record under refs/kickoff/finished/ so ` + "`kickoff list --all`" + ` still shows it.
It refuses, and deletes nothing, while any of those branches has commits not in main.`,
		Example: "  kickoff finish kickoff-240510-dashboard\n  kickoff finish kickoff-240510-dashboard --merge --dry-run",
		Args:    exactArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Name = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return finishRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Merge, "merge", false, "merge the kickoff into main first when it merges cleanly")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the plan and change nothing")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

// finishJSON is `kickoff finish --json`.
type finishJSON struct {
	Kickoff    string   `json:"kickoff"`
	Head       string   `json:"head"`
	MainCommit string   `json:"main_commit"`
	Merged     bool     `json:"merged"` // finish made the merge into main
	Deleted    []string `json:"deleted"`
	Record     string   `json:"record"`
}

func finishRun(opts *FinishOptions) error {
	f, ctx := opts.F, opts.Ctx
	if _, err := kickoff.ParseName(opts.Name); err != nil {
		return FlagErrorf("%v", err)
	}
	env, cfg, err := lifecycleEnv(f)
	if err != nil {
		return err
	}
	if err := env.Connect(ctx); err != nil {
		return err
	}
	// The final platform tag goes on once the kickoff is known to be in main and before any
	// branch is deleted; when it fails, finish undoes what it did and deletes nothing.
	hooks := []kickoff.FinishHook{finishTagStep(f)}
	fp, err := env.PlanFinish(ctx, opts.Name, kickoff.FinishOptions{
		Merge: opts.Merge, FeaturePrefix: kickoff.FeaturePrefix(cfg.Feature.Template), Hooks: hooks, Now: f.Now(),
	})
	if err != nil {
		return err
	}
	if opts.DryRun {
		printLifecyclePlan(f, "kickoff finish "+opts.Name, &fp.Plan, fp.Notes)
		return nil
	}
	if err := runPlan(ctx, f, &fp.Plan); err != nil {
		return err
	}
	deleted := []string{opts.Name}
	for _, ft := range fp.Features {
		deleted = append(deleted, ft.Branch)
	}
	if opts.JSON {
		return f.IO.JSON(finishJSON{
			Kickoff: opts.Name, Head: fp.Head.String(), MainCommit: fp.MainCommit.String(), Merged: fp.Merges,
			Deleted: deleted, Record: kickoff.FinishedRefPrefix + opts.Name,
		})
	}
	_, err = fmt.Fprintf(f.IO.Out, "%s finished: deleted %d branch%s, record kept at %s\n", opts.Name, len(deleted), map[bool]string{true: "", false: "es"}[len(deleted) == 1], kickoff.FinishedRefPrefix+opts.Name)
	return err
}

// finishTagStep puts the final platform tag on the main commit that shipped the kickoff
// and pushes it (version.Store.TagShipped); its note goes into the finished record.
func finishTagStep(f *Factory) kickoff.FinishHook {
	return kickoff.FinishHook{
		Desc: "put the final platform tag on the main commit that shipped, and push it",
		Run: func(ctx context.Context, info kickoff.FinishInfo) (string, error) {
			store, err := versionStore(f)
			if err != nil {
				return "", err
			}
			t, err := store.TagShipped(ctx, info.Kickoff.String(), info.MainCommit.String())
			if err != nil {
				return "", err
			}
			if t.Created {
				f.IO.Eprintf("Tagged %s as %s and pushed it.\n", gitrepo.ShortID(t.Commit), t.Tag)
			}
			return "version: " + t.Tag, nil
		},
	}
}
