package cli

import (
	"fmt"
	"strings"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/platform"
	"github.com/kickoffhq/kickoff/internal/radar"
)

// conflictsPlatformJSON is `kickoff conflicts --json` in a platform of several
// repositories: this repository's report at the top (as without repos:), every
// repository's report, and the platform's verdict per pair.
type conflictsPlatformJSON struct {
	*radar.Report
	Repos    []radar.RepoReport   `json:"repos"`
	Platform []radar.PlatformPair `json:"platform"`
}

// conflictsAcross runs the radar in every repository of the platform (each fetched
// first: the bare clones in the cache are filled), main and the live kickoffs of each,
// and shows one matrix per repository, then which pairs conflict anywhere.
func conflictsAcross(opts *ConflictsOptions, plat *platform.Platform, cfg *config.Config) error {
	f, ctx := opts.F, opts.Ctx
	env, _, err := lifecycleEnv(f)
	if err != nil {
		return err
	}
	ms := plat.Members(plat.Repos, env)
	if err := platform.Connect(ctx, ms); err != nil {
		return err
	}
	out := conflictsPlatformJSON{Repos: []radar.RepoReport{}}
	for _, m := range ms {
		mc := *cfg
		mc.Remote = m.Remote
		refs, err := radar.Selection(m.Repo, mc.Main, mc.Remote, opts.Base, nil)
		if err != nil {
			return m.Errorf(err)
		}
		rep := &radar.Report{Refs: []radar.RefInfo{}, Pairs: []radar.Pair{}}
		if len(refs) >= 2 {
			if rep, err = runRadar(ctx, f.IO, m.Repo, &mc, refs, nil); err != nil {
				return m.Errorf(err)
			}
			if m.Via == platform.ViaCache {
				// The cache's branches are the remote's: nothing in it is unpushed work.
				for i := range rep.Refs {
					rep.Refs[i].Local = false
				}
			} else {
				noteLocal(f.IO, rep.Refs, mc.Remote)
			}
		}
		out.Repos = append(out.Repos, radar.RepoReport{Repo: m.Name, Report: rep})
		if m.Current {
			out.Report = rep
		}
	}
	out.Platform = radar.Summarize(out.Repos)
	clean := true
	for _, p := range out.Platform {
		clean = clean && p.Clean
	}
	if opts.JSON {
		if err := f.IO.JSON(out); err != nil {
			return err
		}
	} else if err := printConflictsAcross(f, out); err != nil {
		return err
	}
	if !clean && !opts.ExitZero {
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

// printConflictsAcross shows each repository's matrix under its name, then the platform's
// summary: every pair, clean or where it conflicts.
func printConflictsAcross(f *Factory, out conflictsPlatformJSON) error {
	io := f.IO
	for _, r := range out.Repos {
		fmt.Fprintf(io.Out, "%s\n", io.Bold("repository "+r.Repo))
		if len(r.Pairs) == 0 {
			fmt.Fprintf(io.Out, "nothing to compare: no live kickoffs\n\n")
			continue
		}
		if err := printConflicts(io, r.Report); err != nil {
			return err
		}
		fmt.Fprintln(io.Out)
	}
	fmt.Fprintf(io.Out, "%s\n", io.Bold("platform"))
	t := io.NewTable("a", "b", "verdict")
	for _, p := range out.Platform {
		verdict := io.Green("clean") + " in " + strings.Join(p.In, ", ")
		if !p.Clean {
			verdict = io.Red("conflicts") + " in " + strings.Join(p.ConflictedIn, ", ")
		}
		t.Row(p.A, p.B, verdict)
	}
	return t.Render()
}

// conflictsPlatform opens the platform's repositories (repos:).
func conflictsPlatform(f *Factory, cfg *config.Config) (*platform.Platform, error) {
	env, _, err := lifecycleEnv(f)
	if err != nil {
		return nil, err
	}
	return platformOf(f, env, cfg)
}
