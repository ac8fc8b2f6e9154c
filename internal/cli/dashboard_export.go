package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"
)

// DashboardExportOptions are the inputs of `kickoff dashboard export`.
type DashboardExportOptions struct {
	F    *Factory        // streams, environment, clock and the services built from them
	Ctx  context.Context // the command's context, set when it runs
	Dir  string          // the folder to write into, as the user named it
	JSON bool
}

func newCmdDashboardExport(f *Factory, runF func(*DashboardExportOptions) error) *cobra.Command {
	opts := &DashboardExportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "export DIR",
		Short: "Write the dashboard as static HTML and JSON into DIR",
		Long: `Write the dashboard's pages (index.html, history.html, kickoffs.html, slots/<slot>.html)
and its API as JSON (api/slots.json, api/history.json, ...) into DIR, with relative links,
for an S3 bucket or any static web host. Files already in DIR are overwritten, others kept.`,
		Example: "  kickoff dashboard export public/ && aws s3 sync public/ s3://acme-dashboard/",
		Args:    exactArgs(1, "DIR is the folder to write into"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Dir = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return dashboardExportRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the folder and the files written as JSON")
	return cmd
}

func dashboardExportRun(opts *DashboardExportOptions) error {
	f, ctx := opts.F, opts.Ctx
	s, err := newDashboard(ctx, f)
	if err != nil {
		return err
	}
	dir := opts.Dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(f.Dir, dir)
	}
	files, err := s.Export(ctx, dir)
	if err != nil {
		return err
	}
	sort.Strings(files)
	if opts.JSON {
		out := struct {
			Dir   string   `json:"dir"`
			Files []string `json:"files"` // relative to dir, with forward slashes
		}{opts.Dir, orEmpty(files)}
		return f.IO.JSON(out)
	}
	for _, file := range files {
		fmt.Fprintln(f.IO.Out, filepath.Join(opts.Dir, filepath.FromSlash(file)))
	}
	f.IO.Eprintf("exported the dashboard: %d files in %s\n", len(files), opts.Dir)
	return nil
}
