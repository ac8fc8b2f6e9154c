package cli

import (
	"context"
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/web"
)

// newDashboard builds the dashboard over the configured ledger and this repository.
func newDashboard(ctx context.Context, f *Factory) (*web.Server, error) {
	st, cfg, err := openLedger(ctx, f)
	if err != nil {
		return nil, err
	}
	loc, _ := cfg.Location()
	s := &web.Server{Ledger: st, Slots: cfg.Slots, Now: f.Now, Loc: loc, JiraURL: config.Site(cfg.Jira.URL)}
	if repo, err := f.Repo(); err == nil {
		s.Matrix = conflictHeatmap(repo, cfg)
		if len(cfg.Repos) > 0 {
			if s.Repos, s.RepoMatrix, err = platformHeatmaps(f, cfg); err != nil {
				return nil, err
			}
		}
		s.Kickoffs = func(ctx context.Context) ([]web.KickoffInfo, error) { return dashboardKickoffs(ctx, f, repo, cfg) }
	}
	// The board probes each slot's apps live; without the slots their health is unknown.
	if svc, err := slotService(f); err == nil {
		s.Health = func(ctx context.Context, name string) map[string]ledger.Health {
			h, _ := svc.Health(ctx, name)
			return h
		}
	}
	return s, nil
}

// dashboardKickoffs are the live kickoffs with their platform versions, by name. The
// versions are left out when they cannot be read.
func dashboardKickoffs(ctx context.Context, f *Factory, repo *gitrepo.Repo, cfg *config.Config) ([]web.KickoffInfo, error) {
	ks, err := kickoff.List(repo, cfg.Remote, false)
	if err != nil {
		return nil, fmt.Errorf("list kickoffs: %w", err)
	}
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = k.Name.String()
	}
	var versions map[string]string
	if vs, err := versionStore(f); err == nil {
		if b, err := vs.Read(ctx); err == nil {
			versions = b.VersionsOf(names)
		}
	}
	out := make([]web.KickoffInfo, len(ks))
	for i, k := range ks {
		out[i] = web.KickoffInfo{Name: names[i], Head: k.Head.String(), Version: versions[names[i]]}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func newCmdDashboard(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dashboard <command>",
		Short: "Publish the deploy dashboard",
		Long: "The dashboard (slot board, history, kickoffs and conflicts) is served by `kickoff serve`\n" +
			"at /; `kickoff dashboard export DIR` writes the same pages and JSON as static files.",
		Args: subcommandArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newCmdDashboardExport(f, nil))
	return cmd
}
