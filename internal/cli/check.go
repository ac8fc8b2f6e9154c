package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/github"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/radar"
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
	return cmd
}

// actionsEvent is the part of $GITHUB_EVENT_PATH we read.
type actionsEvent struct {
	Number      int `json:"number"`
	PullRequest *struct {
		Number int `json:"number"`
		Head   struct {
			SHA string `json:"sha"`
			Ref string `json:"ref"`
		} `json:"head"`
		Base struct {
			Ref string `json:"ref"`
		} `json:"base"`
	} `json:"pull_request"`
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

	// What to check: REF, the pull request's head, or HEAD.
	var pr *github.PullRequest
	if inActions && opts.Ref == "" {
		if p, err := readEvent(opts.Getenv("GITHUB_EVENT_PATH")); err != nil {
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
	headRev, headName := opts.Ref, opts.Ref
	switch {
	case pr != nil && opts.Ref == "":
		headRev, headName = pr.HeadSHA, pr.HeadRef
	case opts.Ref == "":
		headRev, headName = "HEAD", repo.CurrentBranch()
		if headName == "" {
			headName = "HEAD"
		}
	}
	target := opts.Target
	if target == "" && pr != nil {
		target = pr.BaseRef
	}
	if target == "" {
		target = cfg.Main
		env := &kickoff.Env{Repo: repo, Main: cfg.Main, Remote: cfg.Remote, Getenv: opts.Getenv}
		if k, ok := env.KickoffOf(headName); ok && k.String() != headName {
			target = k.String()
		}
	}

	e, err := openRadar(ctx, opts.IO, repo, cfg)
	if err != nil {
		return err
	}
	defer e.Close()
	heads, err := e.Resolve([]string{headRev})
	if err != nil {
		if pr != nil {
			return fmt.Errorf("the head %s of pull request #%d is not in this clone: fetch it (git fetch origin pull/%d/head), and check out with full history (actions/checkout: fetch-depth: 0)", short(pr.HeadSHA), pr.Number, pr.Number)
		}
		return err
	}
	head := heads[0]
	head.Name = headName

	against := []radar.CheckAgainst{{Name: target, Role: radar.RoleTarget}}
	if target != cfg.Main {
		against = append(against, radar.CheckAgainst{Name: cfg.Main, Role: radar.RoleMain})
	}
	live, err := kickoff.Live(repo, cfg.Remote)
	if err != nil {
		return err
	}
	for _, k := range live {
		n := k.Name.String()
		if n != target && n != headName && n != cfg.Main {
			against = append(against, radar.CheckAgainst{Name: n, Role: radar.RoleKickoff})
		}
	}
	res, err := e.Check(ctx, head, against, cfg.Conflicts.FailOnKickoff)
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

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

func readEvent(path string) (*github.PullRequest, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the Actions event (GITHUB_EVENT_PATH): %w", err)
	}
	var ev actionsEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("read the Actions event %s: %w", path, err)
	}
	if ev.PullRequest == nil {
		return nil, nil // a push, a schedule...: no pull request
	}
	n := ev.PullRequest.Number
	if n == 0 {
		n = ev.Number
	}
	return &github.PullRequest{Number: n, HeadSHA: ev.PullRequest.Head.SHA, HeadRef: ev.PullRequest.Head.Ref, BaseRef: ev.PullRequest.Base.Ref}, nil
}

// printCheck prints one line per ref checked against, the details, and the verdict.
func printCheck(io *term.IO, res *radar.CheckResult) error {
	fmt.Fprintf(io.Out, "%s %s (%s) against its target %s, main and %d other live kickoff(s)\n",
		io.Bold("check"), res.Head, shortID(res.HeadCommit), res.Target, countRole(res, radar.RoleKickoff))
	t := io.NewTable("role", "ref", "verdict", "")
	for _, p := range res.Pairs {
		mark := ""
		switch {
		case !p.Clean && p.Blocking:
			mark = io.Red("FAIL")
		case !p.Clean:
			mark = io.Yellow("warning")
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
		fmt.Fprintf(io.Out, "\n%s: conflicts with %s\n", io.Red("failed"), pairNames(fail))
	case len(warn) > 0:
		fmt.Fprintf(io.Out, "\n%s, with warnings: conflicts with %s (set conflicts.fail_on_kickoff to fail on these)\n", io.Green("passed"), pairNames(warn))
	default:
		fmt.Fprintf(io.Out, "\n%s\n", io.Green("passed"))
	}
	return nil
}

func countRole(res *radar.CheckResult, role string) int {
	n := 0
	for _, p := range res.Pairs {
		if p.Role == role {
			n++
		}
	}
	return n
}

func pairNames(ps []radar.CheckPair) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.B
	}
	return strings.Join(names, ", ")
}

