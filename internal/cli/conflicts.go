package cli

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/radar"
	"github.com/kickoffhq/kickoff/internal/term"
)

// ConflictsOptions are the inputs of `kickoff conflicts`.
type ConflictsOptions struct {
	F         *Factory        // streams, environment, clock and the services built from them
	Ctx       context.Context // the command's context, set when it runs
	Refs      []string        // empty: main (or --base) and every live kickoff
	Fetch     bool            // fetch from the remote first
	PairsFile string          // hidden: "A B" per line, exactly those pairs (scripts/merge-oracle.sh)
	Base      string
	JSON      bool
	ExitZero  bool
}

func newCmdConflicts(f *Factory, runF func(*ConflictsOptions) error) *cobra.Command {
	opts := &ConflictsOptions{F: f}
	cmd := &cobra.Command{
		Use:   "conflicts [REF...]",
		Short: "Find merge conflicts between live kickoffs and main before anyone merges",
		Long: `Merge every pair of refs in memory (nothing is written to the work tree, the index
or refs) and report clean pairs, conflicted paths with their kind and line ranges, and
overlaps: files both sides changed at the same or neighbouring lines that still merge.

With no REF: main (or --base) and every live kickoff. With REFs: exactly those (plus
--base when given); branches, remote branches, tags, commit ids or any git revision
(HEAD~3, A^2, an abbreviated id).

Branches are compared as the team pushed them: origin/main and the remote-tracking
kickoff branches. A local branch with commits not pushed yet is compared at its local
tip and marked local; a local branch behind the remote is never read. --fetch fetches
first.

Exit status: 0 when every pair merges cleanly, 1 when any pair conflicts (or on error),
unless --exit-zero.`,
		Example: `  kickoff conflicts
  kickoff conflicts --json | jq '.pairs[] | select(.clean | not)'
  kickoff conflicts main feature/PROJ-7-login kickoff-240510-dashboard`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Refs = cmd.Context(), args
			if runF != nil {
				return runF(opts)
			}
			return conflictsRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the report as JSON (schema in README.md)")
	cmd.Flags().StringVar(&opts.Base, "base", "", "the trunk to include (default: the configured main branch)")
	cmd.Flags().BoolVar(&opts.Fetch, "fetch", false, "fetch from the remote first (offline: say so and compare what is here)")
	cmd.Flags().BoolVar(&opts.ExitZero, "exit-zero", false, "exit 0 even when pairs conflict (report only)")
	cmd.Flags().StringVar(&opts.PairsFile, "pairs-from", "", "compare exactly the pairs listed in `FILE`, \"A B\" per line")
	_ = cmd.Flags().MarkHidden("pairs-from")
	return cmd
}

func conflictsRun(opts *ConflictsOptions) error {
	f, ctx := opts.F, opts.Ctx
	repo, cfg, err := f.RepoConfig()
	if err != nil {
		return err
	}
	if len(cfg.Repos) > 0 && len(opts.Refs) == 0 && opts.PairsFile == "" {
		if plat, err := conflictsPlatform(f, cfg); err != nil || !plat.Single() {
			if err != nil {
				return err
			}
			return conflictsAcross(opts, plat, cfg)
		}
	}
	if opts.Fetch {
		if err := fetchFirst(ctx, f.IO, repo, cfg, f.Getenv); err != nil {
			return err
		}
	}
	var refs []radar.Ref
	var pairs [][2]int
	if opts.PairsFile != "" {
		if len(opts.Refs) > 0 || opts.Base != "" {
			return FlagErrorf("--pairs-from takes no REF and no --base")
		}
		var names []string
		if names, pairs, err = readPairs(opts.PairsFile); err != nil {
			return err
		}
		refs = radar.TeamRefs(repo, cfg.Main, cfg.Remote, names)
	} else if refs, err = radar.Selection(repo, cfg.Main, cfg.Remote, opts.Base, opts.Refs); err != nil {
		return err
	}
	if len(refs) < 2 && len(opts.Refs) == 0 && opts.PairsFile == "" {
		// No live kickoff beside the trunk: an empty report, not a mistake of the user's.
		return conflictsNone(opts, repo, cfg, refs)
	}
	if len(refs) < 2 {
		only := ""
		if len(refs) == 1 {
			only = refs[0].Name
		}
		return FlagErrorf("nothing to compare: %s is the only ref (no live kickoffs?); name two or more refs, e.g. `kickoff conflicts main my-branch`", only)
	}
	rep, err := runRadar(ctx, f.IO, repo, cfg, refs, pairs)
	if err != nil {
		return err
	}
	noteLocal(f.IO, rep.Refs, cfg.Remote)
	if opts.JSON {
		if err := f.IO.JSON(rep); err != nil {
			return err
		}
	} else if err := printConflicts(f.IO, rep); err != nil {
		return err
	}
	if !rep.Clean() && !opts.ExitZero {
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

// conflictsNone reports that there is nothing to compare: on stderr, or as the report with
// the trunk and no pairs (--json); exit 0.
func conflictsNone(opts *ConflictsOptions, repo *gitrepo.Repo, cfg *config.Config, refs []radar.Ref) error {
	f := opts.F
	if !opts.JSON {
		f.IO.Eprintf("kickoff: nothing to compare: no live kickoffs (name refs to compare, e.g. `kickoff conflicts main my-branch`)\n")
		return nil
	}
	e, err := openRadar(opts.Ctx, f.IO, repo, cfg)
	if err != nil {
		return err
	}
	defer e.Close()
	infos, err := e.ResolveRefs(refs)
	if err != nil {
		return err
	}
	return f.IO.JSON(&radar.Report{Refs: orEmpty(infos), Pairs: []radar.Pair{}})
}

// openRadar opens the radar of the repository for a command (conflicts, check), with its
// cache in the state folder and progress on a terminal. Such a command is over in a
// fraction of a second, so the garbage collector runs less often: the radar's heap stays
// small (tens of MB), but starting from Go's 4 MB target it is collected many times on the
// way (GOGC=400: 6-8% less wall time for a first run on a 20,000-file repository, a few
// MB more at peak). A GOGC setting wins.
func openRadar(ctx context.Context, io *term.IO, repo *gitrepo.Repo, cfg *config.Config) (*radar.Engine, error) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	return radar.Open(ctx, repo, radar.Options{
		CacheDir: repo.StateDir(cfg.StateDir),
		Remote:   cfg.Remote,
		Main:     cfg.Main,
		Progress: func(done, total int) { io.Count("merging pairs", done, total) },
	})
}

// fetchFirst is --fetch: the lifecycle commands' fetch, timeout and offline message.
func fetchFirst(ctx context.Context, io *term.IO, repo *gitrepo.Repo, cfg *config.Config, getenv func(string) string) error {
	env := &kickoff.Env{Repo: repo, Main: cfg.Main, Remote: cfg.Remote, Getenv: getenv,
		Notef: func(format string, a ...any) { io.Eprintf("kickoff: "+format, a...) }}
	return env.Connect(ctx)
}

// noteLocal says on stderr which refs are local work not pushed to the remote.
func noteLocal(io *term.IO, refs []radar.RefInfo, remote string) {
	for _, r := range refs {
		if r.Local {
			io.Eprintf("kickoff: %s is compared at its local tip (%s), which has commits not pushed to %s\n", r.Name, gitrepo.ShortID(r.Commit), remote)
		}
	}
}

// runRadar compares the refs: all pairs, or the given ones.
func runRadar(ctx context.Context, io *term.IO, repo *gitrepo.Repo, cfg *config.Config, names []radar.Ref, pairs [][2]int) (*radar.Report, error) {
	e, err := openRadar(ctx, io, repo, cfg)
	if err != nil {
		return nil, err
	}
	defer e.Close()
	refs, err := e.ResolveRefs(names)
	if err != nil {
		return nil, err
	}
	if pairs == nil {
		pairs = radar.AllPairs(len(refs))
	}
	return e.Compare(ctx, refs, pairs)
}

// readPairs reads "A B" lines into the refs they name and the pairs as indexes.
func readPairs(path string) ([]string, [][2]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	idx := map[string]int{}
	var names []string
	var pairs [][2]int
	at := func(n string) int {
		i, ok := idx[n]
		if !ok {
			i = len(names)
			idx[n] = i
			names = append(names, n)
		}
		return i
	}
	for ln, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return nil, nil, fmt.Errorf("%s:%d: want two refs, got %q", path, ln+1, line)
		}
		pairs = append(pairs, [2]int{at(f[0]), at(f[1])})
	}
	return names, pairs, nil
}

