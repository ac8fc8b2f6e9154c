package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/platform"
)

// NewOptions are the inputs of `kickoff new`.
type NewOptions struct {
	F       *Factory        // streams, environment, clock and the services built from them
	Ctx     context.Context // the command's context, set when it runs
	Summary string
	Slug    string // the name's summary part as given, instead of SUMMARY's slug
	Date    string
	From    string
	NoPush  bool
	DryRun  bool
	JSON    bool
	Repos   []string // --repos: the platform's repositories to make it in (all for none)
}

func newCmdNew(f *Factory, runF func(*NewOptions) error) *cobra.Command {
	opts := &NewOptions{F: f}
	cmd := &cobra.Command{
		Use:   "new SUMMARY | --slug SLUG",
		Short: "Cut a kickoff branch kickoff-YYMMDD-summary from main",
		Long: `Cut a kickoff branch kickoff-<YYMMDD>-<summary> from the remote's main (fetched first;
the local main when there is no remote), push it with its upstream set, and switch to it
when the work tree is clean. SUMMARY becomes a slug: "Admin Dashboard" -> admin-dashboard;
words in other scripts are spelled in Latin letters ("결제 개선" -> gyeolje-gaeseon), and
kickoff says so. --slug gives the slug as is instead.`,
		Example: "  kickoff new \"admin dashboard\"\n  kickoff new \"결제 개선\" --slug payments\n  kickoff new billing --date 240510 --no-push",
		Args:    maxArgs(1, "quote a SUMMARY of several words"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if len(args) == 1 {
				opts.Summary = args[0]
			} else if opts.Slug == "" {
				return FlagErrorf("%s takes one argument: SUMMARY, or --slug SLUG (got neither); quote a SUMMARY of several words", cmd.CommandPath())
			}
			if runF != nil {
				return runF(opts)
			}
			return newRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Slug, "slug", "", "the name's summary part as is (lowercase letters, digits, dashes), instead of SUMMARY's")
	cmd.Flags().StringVar(&opts.Date, "date", "", "kickoff date as YYMMDD (default: today in the configured time zone)")
	cmd.Flags().StringVar(&opts.From, "from", "", "start from this ref instead of main")
	cmd.Flags().BoolVar(&opts.NoPush, "no-push", false, "create the branch locally only")
	cmd.Flags().StringSliceVar(&opts.Repos, "repos", nil, "only in these repositories of the platform (repos: in .kickoff.yaml), e.g. fe,spring")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the plan and change nothing")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

// newResult is the --json output of `kickoff new` (docs/schema/new.json); with --dry-run
// it says what would be done.
type newResult struct {
	Name       string     `json:"name"`
	Date       string     `json:"date"` // YYYY-MM-DD
	Summary    string     `json:"summary"`
	Base       string     `json:"base"`
	Commit     string     `json:"commit"`
	Pushed     bool       `json:"pushed"`
	SwitchedTo bool       `json:"switched_to"`
	DryRun     bool       `json:"dry_run"`
	Steps      []planStep `json:"steps"`
	Notes      []string   `json:"notes"`
	// Repos is each repository's part, in a platform of several (repos:).
	Repos []repoResult `json:"repos,omitempty"`
}

func newRun(opts *NewOptions) error {
	f, ctx := opts.F, opts.Ctx
	env, cfg, err := lifecycleEnv(f)
	if err != nil {
		return err
	}
	loc, err := cfg.Location()
	if err != nil {
		return err
	}
	day := f.Now().In(loc)
	if opts.Date != "" {
		if day, err = kickoff.ParseDate(opts.Date); err != nil {
			return FlagErrorf("--date: %v", err)
		}
	}
	if opts.Slug != "" {
		if err := kickoff.CheckSlug(opts.Slug, kickoff.MaxSummary); err != nil {
			return FlagErrorf("%v", err)
		}
	} else if _, err := kickoff.Slug(opts.Summary); err != nil {
		return FlagErrorf("%v", err)
	}
	no := kickoff.NewOptions{Summary: opts.Summary, Slug: opts.Slug, Day: day, From: opts.From, Push: !opts.NoPush}
	plat, err := platformOf(f, env, cfg)
	if err != nil {
		return err
	}
	if !plat.Single() || len(opts.Repos) > 0 {
		return newAcross(opts, plat, env, no)
	}
	if !opts.NoPush || opts.From == "" {
		if err := env.Connect(ctx); err != nil {
			return err
		}
	}
	if name, err := no.Name(); err == nil && !opts.DryRun {
		if resumed, err := resumeInterrupted(ctx, f, env, kickoff.CmdNew, name.String(), opts.JSON); resumed || err != nil {
			return err
		}
	}
	np, err := env.PlanNew(ctx, no)
	if err != nil {
		return err
	}
	res := newResult{
		Name: np.Name.String(), Date: np.Name.Date.Format(time.DateOnly), Summary: np.Name.Summary,
		Base: np.Base, Commit: np.BaseHash.String(), Pushed: np.Pushed, SwitchedTo: np.Checkout,
		DryRun: opts.DryRun, Steps: planSteps(&np.Plan), Notes: orEmpty(np.Notes),
	}
	if opts.DryRun && opts.JSON {
		return f.IO.JSON(res)
	}
	if opts.DryRun {
		printLifecyclePlan(f, "kickoff new "+np.Name.String(), &np.Plan, append(np.Naming, np.Notes...))
		return nil
	}
	printNotes(f, np.Naming)
	if err := startPlan(ctx, f, env, kickoff.CmdNew, np.Name.String(), &np.Plan); err != nil {
		return err
	}
	printNotes(f, np.Notes)
	if opts.JSON {
		return f.IO.JSON(res)
	}
	_, err = fmt.Fprintln(f.IO.Out, np.Name)
	return err
}

// newAcross is `kickoff new` in the platform's repositories: planned in every one before
// anything is made (a name taken in one of them refuses it), then made all or nothing (a
// failure in one undoes the branches made in the others, here and on their remotes).
func newAcross(opts *NewOptions, plat *platform.Platform, env *kickoff.Env, no kickoff.NewOptions) error {
	f, ctx := opts.F, opts.Ctx
	ms, err := platformMembers(plat, env, opts.Repos)
	if err != nil {
		return err
	}
	if err := platform.Connect(ctx, ms); err != nil {
		return err
	}
	np, err := platform.PlanNew(ctx, ms, no)
	if err != nil {
		return err
	}
	res := newResult{Name: np.Name.String(), Date: np.Name.Date.Format(time.DateOnly), Summary: np.Name.Summary,
		DryRun: opts.DryRun, Steps: planSteps(&np.Plan), Notes: []string{}}
	for i, rp := range np.Repos {
		r := repoResult{Repo: rp.Repo, Via: string(ms[i].Via), Base: rp.Base, Commit: rp.BaseHash.String(),
			Pushed: rp.Pushed, SwitchedTo: rp.Checkout, Notes: orEmpty(rp.Notes)}
		res.Repos = append(res.Repos, r)
		if i == 0 || ms[i].Current {
			res.Base, res.Commit, res.Pushed, res.SwitchedTo = r.Base, r.Commit, r.Pushed, r.SwitchedTo
		}
		for _, n := range rp.Notes {
			res.Notes = append(res.Notes, rp.Repo+": "+n)
		}
	}
	naming := np.Repos[0].Naming
	if opts.DryRun && opts.JSON {
		return f.IO.JSON(res)
	}
	if opts.DryRun {
		printLifecyclePlan(f, "kickoff new "+np.Name.String(), &np.Plan, append(naming, res.Notes...))
		return nil
	}
	printNotes(f, naming)
	if err := runPlan(ctx, f, &np.Plan); err != nil {
		return err
	}
	printNotes(f, res.Notes)
	if opts.JSON {
		return f.IO.JSON(res)
	}
	_, err = fmt.Fprintln(f.IO.Out, np.Name)
	return err
}