// publish sends the check run and the pull-request comment.
func publish(ctx context.Context, opts *CheckOptions, apiURL, token, repository string, res *radar.CheckResult, pr *github.PullRequest) error {
	gc, err := opts.GitHub(apiURL, token, repository)
	if err != nil {
		return err
	}
	fail, warn := res.Failing()
	conclusion, title := "success", "No conflicts"
	switch {
	case len(fail) > 0:
		conclusion, title = "failure", "Conflicts with "+pairNames(fail)
	case len(warn) > 0:
		conclusion, title = "neutral", "Conflicts with other kickoffs: "+pairNames(warn)
	}
	summary := checkMarkdown(res)
	var errs []error
	url, err := gc.PublishCheckRun(ctx, github.CheckRun{
		Name: CheckRunName, HeadSHA: res.HeadCommit, Conclusion: conclusion, Title: title,
		Summary: summary, Annotations: annotations(res),
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

// annotations mark the head's conflicting lines (failure or warning) and overlaps (notice).
func annotations(res *radar.CheckResult) []github.Annotation {
	var as []github.Annotation
	for _, p := range res.Pairs {
		level := "failure"
		if !p.Blocking {
			level = "warning"
		}
		for _, c := range p.Conflicts {
			msg := fmt.Sprintf("Merging %s and %s conflicts here (%s).", p.A, p.B, c.Kind)
			if by := touchNames(c.TheirsBy); by != "" {
				msg += " On " + p.B + " these lines were changed by " + by + "."
			}
			title := fmt.Sprintf("%s conflict with %s", c.Kind, p.B)
			if len(c.Ours) == 0 {
				as = append(as, github.Annotation{Path: c.Path, StartLine: 1, EndLine: 1, Level: level, Title: title, Message: msg})
			}
			for _, r := range c.Ours {
				as = append(as, github.Annotation{Path: c.Path, StartLine: r[0], EndLine: r[1], Level: level, Title: title, Message: msg})
			}
		}
		for _, o := range p.Overlaps {
			msg := fmt.Sprintf("%s changes lines next to these (%s); it merges, but have a look.", p.B, radar.FormatRanges(o.Theirs))
			if by := touchNames(o.TheirsBy); by != "" {
				msg += " Changed by " + by + "."
			}
			for _, r := range o.Ours {
				as = append(as, github.Annotation{Path: o.Path, StartLine: r[0], EndLine: r[1], Level: "notice", Title: "overlap with " + p.B, Message: msg})
			}
		}
	}
	return as
}

func touchNames(ts []radar.Touch) string {
	var parts []string
	for _, t := range ts {
		s := t.Author
		if len(t.Jira) > 0 {
			s += " (" + strings.Join(t.Jira, ", ") + ")"
		}
		parts = append(parts, s+" in "+shortID(t.Commit))
	}
	return strings.Join(parts, "; ")
}

// checkMarkdown is the check run's summary and the pull-request comment.
func checkMarkdown(res *radar.CheckResult) string {
	var b strings.Builder
	fail, warn := res.Failing()
	switch {
	case len(fail) > 0:
		fmt.Fprintf(&b, "### ❌ Conflict radar: `%s` conflicts with %s\n\n", res.Head, pairNames(fail))
	case len(warn) > 0:
		fmt.Fprintf(&b, "### ⚠️ Conflict radar: `%s` conflicts with other kickoffs: %s\n\n", res.Head, pairNames(warn))
	default:
		fmt.Fprintf(&b, "### ✅ Conflict radar: `%s` merges cleanly\n\n", res.Head)
	}
	fmt.Fprintf(&b, "Head `%s` checked against:\n\n| role | ref | verdict |\n|---|---|---|\n", shortID(res.HeadCommit))
	for _, p := range res.Pairs {
		fmt.Fprintf(&b, "| %s | `%s` | %s |\n", p.Role, p.B, p.Summary())
	}
	for _, p := range res.Pairs {
		if p.Clean && len(p.Overlaps) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n**`%s`**\n\n", p.B)
		for _, c := range p.Conflicts {
			fmt.Fprintf(&b, "- %s conflict in `%s`", c.Kind, c.Path)
			if len(c.Ours) > 0 {
				fmt.Fprintf(&b, " (lines %s here, %s there)", radar.FormatRanges(c.Ours), radar.FormatRanges(c.Theirs))
			}
			if by := touchNames(c.TheirsBy); by != "" {
				fmt.Fprintf(&b, ": there by %s", by)
			}
			if by := touchNames(c.OursBy); by != "" {
				fmt.Fprintf(&b, "; here by %s", by)
			}
			b.WriteString("\n")
		}
		for _, o := range p.Overlaps {
			fmt.Fprintf(&b, "- overlap in `%s` (lines %s here, %s there): merges cleanly", o.Path, radar.FormatRanges(o.Ours), radar.FormatRanges(o.Theirs))
			if by := touchNames(o.TheirsBy); by != "" {
				fmt.Fprintf(&b, "; there by %s", by)
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n<sub>Updated by `kickoff check` on every push.</sub>\n")
	return b.String()
}
