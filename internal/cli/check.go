package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
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

// CheckOptions are the inputs of `kickoff check`.
type CheckOptions struct {
	F       *Factory        // streams, environment, clock and the services built from them
	Ctx     context.Context // the command's context, set when it runs
	Ref     string
	PR      int
	Target  string
	JSON    bool
	Publish bool // publish outside Actions (Jenkins with a token credential)
	OpenPRs bool // re-check the open pull requests a push moved under
	Fetch   bool // fetch from the remote first
}

func newCmdCheck(f *Factory, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{F: f}
	cmd := &cobra.Command{
		Use:   "check [REF]",
		Short: "CI gate: check a pull request's head against its target, main and every live kickoff",
		Long: `Merge the head (REF, the pull request's head, or HEAD) in memory with its target
branch, with main and with every other live kickoff.

Each conflict is attributed: to the head's own commits, to its target kickoff (the same
conflict is already between the kickoff and that ref), or to a side that has not merged
main's latest commits ("X vs main"). Only the head's own conflicts with the target or
main fail the check (exit 1); its own conflicts with another kickoff are warnings unless
conflicts.fail_on_kickoff is set in .kickoff.yaml. The others are reported as information.

In GitHub Actions (GITHUB_ACTIONS, GITHUB_EVENT_PATH, GITHUB_TOKEN, GITHUB_REPOSITORY)
it also publishes a check run with annotations on the conflicting lines, and keeps one
pull-request comment up to date (posted only once there is a conflict to report). In a
Jenkins multibranch pull-request build (CHANGE_ID, CHANGE_BRANCH, CHANGE_TARGET) it
checks the pull request's head, not the merge commit Jenkins builds; --publish publishes
there too. The target is the pull request's base branch, else --target, else the kickoff
a feature branch belongs to, else main.

--open-prs re-checks the open pull requests a push moved under (its target, main or a
live kickoff moved) and publishes each one's check run on its head.`,
		Example: `  kickoff check                      # the current branch
  kickoff check feature/PROJ-7-login
  kickoff check --pr 42              # needs GITHUB_TOKEN and GITHUB_REPOSITORY outside Actions
  kickoff check --open-prs           # on a push to main or a kickoff`,
		Args: maxArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if len(args) == 1 {
				opts.Ref = args[0]
			}
			if opts.PR < 0 {
				return FlagErrorf("--pr must be a pull request number")
			}
			if opts.OpenPRs && (opts.Ref != "" || opts.PR != 0 || opts.Target != "") {
				return FlagErrorf("--open-prs checks every open pull request: it takes no REF, --pr or --target")
			}
			if runF != nil {
				return runF(opts)
			}
			return checkRun(opts)
		},
	}
	cmd.Flags().IntVar(&opts.PR, "pr", 0, "the pull request `number` to check (default: the Actions event's, or Jenkins' CHANGE_ID)")
	cmd.Flags().StringVar(&opts.Target, "target", "", "the branch the head merges into (default: the pull request's base)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON (schema in README.md)")
	cmd.Flags().BoolVar(&opts.Publish, "publish", false, "publish the check run and comment outside GitHub Actions (needs GITHUB_TOKEN)")
	cmd.Flags().BoolVar(&opts.OpenPRs, "open-prs", false, "re-check the open pull requests a push moved under (needs GITHUB_TOKEN)")
	cmd.Flags().BoolVar(&opts.Fetch, "fetch", false, "fetch from the remote first (offline: say so and check what is here)")
	return cmd
}

// checkEnv is what check reads once: the repository, its configuration, GitHub's
// coordinates.
type checkEnv struct {
	opts                      *CheckOptions
	repo                      *gitrepo.Repo
	cfg                       *config.Config
	inActions                 bool
	apiURL, token, repository string
}

func (c *checkEnv) client() (*github.Client, error) {
	return github.New(c.opts.F.HTTP, c.apiURL, c.token, c.repository)
}

