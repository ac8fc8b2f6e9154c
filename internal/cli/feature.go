package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/platform"
)

// FeatureOptions are the inputs of `kickoff feature`.
type FeatureOptions struct {
	F       *Factory        // streams, environment, clock and the services built from them
	Ctx     context.Context // the command's context, set when it runs
	Key     string
	Kickoff string
	Slug    string // the {{summary-slug}} as given, instead of the Jira summary's
	NoPush  bool
	DryRun  bool
	JSON    bool
	Repo    string // --repo: the platform's repository to cut it in ("": this one)
}

func newCmdFeature(f *Factory, runF func(*FeatureOptions) error) *cobra.Command {
	opts := &FeatureOptions{F: f}
	cmd := &cobra.Command{
		Use:   "feature KEY",
		Short: "Cut a feature branch for a Jira issue from a kickoff branch",
		Long: `Cut a feature branch for the Jira issue KEY from a kickoff branch: the kickoff named by
--kickoff, else the one the current branch belongs to. The name comes from feature.template
(default feature/{{key}}-{{summary-slug}}). With Jira configured the summary comes from the
issue, unknown keys are refused, and the issue is moved to jira.transition ("In Progress").
Without Jira the key's form is still checked and the branch is feature/KEY. A summary in
another script is spelled in Latin letters (결제 개선 -> gyeolje-gaeseon), and kickoff says
so; --slug gives the {{summary-slug}} as is instead.`,
		Example: "  kickoff feature PROJ-123\n  kickoff feature PROJ-124 --kickoff kickoff-240510-dashboard\n  kickoff feature PROJ-125 --slug refund-api",
		Args:    exactArgs(1, "KEY is a Jira issue key such as PROJ-123"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Key = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return featureRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Kickoff, "kickoff", "", "the kickoff branch to cut from (default: the current branch's kickoff)")
	cmd.Flags().StringVar(&opts.Slug, "slug", "", "the name's {{summary-slug}} as is (lowercase letters, digits, dashes), instead of the Jira summary's")
	cmd.Flags().BoolVar(&opts.NoPush, "no-push", false, "create the branch locally only")
	cmd.Flags().StringVar(&opts.Repo, "repo", "", "cut it in this repository of the platform (repos: in .kickoff.yaml) instead of this one")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the plan and change nothing")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

// featureResult is the --json output of `kickoff feature` (docs/schema/feature.json);
// with --dry-run it says what would be done.
type featureResult struct {
	Branch       string     `json:"branch"`
	Kickoff      string     `json:"kickoff"`
	Key          string     `json:"key"`
	Summary      string     `json:"summary,omitempty"`
	Type         string     `json:"type,omitempty"`
	IssueURL     string     `json:"issue_url,omitempty"`
	Commit       string     `json:"commit"`
	Pushed       bool       `json:"pushed"`
	SwitchedTo   bool       `json:"switched_to"`
	Transitioned string     `json:"transitioned,omitempty"` // the Jira status it was moved to
	DryRun       bool       `json:"dry_run"`
	Steps        []planStep `json:"steps"`
	Notes        []string   `json:"notes"`
	Repo         string     `json:"repo,omitempty"` // --repo: the platform's repository it was cut in
}

func featureRun(opts *FeatureOptions) error {
	f, ctx := opts.F, opts.Ctx
	if err := kickoff.ValidKey(opts.Key); err != nil {
		return FlagErrorf("%v", err)
	}
	env, cfg, err := lifecycleEnv(f)
	if err != nil {
		return err
	}
	if opts.Slug != "" {
		if err := kickoff.CheckSlug(opts.Slug, kickoff.MaxFeatureSlug); err != nil {
			return FlagErrorf("%v", err)
		}
		if !kickoff.HasSlug(cfg.Feature.Template) {
			return FlagErrorf("--slug: feature.template %q has no {{summary-slug}} for it to fill", cfg.Feature.Template)
		}
	}
	var jc *jira.Client
	var issue jira.Issue
	if cfg.Jira.Enabled() {
		if jc, err = jira.New(cfg.Jira, f.Getenv, f.HTTP); err != nil {
			return err
		}
		if issue, err = jc.Issue(ctx, opts.Key); err != nil {
			if errors.Is(err, jira.ErrNotFound) {
				return fmt.Errorf("unknown Jira issue %s: %w", opts.Key, err)
			}
			return err
		}
	}
	if err := env.Connect(ctx); err != nil {
		return err
	}
	here := env
	if opts.Repo != "" {
		if env, err = featureRepo(ctx, f, env, cfg, opts.Repo); err != nil {
			return err
		}
	}
	named := opts.Kickoff
	if named == "" && env != here {
		// The kickoff of the branch checked out here, looked up in the other repository.
		kh, err := here.ChooseKickoff("")
		if err != nil {
			return err
		}
		named = kh.Name.String()
	}
	k, err := env.ChooseKickoff(named)
	var nk *kickoff.NoKickoffError
	if errors.As(err, &nk) && len(nk.Live) > 0 && f.IO.IsStdinTTY() && f.IO.IsStderrTTY() {
		k, err = pickKickoff(f, nk.Live)
	}
	if err != nil {
		if env != here {
			return fmt.Errorf("repository %s: %w", opts.Repo, err)
		}
		return err
	}
	fo := kickoff.FeatureOptions{Key: opts.Key, Summary: issue.Summary, Slug: opts.Slug, Template: cfg.Feature.Template, Push: !opts.NoPush}
	if branch, err := fo.Branch(k.Name); err == nil && !opts.DryRun && env == here {
		if resumed, err := resumeInterrupted(ctx, f, env, kickoff.CmdFeature, branch, opts.JSON); resumed || err != nil {
			return err
		}
	}
	fp, err := env.PlanFeature(ctx, k, fo)
	if err != nil {
		if env != here {
			return fmt.Errorf("repository %s: %w", opts.Repo, err)
		}
		return err
	}
	moveTo := ""
	if jc != nil && cfg.Jira.Transition != "" {
		moveTo = cfg.Jira.Transition
		fp.Plan.AddStep(kickoff.Step{Desc: fmt.Sprintf("move %s to %q in Jira", opts.Key, moveTo), Kind: kickoff.StepJira})
	}
	res := featureResult{
		Branch: fp.Branch, Kickoff: fp.Kickoff.String(), Key: opts.Key,
		Summary: issue.Summary, Type: issue.Type, IssueURL: issue.URL,
		Commit: fp.Base.String(), Pushed: fp.Pushed, SwitchedTo: fp.Checkout,
		DryRun: opts.DryRun, Steps: planSteps(&fp.Plan), Notes: orEmpty(fp.Notes), Repo: opts.Repo,
	}
	if opts.DryRun && opts.JSON {
		return f.IO.JSON(res)
	}
	if opts.DryRun {
		printLifecyclePlan(f, "kickoff feature "+fp.Branch, &fp.Plan, append(fp.Naming, fp.Notes...))
		return nil
	}
	printNotes(f, fp.Naming)
	if env != here {
		// Another repository's branch: made all or nothing, not journaled here.
		err = runPlan(ctx, f, &fp.Plan)
	} else {
		err = startPlan(ctx, f, env, kickoff.CmdFeature, fp.Branch, &fp.Plan)
	}
	if err != nil {
		return err
	}
	printNotes(f, fp.Notes)
	if moveTo != "" {
		// The branch is made; a Jira refusal here is reported, not undone.
		if err := jc.Transition(ctx, opts.Key, moveTo); err != nil {
			f.IO.Eprintf("kickoff: %s was created, but the Jira issue was not moved: %v\n", fp.Branch, err)
		} else {
			res.Transitioned = moveTo
			f.IO.Eprintf("  moved %s to %q in Jira\n", opts.Key, moveTo)
		}
	}
	if opts.JSON {
		return f.IO.JSON(res)
	}
	_, err = fmt.Fprintln(f.IO.Out, fp.Branch)
	return err
}

// pickKickoff asks on the terminal which live kickoff to use.
func pickKickoff(f *Factory, live []kickoff.Kickoff) (kickoff.Kickoff, error) {
	names := make([]string, len(live))
	for i, k := range live {
		names[i] = k.Name.String()
	}
	n, err := pickOne(f, "The current branch belongs to no kickoff. Cut the feature from which one?", names)
	if err != nil {
		var usage *FlagError
		if !errors.As(err, &usage) {
			return kickoff.Kickoff{}, fmt.Errorf("no kickoff chosen: pass --kickoff NAME")
		}
		return kickoff.Kickoff{}, err
	}
	return live[n], nil
}

// featureRepo is the environment of the platform's repository --repo names, fetched: this
// repository's own when it is this one.
func featureRepo(ctx context.Context, f *Factory, env *kickoff.Env, cfg *config.Config, name string) (*kickoff.Env, error) {
	plat, err := platformOf(f, env, cfg)
	if err != nil {
		return nil, err
	}
	r, err := plat.Find(name)
	if err != nil {
		return nil, FlagErrorf("--repo: %v", err)
	}
	if r.Current {
		return env, nil
	}
	ms := plat.Members([]*platform.Repository{r}, env)
	if err := platform.Connect(ctx, ms); err != nil {
		return nil, err
	}
	return ms[0].Env, nil
}
