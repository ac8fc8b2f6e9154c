package cli

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// SwitchOptions are the inputs of `kickoff switch`.
type SwitchOptions struct {
	F       *Factory
	Ctx     context.Context
	Pattern string
	List    bool
	JSON    bool
}

func newCmdSwitch(f *Factory, runF func(*SwitchOptions) error) *cobra.Command {
	opts := &SwitchOptions{F: f}
	cmd := &cobra.Command{
		Use:   "switch [PATTERN]",
		Short: "Switch the work tree to a kickoff or feature branch",
		Long: `Switch the work tree to a kickoff or feature branch, local or on the remote only (then a
local branch tracking it is created). PATTERN is any part of the name, in any case; a
branch named exactly PATTERN wins. When several branches match, kickoff asks which one on
a terminal, and lists them and exits 2 elsewhere. It refuses when uncommitted changes
would be overwritten, naming them. --list prints the candidates instead (--json as data).`,
		Example: "  kickoff switch dashboard\n  kickoff switch PROJ-123\n  kickoff switch --list --json",
		Args:    maxArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if len(args) == 1 {
				opts.Pattern = args[0]
			}
			if opts.JSON && !opts.List {
				return FlagErrorf("--json goes with --list")
			}
			if runF != nil {
				return runF(opts)
			}
			return switchRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.List, "list", false, "print the matching branches instead of switching")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "with --list: print the branches as JSON")
	return cmd
}

// switchBranch is one branch of `kickoff switch --list --json`.
type switchBranch struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`              // kickoff or feature
	Kickoff string `json:"kickoff,omitempty"` // the kickoff a feature belongs to, when recorded
	Local   bool   `json:"local"`
	Remote  bool   `json:"remote"`
	Current bool   `json:"current"`
}

func switchRun(opts *SwitchOptions) error {
	f, ctx := opts.F, opts.Ctx
	env, cfg, err := lifecycleEnv(f)
	if err != nil {
		return err
	}
	if err := env.Connect(ctx); err != nil { // remote-only branches are offered too
		return err
	}
	all, err := env.Branches(kickoff.FeaturePrefix(cfg.Feature.Template))
	if err != nil {
		return err
	}
	cands := kickoff.MatchBranches(all, opts.Pattern)
	if opts.List {
		return printBranches(f, cands, opts.JSON)
	}
	switch {
	case len(cands) == 0 && opts.Pattern == "":
		return fmt.Errorf("no kickoff or feature branch here or on %s: cut one with `kickoff new` or `kickoff feature`", env.Remote)
	case len(cands) == 0:
		return fmt.Errorf("no kickoff or feature branch matches %q (see `kickoff switch --list`)", opts.Pattern)
	case len(cands) > 1 && !(f.IO.IsStdinTTY() && f.IO.IsStderrTTY()):
		names := make([]string, len(cands))
		for i, b := range cands {
			names[i] = b.Name
		}
		what := fmt.Sprintf("%q matches %d branches", opts.Pattern, len(cands))
		if opts.Pattern == "" {
			what = fmt.Sprintf("%d branches to choose from", len(cands))
		}
		return FlagErrorf("%s: %s; give more of the name", what, strings.Join(names, ", "))
	}
	target := cands[0]
	if len(cands) > 1 {
		labels := make([]string, len(cands))
		for i, b := range cands {
			labels[i] = b.Name + branchNote(b)
		}
		n, err := pickOne(f, "Switch to which branch?", labels)
		if err != nil {
			return err
		}
		target = cands[n]
	}
	if target.Current {
		f.IO.Eprintf("kickoff: already on %s\n", target.Name)
		_, err := fmt.Fprintln(f.IO.Out, target.Name)
		return err
	}
	rev := target.Name
	if !target.Local {
		rev = env.Remote + "/" + target.Name
	}
	hit, err := env.Repo.Overwritten(ctx, rev)
	if err != nil {
		return err
	}
	if len(hit) > 0 {
		return fmt.Errorf("%w: switching to %s would overwrite %s; commit or stash them first", kickoff.ErrDirty, target.Name, strings.Join(hit, ", "))
	}
	if target.Local {
		err = env.Repo.Switch(ctx, target.Name)
	} else {
		err = env.Repo.SwitchTrack(ctx, target.Name, env.Remote)
	}
	if err != nil {
		return fmt.Errorf("switch to %s: %w", target.Name, err)
	}
	if target.Local {
		f.IO.Eprintf("kickoff: switched to %s\n", target.Name)
	} else {
		f.IO.Eprintf("kickoff: switched to %s, a new local branch tracking %s\n", target.Name, rev)
	}
	_, err = fmt.Fprintln(f.IO.Out, target.Name)
	return err
}

// branchNote says where a branch is and what it belongs to, for the picker.
func branchNote(b kickoff.Branch) string {
	var notes []string
	if b.Kind == kickoff.KindFeature && b.Kickoff != "" {
		notes = append(notes, "of "+b.Kickoff)
	}
	if !b.Local {
		notes = append(notes, "remote only")
	}
	if b.Current {
		notes = append(notes, "current")
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, ", ") + ")"
}

func printBranches(f *Factory, bs []kickoff.Branch, asJSON bool) error {
	if asJSON {
		out := make([]switchBranch, len(bs))
		for i, b := range bs {
			out[i] = switchBranch{Name: b.Name, Kind: b.Kind, Kickoff: b.Kickoff, Local: b.Local, Remote: b.Remote, Current: b.Current}
			if b.Kind == kickoff.KindKickoff {
				out[i].Kickoff = ""
			}
		}
		return f.IO.JSON(out)
	}
	t := f.IO.NewTable("BRANCH", "KIND", "KICKOFF", "WHERE")
	for _, b := range bs {
		where := "local"
		switch {
		case b.Local && b.Remote:
			where = "local, remote"
		case !b.Local:
			where = "remote"
		}
		name := b.Name
		if b.Current {
			name = f.IO.Bold(name)
		}
		k := b.Kickoff
		if b.Kind == kickoff.KindKickoff {
			k = "-"
		} else if k == "" {
			k = "?"
		}
		t.Row(name, b.Kind, k, where)
	}
	return t.Render()
}

// pickOne asks on the terminal which of items to use and returns its index.
func pickOne(f *Factory, question string, items []string) (int, error) {
	f.IO.Eprintf("%s\n", question)
	for i, it := range items {
		f.IO.Eprintf("  %d) %s\n", i+1, it)
	}
	f.IO.Eprintf("Number (1-%d): ", len(items))
	line, err := bufio.NewReader(f.IO.In).ReadString('\n')
	if err != nil && line == "" {
		return 0, fmt.Errorf("nothing chosen: give the name instead")
	}
	n, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || n < 1 || n > len(items) {
		return 0, FlagErrorf("%q is not a number from 1 to %d", strings.TrimSpace(line), len(items))
	}
	return n - 1, nil
}