func checkRun(opts *CheckOptions) error {
	ctx := opts.Ctx
	repo, err := opts.F.Repo()
	if err != nil {
		return err
	}
	cfg, err := opts.F.Config()
	if err != nil {
		return err
	}
	c := &checkEnv{opts: opts, repo: repo, cfg: cfg, inActions: opts.F.Getenv("GITHUB_ACTIONS") == "true",
		token: opts.F.Getenv("GITHUB_TOKEN"), repository: opts.F.Getenv("GITHUB_REPOSITORY"), apiURL: cfg.GitHubAPIURL()}
	if c.repository == "" {
		if u, err := repo.RemoteURL(cfg.Remote); err == nil {
			c.repository, _ = github.RepositoryOf(u)
		}
	}
	if opts.OpenPRs {
		return checkOpenPRs(ctx, c)
	}

	pr, err := c.pullRequest(ctx)
	if err != nil {
		return err
	}
	req := gate.Request{Ref: opts.Ref, Target: opts.Target, FailOnKickoff: cfg.Conflicts.FailOnKickoff}
	if pr != nil {
		p := gate.PullRequest(*pr)
		req.PR = &p
	}

	if opts.Fetch {
		if err := fetchFirst(ctx, opts.F.IO, repo, cfg, opts.F.Getenv); err != nil {
			return err
		}
	}
	e, err := openRadar(ctx, opts.F.IO, repo, cfg)
	if err != nil {
		return err
	}
	defer e.Close()
	res, err := gate.Run(ctx, c.kickoffEnv(), e, req)
	if err != nil {
		return err
	}
	if err := c.print(res); err != nil {
		return err
	}

	var publishErr error
	switch {
	case c.inActions && pr != nil && pr.Fork:
		// A fork's pull_request run has a read-only token: the report is in the log and
		// the step summary; the push re-check (--open-prs) publishes its check run.
		opts.F.IO.Eprintf("kickoff: pull request #%d comes from a fork (read-only token): the report is in this log, not published\n", pr.Number)
	case c.inActions || opts.Publish:
		publishErr = c.publish(ctx, res, pr)
	}
	switch {
	case publishErr != nil:
		opts.F.IO.Eprintf("kickoff: the report above was not published to GitHub: %s\n", publishErr)
		return ErrSilent
	case !res.Passed:
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

func (c *checkEnv) kickoffEnv() *kickoff.Env {
	return &kickoff.Env{Repo: c.repo, Main: c.cfg.Main, Remote: c.cfg.Remote, Getenv: c.opts.F.Getenv}
}

// pullRequest finds the pull request under check: the Actions event's, or Jenkins'
// (unless REF or another --pr is named), else --pr's through the API.
func (c *checkEnv) pullRequest(ctx context.Context) (*github.PullRequest, error) {
	opts := c.opts
	var pr *github.PullRequest
	if opts.Ref == "" {
		var err error
		switch {
		case c.inActions:
			pr, err = github.EventPullRequest(opts.F.Getenv("GITHUB_EVENT_PATH"))
		case opts.F.Getenv("CHANGE_ID") != "":
			pr, err = jenkinsPullRequest(opts.F.Getenv, c.repo, c.cfg.Remote)
		}
		if err != nil {
			return nil, err
		}
		if pr != nil && opts.PR != 0 && opts.PR != pr.Number {
			pr = nil
		}
	}
	if pr == nil && opts.PR > 0 {
		if c.token == "" || c.repository == "" {
			return nil, fmt.Errorf("--pr %d: reading the pull request needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name); or name the head: kickoff check REF --target BRANCH", opts.PR)
		}
		gc, err := c.client()
		if err != nil {
			return nil, err
		}
		p, err := gc.PullRequest(ctx, opts.PR)
		if err != nil {
			return nil, err
		}
		pr = &p
	}
	return pr, nil
}

// jenkinsPullRequest reads a Jenkins multibranch pull-request build's CHANGE_*
// variables. Jenkins builds the merge of the pull request into its target; the check
// is of the pull request's head: the remote's pull/N/head fetched as
// refs/remotes/<remote>/PR-N (what the Jenkinsfile stage fetches), else the remote's
// CHANGE_BRANCH.
func jenkinsPullRequest(getenv func(string) string, repo *gitrepo.Repo, remote string) (*github.PullRequest, error) {
	n, err := strconv.Atoi(getenv("CHANGE_ID"))
	if err != nil || n <= 0 {
		return nil, fmt.Errorf("CHANGE_ID %q is not a pull request number (Jenkins sets it on pull-request builds)", getenv("CHANGE_ID"))
	}
	pr := &github.PullRequest{Number: n, HeadRef: getenv("CHANGE_BRANCH"), BaseRef: getenv("CHANGE_TARGET"), Fork: getenv("CHANGE_FORK") != ""}
	candidates := []string{fmt.Sprintf("refs/remotes/%s/PR-%d", remote, n)}
	if pr.HeadRef != "" && !pr.Fork {
		candidates = append(candidates, "refs/remotes/"+remote+"/"+pr.HeadRef)
	}
	for _, ref := range candidates {
		if h, err := repo.Resolve(ref); err == nil {
			pr.HeadSHA = h.String()
			return pr, nil
		}
	}
	return nil, fmt.Errorf("the head of pull request #%d is not in this clone: fetch it (git fetch %s +refs/pull/%d/head:refs/remotes/%s/PR-%d)", n, remote, n, remote, n)
}

// print writes the report (or JSON), and in Actions the step summary too, so a run
// whose publishing is impossible (a fork) still shows it on the run's page.
func (c *checkEnv) print(res *gate.Result) error {
	if c.opts.JSON {
		if c.opts.OpenPRs {
			// checkOpenPRs prints every pull request's result in one list.
		} else if err := c.opts.F.IO.JSON(res); err != nil {
			return err
		}
	} else if err := printCheck(c.opts.F.IO, res); err != nil {
		return err
	}
	if path := c.opts.F.Getenv("GITHUB_STEP_SUMMARY"); c.inActions && path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return fmt.Errorf("write the step summary (GITHUB_STEP_SUMMARY): %w", err)
		}
		_, err = f.WriteString(res.Markdown() + "\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return nil
}

// openPRResult is one pull request's result in `check --open-prs --json`.
type openPRResult struct {
	PullRequest int `json:"pull_request"`
	*gate.Result
}

// checkOpenPRs re-checks the open pull requests a push moved under (GITHUB_REF names
// the pushed branch in Actions; elsewhere all open ones) and publishes each verdict on
// its head. The pull requests' verdicts do not fail this run (it is the push's): their
// check runs carry them.
func checkOpenPRs(ctx context.Context, c *checkEnv) error {
	if c.token == "" || c.repository == "" {
		return fmt.Errorf("--open-prs lists the open pull requests through the API: it needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name)")
	}
	gc, err := c.client()
	if err != nil {
		return err
	}
	open, err := gc.OpenPullRequests(ctx)
	if err != nil {
		return err
	}
	prs := make([]gate.PullRequest, len(open))
	for i, p := range open {
		prs[i] = gate.PullRequest(p)
	}
	branch := ""
	if c.opts.F.Getenv("GITHUB_EVENT_NAME") == "push" {
		branch, _ = strings.CutPrefix(c.opts.F.Getenv("GITHUB_REF"), "refs/heads/")
	}
	env := c.kickoffEnv()
	todo, err := gate.Recheck(env, branch, prs)
	if err != nil {
		return err
	}
	moved := "all open pull requests"
	if branch != "" {
		moved = "the open pull requests " + branch + " moved under"
	}
	c.opts.F.IO.Eprintf("re-checking %s: %d of %d\n", moved, len(todo), len(prs))
	e, err := openRadar(ctx, c.opts.F.IO, c.repo, c.cfg)
	if err != nil {
		return err
	}
	defer e.Close()
	var failed []string
	checked := []openPRResult{}
	for _, p := range todo {
		p := p
		if !c.opts.JSON {
			fmt.Fprintf(c.opts.F.IO.Out, "\n## pull request #%d (%s into %s)\n", p.Number, p.HeadRef, p.BaseRef)
		}
		res, err := gate.Run(ctx, env, e, gate.Request{PR: &p, FailOnKickoff: c.cfg.Conflicts.FailOnKickoff})
		if err == nil {
			checked = append(checked, openPRResult{PullRequest: p.Number, Result: res})
			if err = c.print(res); err == nil {
				gp := github.PullRequest(p)
				err = c.publish(ctx, res, &gp)
			}
		}
		if err != nil {
			c.opts.F.IO.Eprintf("kickoff: pull request #%d: %s\n", p.Number, err)
			failed = append(failed, "#"+strconv.Itoa(p.Number))
		}
	}
	if c.opts.JSON {
		if err := c.opts.F.IO.JSON(checked); err != nil {
			return err
		}
	}
	if len(failed) > 0 {
		c.opts.F.IO.Eprintf("kickoff: %d pull request(s) not re-checked or not published: %s\n", len(failed), strings.Join(failed, ", "))
		return ErrSilent
	}
	return nil
}

// printCheck prints one line per ref checked against, the details, and the verdict.
func printCheck(io *term.IO, res *gate.Result) error {
	fmt.Fprintf(io.Out, "%s %s (%s) against its target %s, main and %d other live kickoff(s)\n",
		io.Bold("check"), res.Head, gitrepo.ShortID(res.HeadCommit), res.Target, res.Count(gate.RoleKickoff))
	if res.HeadLocal {
		io.Eprintf("kickoff: %s is checked at its local tip, which has commits not pushed to the remote\n", res.Head)
	}
	t := io.NewTable("role", "ref", "verdict", "")
	for _, p := range res.Pairs {
		mark := ""
		switch {
		case p.Own > 0 && p.Blocking:
			mark = io.Red("FAIL")
		case p.Own > 0:
			mark = io.Yellow("warning")
		case !p.Clean:
			mark = io.Dim("not its own")
		}
		if p.Local { // unpushed work: said in the same column, so the table keeps its shape
			mark = strings.TrimSpace(mark + " " + localMark(io, true))
		}
		t.Row(p.Role, p.B, p.Verdict(), mark)
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
	for _, b := range res.Inherited() {
		fmt.Fprintf(io.Out, "not its own: %s in %s (%s)\n", b.Between[0]+" vs "+b.Between[1], b.Path, b.Owner)
	}
	return nil
}

// publish sends the gate's verdict as a check run on the head and, on a pull request,
// as the comment kickoff keeps up to date: updated once it exists, posted only when
// there is a conflict to report.
func (c *checkEnv) publish(ctx context.Context, res *gate.Result, pr *github.PullRequest) error {
	gc, err := c.client()
	if err != nil {
		return err
	}
	conclusion, title := res.Conclusion()
	var annotations []github.Annotation
	for _, f := range res.Findings() {
		annotations = append(annotations, github.Annotation{Path: f.Path, StartLine: f.Start, EndLine: f.End, Level: f.Level, Title: f.Title, Message: f.Message})
	}
	var errs []error
	url, err := gc.PublishCheckRun(ctx, github.CheckRun{
		Name: CheckRunName, HeadSHA: res.HeadCommit, Conclusion: conclusion, Title: title,
		Summary: res.Markdown(), Annotations: annotations,
	})
	if err != nil {
		errs = append(errs, err)
	} else {
		c.opts.F.IO.Eprintf("published check run %s\n", url)
	}
	if pr != nil {
		if err := c.comment(ctx, gc, res, pr.Number); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (c *checkEnv) comment(ctx context.Context, gc *github.Client, res *gate.Result, number int) error {
	old, err := gc.FindComment(ctx, number, gate.CommentMarker)
	if err != nil {
		return err
	}
	prev := ""
	if old != nil {
		prev = old.Body
	}
	body, post := res.Comment(prev, old != nil)
	if !post {
		c.opts.F.IO.Eprintf("no conflicts: no pull-request comment\n")
		return nil
	}
	url, err := gc.SaveComment(ctx, number, old, body)
	if err != nil {
		return err
	}
	c.opts.F.IO.Eprintf("updated the pull-request comment %s\n", url)
	return nil
}
