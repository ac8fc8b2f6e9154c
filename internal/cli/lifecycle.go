package cli

import (
	"context"
	"fmt"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/term"
)

// lifecycleEnv opens the repository and configuration for the lifecycle commands.
func lifecycleEnv(f *Factory) (*kickoff.Env, *config.Config, error) {
	repo, cfg, err := f.RepoConfig()
	if err != nil {
		return nil, nil, err
	}
	env := &kickoff.Env{
		Repo:   repo,
		Main:   cfg.Main,
		Remote: cfg.Remote,
		Getenv: f.Getenv,
		Notef:  func(format string, a ...any) { f.IO.Eprintf("kickoff: "+format, a...) },
	}
	return env, cfg, nil
}

// runPlan applies a plan, printing each step done on stderr with --verbose style brevity.
func runPlan(ctx context.Context, f *Factory, p *kickoff.Plan) error {
	return p.Run(ctx, func(desc string) { f.IO.Eprintf("  %s\n", desc) })
}

// printNotes prints a plan's notes on stderr.
func printNotes(f *Factory, notes []string) {
	for _, n := range notes {
		f.IO.Eprintf("kickoff: %s\n", term.Clean(n)) // may quote a Jira summary
	}
}

// printLifecyclePlan prints a plan for --dry-run on stdout.
func printLifecyclePlan(f *Factory, title string, p *kickoff.Plan, notes []string) {
	fmt.Fprintf(f.IO.Out, "%s (dry run, nothing changed):\n%s", title, p.String())
	for _, n := range notes {
		fmt.Fprintf(f.IO.Out, "note: %s\n", term.Clean(n))
	}
}
