package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gate"
	"github.com/kickoffhq/kickoff/internal/github"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/term"
)

// CheckRunName is the name of the GitHub check run `kickoff check` publishes.
const CheckRunName = "kickoff conflicts"

// commentMarker identifies the one pull-request comment kickoff keeps up to date.
const commentMarker = "<!-- kickoff:conflict-radar -->"

// CheckOptions are the inputs of `kickoff check`.
type CheckOptions struct {
	IO     *term.IO
	Repo   func() (*gitrepo.Repo, error)
	Config func() (*config.Config, error)
	Getenv func(string) string
	GitHub func(apiURL, token, repository string) (*github.Client, error)

	Ref    string
	PR     int
	Target string
	JSON   bool
	Fetch  bool
}

func newCmdCheck(f *Factory, runF func(context.Context, *CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{
		IO: f.IO, Repo: f.Repo, Config: f.Config, Getenv: f.Getenv,
		GitHub: func(apiURL, token, repository string) (*github.Client, error) {
			return github.New(f.HTTP, apiURL, token, repository)
		},
	}
	cmd := &cobra.Command{
		Use:   "check [REF]",
		Short: "CI gate: check a pull request's head against its target, main and every live kickoff",
		Long: `Merge the head (REF, the pull request's head, or HEAD) in memory with its target
branch, with main and with every other live kickoff.

A conflict with the target or main fails the check (exit 1); a conflict with another
kickoff is a warning unless conflicts.fail_on_kickoff is set in .kickoff.yaml.

In GitHub Actions (GITHUB_ACTIONS, GITHUB_EVENT_PATH, GITHUB_TOKEN, GITHUB_REPOSITORY)
it also publishes a check run with annotations on the conflicting lines, and keeps one
pull-request comment up to date. Anywhere else (Jenkins, a laptop) it prints the same
report and sets the exit status. The target is the pull request's base branch, else
--target, else the kickoff a feature branch belongs to, else main.`,
		Example: `  kickoff check                      # the current branch
  kickoff check feature/PROJ-7-login
  kickoff check --pr 42              # needs GITHUB_TOKEN and GITHUB_REPOSITORY outside Actions`,
		Args: maxArgs(1, "one REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Ref = args[0]
			}
			if opts.PR < 0 {
				return FlagErrorf("--pr must be a pull request number")
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return checkRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.PR, "pr", 0, "the pull request `number` to check (default: the Actions event's)")
	cmd.Flags().StringVar(&opts.Target, "target", "", "the branch the head merges into (default: the pull request's base)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON (schema in README.md)")
	cmd.Flags().BoolVar(&opts.Fetch, "fetch", false, "fetch from the remote first (offline: say so and check what is here)")
	return cmd
}

func checkRun(ctx context.Context, opts *CheckOptions) error {
	repo, err := opts.Repo()
	if err != nil {
		return err
	}
	cfg, err := opts.Config()
	if err != nil {
		return err
	}
	inActions := opts.Getenv("GITHUB_ACTIONS") == "true"
	token, repository := opts.Getenv("GITHUB_TOKEN"), opts.Getenv("GITHUB_REPOSITORY")
	apiURL := cfg.GitHub.APIURL
	if apiURL == "" {
		apiURL = opts.Getenv("GITHUB_API_URL")
	}

	// The pull request: the Actions event's (unless REF or another --pr is named), else
	// --pr's through the API.
	var pr *github.PullRequest
	if inActions && opts.Ref == "" {
		if p, err := github.EventPullRequest(opts.Getenv("GITHUB_EVENT_PATH")); err != nil {
			return err
		} else if p != nil && (opts.PR == 0 || opts.PR == p.Number) {
			pr = p
		}
	}
	if pr == nil && opts.PR > 0 {
		if token == "" || repository == "" {
			return fmt.Errorf("--pr %d: reading the pull request needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name); or name the head: kickoff check REF --target BRANCH", opts.PR)
		}
		gc, err := opts.GitHub(apiURL, token, repository)
		if err != nil {
			return err
		}
		p, err := gc.PullRequest(ctx, opts.PR)
		if err != nil {
			return err
		}
		pr = &p
	}
	req := gate.Request{Ref: opts.Ref, Target: opts.Target, FailOnKickoff: cfg.Conflicts.FailOnKickoff}
	if pr != nil {
		p := gate.PullRequest(*pr)
		req.PR = &p
	}

	if opts.Fetch {
		fetchFirst(ctx, opts.IO, repo, cfg, opts.Getenv)
	}
	e, err := openRadar(ctx, opts.IO, repo, cfg)
	if err != nil {
		return err
	}
	defer e.Close()
	env := &kickoff.Env{Repo: repo, Main: cfg.Main, Remote: cfg.Remote, Getenv: opts.Getenv}
	res, err := gate.Run(ctx, env, e, req)
	if err != nil {
		return err
	}

	if opts.JSON {
		if err := opts.IO.JSON(res); err != nil {
			return err
		}
	} else if err := printCheck(opts.IO, res); err != nil {
		return err
	}

	var publishErr error
	if inActions {
		publishErr = publish(ctx, opts, apiURL, token, repository, res, pr)
	}
	switch {
	case publishErr != nil:
		opts.IO.Printf("kickoff: the report above was not published to GitHub: %s\n", publishErr)
		return ErrSilent
	case !res.Passed:
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

// printCheck prints one line per ref checked against, the details, and the verdict.
func printCheck(io *term.IO, res *gate.Result) error {
	fmt.Fprintf(io.Out, "%s %s (%s) against its target %s, main and %d other live kickoff(s)\n",
		io.Bold("check"), res.Head, shortID(res.HeadCommit), res.Target, res.Count(gate.RoleKickoff))
	if res.HeadLocal {
		io.Printf("kickoff: %s is checked at its local tip, which has commits not pushed to the remote\n", res.Head)
	}
	t := io.NewTable("role", "ref", "verdict", "")
	for _, p := range res.Pairs {
		mark := ""
		switch {
		case !p.Clean && p.Blocking:
			mark = io.Red("FAIL")
		case !p.Clean:
			mark = io.Yellow("warning")
		}
		if p.Local { // unpushed work: said in the same column, so the table keeps its shape
			mark = strings.TrimSpace(mark + " " + localMark(io, true))
		}
		t.Row(p.Role, p.B, p.Summary(), mark)
	}
	if err := t.Render(); err != nil {
		return err
	}
	for _, p := range res.Pairs {
		if p.Clean && len(p.Overlaps) == 0 {
			continue
		}
		fmt.Fprintf(io.Out, "\n%s %s %s: %s\n", io.Bold(p.A), io.Dim("x"), io.Bold(p.B), p.Summary())
		printPairDetails(io, p.Pair)
	}
	fail, warn := res.Failing()
	switch {
	case len(fail) > 0:
		fmt.Fprintf(io.Out, "\n%s: conflicts with %s\n", io.Red("failed"), gate.Names(fail))
	case len(warn) > 0:
		fmt.Fprintf(io.Out, "\n%s, with warnings: conflicts with %s (set conflicts.fail_on_kickoff to fail on these)\n", io.Green("passed"), gate.Names(warn))
	default:
		fmt.Fprintf(io.Out, "\n%s\n", io.Green("passed"))
	}
	return nil
}

// publish sends the gate's verdict as a check run on the head and, on a pull request,
// as the comment kickoff keeps up to date.
func publish(ctx context.Context, opts *CheckOptions, apiURL, token, repository string, res *gate.Result, pr *github.PullRequest) error {
	gc, err := opts.GitHub(apiURL, token, repository)
	if err != nil {
		return err
	}
	conclusion, title := res.Conclusion()
	summary := res.Markdown()
	var annotations []github.Annotation
	for _, f := range res.Findings() {
		annotations = append(annotations, github.Annotation{Path: f.Path, StartLine: f.Start, EndLine: f.End, Level: f.Level, Title: f.Title, Message: f.Message})
	}
	var errs []error
	url, err := gc.PublishCheckRun(ctx, github.CheckRun{
		Name: CheckRunName, HeadSHA: res.HeadCommit, Conclusion: conclusion, Title: title,
		Summary: summary, Annotations: annotations,
	})
	if err != nil {
		errs = append(errs, err)
	} else {
		opts.IO.Printf("published check run %s\n", url)
	}
	if pr != nil {
		url, err := gc.UpsertComment(ctx, pr.Number, commentMarker, commentMarker+"\n"+summary)
		if err != nil {
			errs = append(errs, err)
		} else {
			opts.IO.Printf("updated the pull-request comment %s\n", url)
		}
	}
	return errors.Join(errs...)
}
