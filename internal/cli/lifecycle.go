package cli

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

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

// runPlan applies a plan, printing each step done on stderr. On a terminal a spinner shows
// the step under way; with -v each step is logged as it starts and ends (with its
// duration), and each undo.
func runPlan(ctx context.Context, f *Factory, p *kickoff.Plan) error {
	observed := *p
	observed.Steps = slices.Clone(p.Steps)
	for i := range observed.Steps {
		s := &observed.Steps[i]
		if do := s.Do; do != nil {
			desc := s.Desc
			s.Do = func(ctx context.Context) error {
				slog.Debug("step", "do", desc)
				stop, start := f.IO.Spin(desc), time.Now()
				err := do(ctx)
				stop()
				if err != nil {
					slog.Debug("step failed", "do", desc, "took", time.Since(start).Round(time.Millisecond), "err", err)
				} else {
					slog.Debug("step done", "do", desc, "took", time.Since(start).Round(time.Millisecond))
				}
				return err
			}
		}
		if undo := s.Undo; undo != nil {
			desc := s.Desc
			s.Undo = func(ctx context.Context) error {
				slog.Debug("undo", "step", desc)
				return undo(ctx)
			}
		}
	}
	return observed.Run(ctx, func(desc string) { f.IO.Eprintf("  %s\n", desc) })
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
