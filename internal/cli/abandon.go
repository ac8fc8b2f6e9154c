package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	platver "github.com/kickoffhq/kickoff/internal/version"
)

// AbandonOptions are the inputs of `kickoff abandon`.
type AbandonOptions struct {
	F      *Factory        // streams, environment, clock and the services built from them
	Ctx    context.Context // the command's context, set when it runs
	Name   string
	Yes    bool
	DryRun bool
	JSON   bool
}

func newCmdAbandon(f *Factory, runF func(*AbandonOptions) error) *cobra.Command {
	opts := &AbandonOptions{F: f}
	cmd := &cobra.Command{
		Use:   "abandon KICKOFF",
		Short: "Drop a kickoff that will not ship: delete its branches, free its version, keep a record",
		Long: `Drop a live kickoff that will not ship. Unlike finish it deletes commits main does not
have, so it first keeps a record at refs/kickoff/abandoned/KICKOFF (pushed): who abandoned it,
when, every branch tip and every commit not in main, all kept reachable so any branch can be
put back. Then it deletes the kickoff and all its feature branches (merged or not) and
their membership records on the remote and here, and frees its platform version.

It asks first (on a terminal), or needs --yes; --dry-run shows the plan and what would be
dropped. A kickoff whose version is released shipped: finish it instead.`,
		Example: "  kickoff abandon kickoff-240510-dashboard --dry-run\n  kickoff abandon kickoff-240510-dashboard --yes",
		Args:    exactArgs(1, "the KICKOFF to abandon"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Name = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return abandonRun(opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "do it without asking")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the plan and what would be dropped, change nothing")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

// abandonJSON is `kickoff abandon --json`.
type abandonJSON struct {
	Kickoff string              `json:"kickoff"`
	Record  string              `json:"record"`
	Deleted []string            `json:"deleted"` // branch names ("origin/x" for a remote copy that differed)
	Tips    []abandonTipJSON    `json:"tips"`
	Dropped []abandonCommitJSON `json:"dropped"` // commits not in main, newest first
	Version string              `json:"version,omitempty"`
	Pushed  bool                `json:"pushed"`
	DryRun  bool                `json:"dry_run,omitempty"`
	Restore string              `json:"restore"` // how to put the kickoff's branch back
}

type abandonTipJSON struct {
	Branch  string `json:"branch"`
	Commit  string `json:"commit"`
	NotMain int    `json:"not_in_main"`
}

type abandonCommitJSON struct {
	Commit  string `json:"commit"`
	Subject string `json:"subject"`
}

func abandonRun(opts *AbandonOptions) error {
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
	store, err := versionStore(f)
	if err != nil {
		return err
	}
	book, err := store.Read(ctx)
	if err != nil {
		return err
	}
	o := kickoff.AbandonOptions{FeaturePrefix: kickoff.FeaturePrefix(cfg.Feature.Template), Now: f.Now()}
	if r, ok := book.Of(opts.Name); ok {
		if t, released := book.Released(r.Version); released {
			return fmt.Errorf("%s shipped as %s: finish it (`kickoff finish %s`); abandon is for kickoffs that will not ship; nothing was changed", opts.Name, t.Name, opts.Name)
		}
		o.Version = store.Scheme.Tag(r.Version)
		o.FreeVersion = func(ctx context.Context) error {
			_, err := store.Free(ctx, r.Version, platver.FreeOptions{Force: true})
			return err
		}
	}
	ap, err := env.PlanAbandon(ctx, opts.Name, o)
	if err != nil {
		return err
	}
	out := abandonOut(ap, o.Version, env.Remote)
	if opts.DryRun {
		out.DryRun = true
		if opts.JSON {
			return f.IO.JSON(out)
		}
		printLifecyclePlan(f, "kickoff abandon "+opts.Name, &ap.Plan, nil)
		printDropped(f, ap, f.IO.Out)
		return nil
	}
	if !opts.Yes {
		if err := confirmAbandon(f, ap); err != nil {
			return err
		}
	}
	if err := runPlan(ctx, f, &ap.Plan); err != nil {
		return err
	}
	if opts.JSON {
		return f.IO.JSON(out)
	}
	fmt.Fprintf(f.IO.Out, "%s abandoned: deleted %d branch%s, record kept at %s\n", opts.Name, len(out.Deleted), map[bool]string{true: "", false: "es"}[len(out.Deleted) == 1], ap.Record)
	f.IO.Eprintf("%d commit%s not in main dropped from the branches, kept by the record. To put the kickoff back:\n  %s\n", len(ap.Dropped), map[bool]string{true: "", false: "s"}[len(ap.Dropped) == 1], out.Restore)
	for _, b := range ap.Branches[1:] {
		if !b.Remote {
			f.IO.Eprintf("  git branch %s %s\n", b.Branch, b.Tip)
			if ap.Pushes {
				f.IO.Eprintf("  git push -u %s %s\n", env.Remote, b.Branch)
			}
		}
	}
	return nil
}

// abandonOut is the plan as --json reports it.
func abandonOut(ap *kickoff.AbandonPlan, version, remote string) abandonJSON {
	out := abandonJSON{
		Kickoff: ap.Kickoff.Name.String(), Record: string(ap.Record), Version: version, Pushed: ap.Pushes,
		Deleted: []string{}, Tips: []abandonTipJSON{}, Dropped: []abandonCommitJSON{},
	}
	for _, b := range ap.Branches {
		out.Deleted = append(out.Deleted, b.Name)
		out.Tips = append(out.Tips, abandonTipJSON{Branch: b.Name, Commit: b.Tip.String(), NotMain: b.NotMain})
	}
	for _, c := range ap.Dropped {
		out.Dropped = append(out.Dropped, abandonCommitJSON{Commit: c.Hash.String(), Subject: c.Subject})
	}
	k, tip := ap.Kickoff.Name.String(), ap.Branches[0].Tip.String()
	out.Restore = fmt.Sprintf("git branch %s %s", k, tip)
	if ap.Pushes {
		out.Restore += fmt.Sprintf(" && git push -u %s %s", remote, k)
	}
	return out
}

// printDropped lists the branch tips and the commits not in main that abandon drops.
func printDropped(f *Factory, ap *kickoff.AbandonPlan, w io.Writer) {
	fmt.Fprintf(w, "branches deleted (tips kept in %s):\n", ap.Record)
	for _, b := range ap.Branches {
		fmt.Fprintf(w, "  %s at %s (%d commit%s not in main)\n", b.Name, gitrepo.ShortID(b.Tip.String()), b.NotMain, map[bool]string{true: "", false: "s"}[b.NotMain == 1])
	}
	fmt.Fprintf(w, "commits not in main (%d):\n", len(ap.Dropped))
	for _, c := range ap.Dropped {
		fmt.Fprintf(w, "  %s %s\n", gitrepo.ShortID(c.Hash.String()), c.Subject)
	}
}

// confirmAbandon asks on a terminal; elsewhere --yes is required.
func confirmAbandon(f *Factory, ap *kickoff.AbandonPlan) error {
	name := ap.Kickoff.Name.String()
	if !f.IO.IsStdinTTY() {
		return FlagErrorf("abandon deletes %s's branches and %d commit%s main does not have (kept in its record): confirm with --yes (see them with --dry-run); nothing was changed",
			name, len(ap.Dropped), map[bool]string{true: "", false: "s"}[len(ap.Dropped) == 1])
	}
	printDropped(f, ap, f.IO.ErrOut)
	f.IO.Eprintf("Abandon %s? Its branches are deleted here and on the remote; the record keeps every commit. [y/N] ", name)
	line, _ := bufio.NewReader(f.IO.In).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	f.IO.Eprintf("Not abandoned; nothing was changed.\n")
	return ErrSilent
}
