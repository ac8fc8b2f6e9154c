package cli

import (
	"context"
	"fmt"
	"sync"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/platform"
	"github.com/kickoffhq/kickoff/internal/radar"
	"github.com/kickoffhq/kickoff/internal/web"
)

// conflictHeatmap is the dashboard's heat map: `kickoff conflicts` over the trunk and every
// live kickoff (radar's cache makes repeated page loads cheap). When the radar fails, or
// even panics, the heat map says why and every other page goes on serving.
func conflictHeatmap(repo *gitrepo.Repo, cfg *config.Config) func(ctx context.Context) (*web.Heatmap, error) {
	return func(ctx context.Context) (h *web.Heatmap, err error) {
		defer func() {
			if r := recover(); r != nil {
				h, err = nil, fmt.Errorf("the conflict radar failed (%v); run `kickoff conflicts -v` to see where", r)
			}
		}()
		rep, err := radar.LiveMatrix(ctx, repo, cfg)
		if err != nil {
			return nil, err
		}
		return heatmapOf(rep), nil
	}
}

// heatmapOf turns radar's report into the dashboard's cells, with the files of each pair.
func heatmapOf(rep *radar.Report) *web.Heatmap {
	h := &web.Heatmap{Refs: make([]string, len(rep.Refs)), Rows: [][]web.HeatCell{}}
	for i, r := range rep.Refs {
		h.Refs[i] = r.Name
		if r.Local {
			h.Local = append(h.Local, r.Name)
		}
	}
	pairs := map[[2]string]radar.Pair{}
	for _, p := range rep.Pairs {
		pairs[[2]string{p.A, p.B}] = p
		pairs[[2]string{p.B, p.A}] = p
	}
	for i, row := range rep.Matrix() {
		out := make([]web.HeatCell, len(row))
		for j, c := range row {
			hc := web.HeatCell{A: c.A, B: c.B, Conflicts: c.Conflicts, Overlaps: c.Overlaps}
			switch {
			case i == j:
				hc.State = web.StateSelf
			case !c.Clean:
				hc.State = web.StateConflict
			case c.Overlaps > 0:
				hc.State = web.StateOverlap
			default:
				hc.State = web.StateClean
			}
			if p, ok := pairs[[2]string{c.A, c.B}]; ok && i != j {
				for _, cf := range p.Conflicts {
					hc.Paths = append(hc.Paths, web.PairPath{Path: cf.Path, Kind: cf.Kind, Message: cf.Message,
						Ours: cf.Ours, Theirs: cf.Theirs, OursBy: cf.OursBy, TheirsBy: cf.TheirsBy})
				}
				for _, ov := range p.Overlaps {
					hc.Paths = append(hc.Paths, web.PairPath{Path: ov.Path, Kind: "overlap",
						Ours: ov.Ours, Theirs: ov.Theirs, OursBy: ov.OursBy, TheirsBy: ov.TheirsBy})
				}
			}
			out[j] = hc
		}
		h.Rows = append(h.Rows, out)
	}
	return h
}

// platformHeatmaps gives the dashboard a heat map per repository of the platform
// (repos:): its names, this one first, and the heat map of one of them. Each repository is
// fetched on its first heat map (the bare clones in the cache are filled then), not on
// every page load.
func platformHeatmaps(f *Factory, cfg *config.Config) ([]string, func(ctx context.Context, repo string) (*web.Heatmap, error), error) {
	env, _, err := lifecycleEnv(f)
	if err != nil {
		return nil, nil, err
	}
	plat, err := platformOf(f, env, cfg)
	if err != nil || plat.Single() {
		return nil, nil, err
	}
	ms := plat.Members(plat.Repos, env)
	var mu sync.Mutex // one fetch at a time; the radar has its own cache
	return plat.Names(), func(ctx context.Context, name string) (*web.Heatmap, error) {
		for _, m := range ms {
			if m.Name != name {
				continue
			}
			mu.Lock()
			err := m.Env.Connect(ctx)
			mu.Unlock()
			if err != nil {
				return nil, m.Errorf(err)
			}
			mc := *cfg
			mc.Remote = m.Remote
			h, err := conflictHeatmap(m.Repo, &mc)(ctx)
			if err != nil {
				return nil, m.Errorf(err)
			}
			if m.Via == platform.ViaCache {
				h.Local = nil // the cache's branches are the remote's
			}
			return h, nil
		}
		return nil, fmt.Errorf("no repository %s in the platform", name)
	}, nil
}
