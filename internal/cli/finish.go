package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	platver "github.com/kickoffhq/kickoff/internal/version"
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
		Args:    exactArgs(1, "the kickoff NAME"),
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

// finishJSON is `kickoff finish --json` (docs/schema/finish.json); with --dry-run it says
// what would be done.
type finishJSON struct {
	Kickoff    string     `json:"kickoff"`
	Head       string     `json:"head"`
	MainCommit string     `json:"main_commit"`
	Merged     bool       `json:"merged"` // finish made the merge into main
	Deleted    []string   `json:"deleted"`
	Record     string     `json:"record"`
	Version    string     `json:"version"` // the platform version, X.Y.Z
	Tag        string     `json:"tag"`     // its final tag, platform/vX.Y.Z
	DryRun     bool       `json:"dry_run"`
	Steps      []planStep `json:"steps"`
	Notes      []string   `json:"notes"`
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
	var tagged platver.Tagged
	tagRemote := ""
	if env.Repo.HasRemote(cfg.Remote) {
		tagRemote = cfg.Remote
	}
	fp, err := env.PlanFinish(ctx, opts.Name, kickoff.FinishOptions{
		Merge: opts.Merge, FeaturePrefix: kickoff.FeaturePrefix(cfg.Feature.Template),
		Hooks: []kickoff.FinishHook{finishTagStep(f, tagRemote, &tagged)}, Now: f.Now(),
	})
	if err != nil {
		return err
	}
	if opts.DryRun && opts.JSON {
		// Which tag it would be: the kickoff's version, or the one it would be assigned.
		if tagged, err = finishTagPreview(ctx, f, opts.Name); err != nil {
			f.IO.Eprintf("kickoff: the final tag is not known yet: %v\n", err)
		}
	}
	res := finishJSON{
		Kickoff: opts.Name, Head: fp.Head.String(), MainCommit: fp.MainCommit.String(), Merged: fp.Merges,
		Deleted: []string{opts.Name}, Record: kickoff.FinishedRefPrefix + opts.Name,
		DryRun: opts.DryRun, Steps: planSteps(&fp.Plan), Notes: orEmpty(fp.Notes),
	}
	for _, ft := range fp.Features {
		res.Deleted = append(res.Deleted, ft.Branch)
	}
	if opts.DryRun && opts.JSON {
		return f.IO.JSON(res.withTag(tagged))
	}
	if opts.DryRun {
		printLifecyclePlan(f, "kickoff finish "+opts.Name, &fp.Plan, fp.Notes)
		return nil
	}
	if err := runPlan(ctx, f, &fp.Plan); err != nil {
		return err
	}
	deleted := res.Deleted
	if opts.JSON {
		return f.IO.JSON(res.withTag(tagged))
	}
	_, err = fmt.Fprintf(f.IO.Out, "%s finished: deleted %d branch%s, record kept at %s\n", opts.Name, len(deleted), map[bool]string{true: "", false: "es"}[len(deleted) == 1], kickoff.FinishedRefPrefix+opts.Name)
	return err
}

// finishTagStep puts the final platform tag on the main commit that shipped the kickoff
// and pushes it (version.Store.TagShipped); its note goes into the finished record, and
// the tag into *tagged.
func finishTagStep(f *Factory, remote string, tagged *platver.Tagged) kickoff.FinishHook {
	return kickoff.FinishHook{
		Desc: "put the final platform tag on the main commit that shipped, and push it",
		Kind: kickoff.StepTag, Remote: remote,
		Run: func(ctx context.Context, info kickoff.FinishInfo) (string, error) {
			store, err := versionStore(f)
			if err != nil {
				return "", err
			}
			t, err := store.TagShipped(ctx, info.Kickoff.String(), info.MainCommit.String())
			if err != nil {
				return "", err
			}
			*tagged = t
			if t.Created {
				f.IO.Eprintf("Tagged %s as %s and pushed it.\n", gitrepo.ShortID(t.Commit), t.Tag)
			}
			return "version: " + t.Tag, nil
		},
	}
}

// finishTagPreview is the final tag a finish would put: the kickoff's platform version, or
// the one it would be assigned (nothing is reserved).
func finishTagPreview(ctx context.Context, f *Factory, name string) (platver.Tagged, error) {
	store, err := versionStore(f)
	if err != nil {
		return platver.Tagged{}, err
	}
	store.AfterAssign = nil
	a, err := store.Assign(ctx, name, platver.AssignOptions{DryRun: true})
	if err != nil {
		return platver.Tagged{}, err
	}
	return platver.Tagged{Kickoff: name, Version: a.Version, Tag: a.Tag}, nil
}

// withTag fills in the final tag, once known: the version, the tag and the tag step's ref.
func (r finishJSON) withTag(t platver.Tagged) finishJSON {
	if t.Tag == "" {
		return r
	}
	r.Version, r.Tag = t.Version.String(), t.Tag
	for i, s := range r.Steps {
		if s.Kind == string(kickoff.StepTag) {
			r.Steps[i].Refs = []string{"refs/tags/" + t.Tag}
		}
	}
	return r
}
