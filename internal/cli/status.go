package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// StatusOptions are the inputs of `kickoff status`.
type StatusOptions struct {
	F     *Factory        // streams, environment, clock and the services built from them
	Ctx   context.Context // the command's context, set when it runs
	JSON  bool
	Fetch bool
}

func newCmdStatus(f *Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{F: f}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show where the current branch stands: its kickoff, ahead/behind, unpushed commits",
		Args:  noArgs(""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return statusRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&opts.Fetch, "fetch", false, "fetch from the remote first")
	return cmd
}

// statusJSON is `kickoff status --json`.
type statusJSON struct {
	Branch        string   `json:"branch"`
	Kickoff       string   `json:"kickoff"` // "" when the branch belongs to no kickoff
	IsKickoff     bool     `json:"is_kickoff"`
	Main          string   `json:"main"`
	AheadMain     int      `json:"ahead_main"`
	BehindMain    int      `json:"behind_main"`
	AheadKickoff  int      `json:"ahead_kickoff"`
	BehindKickoff int      `json:"behind_kickoff"`
	Upstream      string   `json:"upstream"` // "" when not pushed
	Unpushed      int      `json:"unpushed"`
	Unpulled      int      `json:"unpulled"`
	Dirty         []string `json:"dirty"`
}

func statusRun(opts *StatusOptions) error {
	f, ctx := opts.F, opts.Ctx
	env, _, err := lifecycleEnv(f)
	if err != nil {
		return err
	}
	if opts.Fetch {
		if err := env.Connect(ctx); err != nil {
			return err
		}
	}
	s, err := env.Status(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		dirty := s.Dirty
		if dirty == nil {
			dirty = []string{}
		}
		return f.IO.JSON(statusJSON{
			Branch: s.Branch, Kickoff: s.Kickoff, IsKickoff: s.IsKickoff, Main: s.Main,
			AheadMain: s.AheadMain, BehindMain: s.BehindMain, AheadKickoff: s.AheadKickoff, BehindKickoff: s.BehindKickoff,
			Upstream: s.Upstream, Unpushed: s.Unpushed, Unpulled: s.Unpulled, Dirty: dirty,
		})
	}
	w := f.IO.Out
	switch {
	case s.IsKickoff:
		fmt.Fprintf(w, "On kickoff %s\n", f.IO.Bold(s.Branch))
	case s.Kickoff != "":
		fmt.Fprintf(w, "On %s, a feature of kickoff %s\n", f.IO.Bold(s.Branch), s.Kickoff)
	default:
		fmt.Fprintf(w, "On %s, which belongs to no kickoff\n", f.IO.Bold(s.Branch))
	}
	fmt.Fprintf(w, "  %-10s %s\n", s.Main+":", counts(s.AheadMain, s.BehindMain))
	if s.Kickoff != "" && !s.IsKickoff {
		fmt.Fprintf(w, "  %-10s %s\n", "kickoff:", counts(s.AheadKickoff, s.BehindKickoff))
	}
	if s.Upstream == "" {
		fmt.Fprintf(w, "  not pushed: %d commit%s only here\n", s.Unpushed, plural(s.Unpushed))
	} else {
		fmt.Fprintf(w, "  %s: %d unpushed, %d to pull\n", s.Upstream, s.Unpushed, s.Unpulled)
	}
	if len(s.Dirty) > 0 {
		fmt.Fprintf(w, "  uncommitted changes: %s\n", strings.Join(s.Dirty, ", "))
	}
	return nil
}

func counts(ahead, behind int) string {
	return fmt.Sprintf("%d ahead, %d behind", ahead, behind)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
