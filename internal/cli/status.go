package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/platform"
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
	Merging       bool     `json:"merging"`   // a merge is in progress in the work tree
	Conflicts     []string `json:"conflicts"` // paths still in conflict
	// InProgress is a kickoff command stopped or interrupted (`kickoff continue` / `abort`).
	InProgress *inProgressJSON `json:"in_progress,omitempty"`
	// Repos is the branch's kickoff in each repository of a platform of several (repos:).
	Repos []listRepo `json:"repos,omitempty"`
}

// inProgressJSON is a kickoff command under way, in `kickoff status --json`.
type inProgressJSON struct {
	Command string `json:"command"`
	Subject string `json:"subject"`
	State   string `json:"state"` // stopped (waiting for you) | running (interrupted)
	Done    int    `json:"done"`  // steps done
	Steps   int    `json:"steps"`
	Next    string `json:"next"`   // the step to do next
	Reason  string `json:"reason"` // why it stopped
}

func statusRun(opts *StatusOptions) error {
	f, ctx := opts.F, opts.Ctx
	env, cfg, err := lifecycleEnv(f)
	if err != nil {
		return err
	}
	plat, err := platformOf(f, env, cfg)
	if err != nil {
		return err
	}
	if opts.Fetch && plat.Single() {
		if err := env.Connect(ctx); err != nil {
			return err
		}
	}
	var ms []platform.Member
	if !plat.Single() {
		ms = plat.Members(plat.Repos, env)
		if err := platform.Refresh(ctx, ms, opts.Fetch); err != nil {
			return err
		}
	}
	s, err := env.Status(ctx)
	if err != nil {
		return err
	}
	var repos []listRepo
	if len(ms) > 0 && s.Kickoff != "" {
		rows, err := platform.List(ms, false, kickoff.FeaturePrefix(cfg.Feature.Template), nil)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.Name.String() == s.Kickoff {
				repos, _ = listRepos(r)
			}
		}
	}
	if opts.JSON {
		out := statusJSON{
			Branch: s.Branch, Kickoff: s.Kickoff, IsKickoff: s.IsKickoff, Main: s.Main,
			AheadMain: s.AheadMain, BehindMain: s.BehindMain, AheadKickoff: s.AheadKickoff, BehindKickoff: s.BehindKickoff,
			Upstream: s.Upstream, Unpushed: s.Unpushed, Unpulled: s.Unpulled, Dirty: orEmpty(s.Dirty),
			Merging: s.Merging, Conflicts: orEmpty(s.Conflicts), Repos: repos,
		}
		if j := s.InProgress; j != nil {
			out.InProgress = &inProgressJSON{Command: j.Command, Subject: j.Subject, State: string(j.State),
				Done: j.Done, Steps: len(j.Steps), Next: j.Next(), Reason: j.Reason}
		}
		return f.IO.JSON(out)
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
	for _, r := range repos {
		if !r.Present {
			fmt.Fprintf(w, "  %-10s %s\n", r.Repo+":", f.IO.Yellow("missing: the kickoff is not in this repository"))
			continue
		}
		fmt.Fprintf(w, "  %-10s %s, %d feature%s\n", r.Repo+":", counts(r.Ahead, r.Behind)+" "+env.Main, len(r.Features), plural(len(r.Features)))
	}
	printInProgress(f, s)
	return nil
}

// printInProgress adds a merge in progress and a kickoff command under way to the status.
func printInProgress(f *Factory, s *kickoff.Status) {
	w, j := f.IO.Out, s.InProgress
	switch {
	case j != nil && j.State == kickoff.JournalStopped:
		fmt.Fprintf(w, "  %s: %s stopped: %s\n", f.IO.Red("in progress"), j.Title(), j.Reason)
		fmt.Fprintf(w, "    resolve, `git add`, then `kickoff continue`; or `kickoff abort`\n")
	case j != nil:
		fmt.Fprintf(w, "  %s: %s was interrupted after step %d of %d (next: %s)\n", f.IO.Red("in progress"), j.Title(), j.Done, len(j.Steps), j.Next())
		fmt.Fprintf(w, "    `kickoff continue` finishes it; `kickoff abort` puts everything back\n")
	case s.Merging && len(s.Conflicts) > 0:
		fmt.Fprintf(w, "  %s: conflicts in %s (resolve, `git add`, `git commit`; or `git merge --abort`)\n", f.IO.Red("merge in progress"), strings.Join(s.Conflicts, ", "))
	case s.Merging:
		fmt.Fprintf(w, "  %s: conflicts resolved, not committed yet (`git commit`)\n", f.IO.Red("merge in progress"))
	}
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
