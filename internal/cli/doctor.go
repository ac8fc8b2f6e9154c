package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/github"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/radar"
)

// DoctorOptions are the inputs of `kickoff doctor`.
type DoctorOptions struct {
	F    *Factory        // streams, environment, clock and the services built from them
	Ctx  context.Context // the command's context, set when it runs
	JSON bool
}

func newCmdDoctor(f *Factory, runF func(*DoctorOptions) error) *cobra.Command {
	opts := &DoctorOptions{F: f}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check that git, the remote, credentials, GitHub, Jira, Docker and the registry work for kickoff",
		Long: `One line per check, each "ok" or what to fix: git's version, the repository, the
configuration (every source), the remote (reached with the network timeout), the
credentials (a dry-run push), the GitHub token's scopes, Jira (login and the configured
transition), Docker and Compose (when apps are configured) and the registry login.
A check that does not apply is skipped. Exit status 1 when any check fails.`,
		Args: noArgs(""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return doctorRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the checks as JSON")
	return cmd
}

// The outcomes of a check.
const (
	checkOK   = "ok"
	checkFail = "fail"
	checkSkip = "skip"
)

// doctorCheck is one line of the report.
type doctorCheck struct {
	Name   string `json:"name"`
	Status string `json:"status"` // ok, fail or skip
	Detail string `json:"detail"` // what was found; for a failure, what to fix
}

// doctorTimeout bounds each check that waits on a program (docker) or the network beyond
// the clients' own timeouts.
const doctorTimeout = 30 * time.Second

// doctor holds what the checks found that later checks need.
type doctor struct {
	f       *Factory
	ctx     context.Context
	repo    *gitrepo.Repo
	cfg     *config.Config
	reached bool  // the remote answered
	refused error // ... but refused the credentials
}

func doctorRun(opts *DoctorOptions) error {
	d := &doctor{f: opts.F, ctx: opts.Ctx}
	checks := []doctorCheck{
		d.check("git", d.git),
		d.check("repository", d.repository),
		d.check("configuration", d.configuration),
		d.check("remote", d.remote),
		d.check("credentials", d.credentials),
		d.check("github", d.github),
		d.check("jira", d.jira),
		d.check("docker", d.docker),
		d.check("registry", d.registry),
	}
	failed := slices.ContainsFunc(checks, func(c doctorCheck) bool { return c.Status == checkFail })
	if opts.JSON {
		if err := opts.F.IO.JSON(struct {
			OK     bool          `json:"ok"`
			Checks []doctorCheck `json:"checks"`
		}{!failed, checks}); err != nil {
			return err
		}
	} else {
		io := opts.F.IO
		for _, c := range checks {
			word := map[string]string{checkOK: io.Green("ok"), checkFail: io.Red("FAIL"), checkSkip: "skipped"}[c.Status]
			fmt.Fprintf(io.Out, "%-14s %s: %s\n", c.Name, word, c.Detail)
		}
	}
	if failed {
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

// check runs one check: fn returns the outcome and its detail.
func (d *doctor) check(name string, fn func() (string, string)) doctorCheck {
	status, detail := fn()
	return doctorCheck{Name: name, Status: status, Detail: gitrepo.RedactURL(detail)}
}

func (d *doctor) git() (string, string) {
	v, err := radar.CheckGit(d.ctx)
	if err != nil {
		return checkFail, err.Error()
	}
	return checkOK, "git " + v.Raw
}

func (d *doctor) repository() (string, string) {
	repo, err := d.f.Repo()
	if err != nil {
		return checkFail, err.Error()
	}
	d.repo = repo
	return checkOK, repo.Root
}

func (d *doctor) configuration() (string, string) {
	cfg, err := d.f.LoadConfig()
	if err != nil {
		return checkFail, err.Error()
	}
	d.cfg = cfg
	if u := cfg.Unknown(); len(u) > 0 {
		return checkFail, strings.Join(u, "; ")
	}
	from := cfg.Origin("main")
	if from == "" {
		from = "the default"
	}
	return checkOK, fmt.Sprintf("valid; trunk %s (%s), remote %s", cfg.Main, from, cfg.Remote)
}

func (d *doctor) remote() (string, string) {
	if d.repo == nil || d.cfg == nil {
		return checkSkip, "needs the repository and a valid configuration"
	}
	u, err := d.repo.RemoteURL(d.cfg.Remote)
	if err != nil {
		return checkFail, fmt.Sprintf("no remote %q (remotes: %s): add it with `git remote add %s URL`, or name another with remote: or --remote",
			d.cfg.Remote, orNone(strings.Join(d.repo.RemoteNames(), ", ")), d.cfg.Remote)
	}
	_, err = d.repo.RemoteRefs(d.ctx, d.cfg.Remote, d.f.Getenv)
	switch {
	case errors.Is(err, gitrepo.ErrRefused):
		d.reached, d.refused = true, err
	case err != nil:
		return checkFail, err.Error() + "; check the URL (git remote -v) and the network"
	default:
		d.reached = true
	}
	return checkOK, fmt.Sprintf("%s (%s) answers", d.cfg.Remote, u)
}

func (d *doctor) credentials() (string, string) {
	switch {
	case !d.reached:
		return checkSkip, "needs the remote"
	case d.refused != nil:
		return checkFail, d.refused.Error()
	}
	if err := d.repo.CheckPush(d.ctx, d.cfg.Remote, d.f.Getenv); err != nil {
		return checkFail, err.Error()
	}
	return checkOK, "the remote accepts a push (dry run: nothing was pushed)"
}

func (d *doctor) github() (string, string) {
	token := d.f.Getenv("GITHUB_TOKEN")
	if token == "" {
		return checkSkip, "no GITHUB_TOKEN (only `kickoff check --publish`, --pr and --open-prs need one)"
	}
	if d.cfg == nil {
		return checkSkip, "needs a valid configuration"
	}
	name := d.f.Getenv("GITHUB_REPOSITORY")
	if name == "" && d.repo != nil {
		if u, err := d.repo.RemoteURL(d.cfg.Remote); err == nil {
			name, _ = github.RepositoryOf(u)
		}
	}
	if name == "" {
		return checkFail, "which GitHub repository? set GITHUB_REPOSITORY=owner/name (the remote is not on GitHub)"
	}
	client, err := github.New(d.f.HTTP, d.cfg.GitHubAPIURL(), token, name)
	if err != nil {
		return checkFail, err.Error()
	}
	scopes, listed, err := client.Scopes(d.ctx)
	switch {
	case err != nil:
		return checkFail, err.Error()
	case !listed:
		return checkOK, fmt.Sprintf("the token reads %s (an Actions or fine-grained token: its permissions are not listed; the workflow needs checks: write, pull-requests: write)", name)
	case slices.Contains(scopes, "repo") || slices.Contains(scopes, "public_repo"):
		return checkOK, fmt.Sprintf("the token reads %s; scopes: %s", name, strings.Join(scopes, ", "))
	}
	return checkFail, fmt.Sprintf("the token's scopes (%s) lack repo (public_repo for a public repository), which kickoff check's pull-request comments need: make a token with the repo scope",
		orNone(strings.Join(scopes, ", ")))
}

func (d *doctor) jira() (string, string) {
	if d.cfg == nil {
		return checkSkip, "needs a valid configuration"
	}
	if !d.cfg.Jira.Enabled() {
		return checkSkip, "not configured (set jira.url to use Jira)"
	}
	client, err := jira.New(d.cfg.Jira, d.f.Getenv, d.f.HTTP)
	if err != nil {
		return checkFail, err.Error()
	}
	site := config.Site(d.cfg.Jira.URL)
	me, err := client.Myself(d.ctx)
	if err != nil {
		return checkFail, err.Error()
	}
	want := d.cfg.Jira.Transition
	if want == "" {
		return checkOK, fmt.Sprintf("%s as %s; jira.transition is empty: issues are not moved", site, me)
	}
	statuses, err := client.Statuses(d.ctx)
	if err != nil {
		return checkFail, err.Error()
	}
	if slices.ContainsFunc(statuses, func(s string) bool { return strings.EqualFold(s, want) }) {
		return checkOK, fmt.Sprintf("%s as %s; transition %q found", site, me, want)
	}
	hint := ""
	if s := config.Suggest(want, statuses); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return checkFail, fmt.Sprintf("jira.transition %q is no status of %s%s; its statuses: %s; set jira.transition (where: %s) to one of them, or \"\" to leave issues alone",
		want, site, hint, strings.Join(statuses, ", "), orNone(d.cfg.Origin("jira.transition")))
}

func (d *doctor) docker() (string, string) {
	if d.cfg == nil {
		return checkSkip, "needs a valid configuration"
	}
	if len(d.cfg.Apps) == 0 {
		return checkSkip, "no apps configured: QA slots are not used"
	}
	cmd, err := compose.Detect()
	if err != nil {
		return checkFail, err.Error()
	}
	hosts := []string{""}
	for _, s := range d.cfg.Slots {
		if h := d.cfg.Hosts[s]; h != "" && !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	var found []string
	for _, h := range hosts {
		ctx, cancel := context.WithTimeout(d.ctx, doctorTimeout)
		engine, composeVersion, err := (&compose.Engine{Host: h, Command: cmd}).Versions(ctx)
		cancel()
		where := "local engine"
		if h != "" {
			where = h
		}
		if err != nil {
			return checkFail, fmt.Sprintf("%s: %v", where, strings.TrimSpace(err.Error()))
		}
		line := fmt.Sprintf("%s %s, %s %s", where, engine, strings.Join(cmd, " "), composeVersion)
		if d.swarmOn(h) {
			ctx, cancel := context.WithTimeout(d.ctx, doctorTimeout)
			err := (&compose.Engine{Host: h, SwarmMode: true}).SwarmManager(ctx)
			cancel()
			if err != nil {
				return checkFail, fmt.Sprintf("%s: %v", where, err)
			}
			line += ", swarm manager"
		}
		found = append(found, line)
	}
	return checkOK, strings.Join(found, "; ")
}

// swarmOn reports whether a slot on host (the local engine for "") runs with engine: swarm.
func (d *doctor) swarmOn(host string) bool {
	for _, s := range d.cfg.Slots {
		if d.cfg.Hosts[s] == host && d.cfg.EngineOf(s) == config.EngineSwarm {
			return true
		}
	}
	return false
}

func (d *doctor) registry() (string, string) {
	if d.cfg == nil {
		return checkSkip, "needs a valid configuration"
	}
	if d.cfg.Registry == "" {
		return checkSkip, "no registry configured"
	}
	ctx, cancel := context.WithTimeout(d.ctx, doctorTimeout)
	defer cancel()
	how, err := registryClient(d.f, d.cfg).CheckLogin(ctx)
	if err != nil {
		return checkFail, err.Error()
	}
	return checkOK, fmt.Sprintf("%s: %s", d.cfg.Registry, how)
}