// printConflicts shows the matrix (a table on a terminal, one line per pair otherwise),
// then the details of every pair that conflicts or overlaps.
func printConflicts(io *term.IO, rep *radar.Report) error {
	if io.IsStdoutTTY() {
		header := []string{"#", "ref", ""}
		for i := range rep.Refs {
			header = append(header, strconv.Itoa(i+1))
		}
		t := io.NewTable(header...)
		for i, row := range rep.Matrix() {
			cells := []string{strconv.Itoa(i + 1), rep.Refs[i].Name, localMark(io, rep.Refs[i].Local)}
			for j, c := range row {
				cells = append(cells, matrixCell(io, i == j, c))
			}
			t.Row(cells...)
		}
		if err := t.Render(); err != nil {
			return err
		}
		fmt.Fprintf(io.Out, "\n%s: clean   N: conflicted files   ~N: overlapping files\n", io.Green("ok"))
	} else {
		t := io.NewTable("a", "b", "verdict")
		for _, p := range rep.Pairs {
			t.Row(p.A, p.B, term.Clean(p.Summary()))
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	for _, p := range rep.Pairs {
		if p.Clean && len(p.Overlaps) == 0 {
			continue
		}
		fmt.Fprintf(io.Out, "\n%s %s %s: %s\n", io.Bold(p.A), io.Dim("x"), io.Bold(p.B), term.Clean(p.Summary()))
		printPairDetails(io, p)
	}
	return nil
}

// printPairDetails lists a pair's conflicts and overlaps with the commits behind them.
func printPairDetails(io *term.IO, p radar.Pair) {
	for _, c := range p.Conflicts {
		fmt.Fprintf(io.Out, "  %s  %s%s\n", io.Red(fmt.Sprintf("%-14s", c.Kind)), term.Clean(c.Path), rangesText(c.Ours, c.Theirs))
		printTouches(io, "ours", p.A, c.OursBy)
		printTouches(io, "theirs", p.B, c.TheirsBy)
	}
	for _, o := range p.Overlaps {
		fmt.Fprintf(io.Out, "  %s  %s%s\n", io.Yellow(fmt.Sprintf("%-14s", "overlap")), term.Clean(o.Path), rangesText(o.Ours, o.Theirs))
		printTouches(io, "ours", p.A, o.OursBy)
		printTouches(io, "theirs", p.B, o.TheirsBy)
	}
}

// localMark is the table column that marks unpushed work.
func localMark(io *term.IO, local bool) string {
	if local {
		return io.Yellow("local")
	}
	return ""
}

func matrixCell(io *term.IO, diagonal bool, c radar.Cell) string {
	if diagonal {
		return io.Dim("·")
	}
	s := io.Green("ok")
	if !c.Clean {
		s = io.Red(strconv.Itoa(c.Conflicts))
	}
	if c.Overlaps > 0 {
		s += io.Yellow("~" + strconv.Itoa(c.Overlaps))
	}
	return s
}

func rangesText(ours, theirs []radar.Range) string {
	var b strings.Builder
	if len(ours) > 0 {
		b.WriteString("  ours " + radar.FormatRanges(ours))
	}
	if len(theirs) > 0 {
		b.WriteString("  theirs " + radar.FormatRanges(theirs))
	}
	return b.String()
}

func printTouches(io *term.IO, side, ref string, ts []radar.Touch) {
	for _, t := range ts {
		jira := ""
		if len(t.Jira) > 0 {
			jira = "  " + strings.Join(t.Jira, ",")
		}
		fmt.Fprintf(io.Out, "      %-6s %s %s <%s>%s  %s\n", side, io.Dim(gitrepo.ShortID(t.Commit)), term.Clean(t.Author), term.Clean(t.Email), term.Clean(jira), term.Clean(t.Summary))
	}
}
