package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/slot"
	"github.com/kickoffhq/kickoff/internal/term"
)

// SlotStatusOptions are the inputs of `kickoff slot status`.
type SlotStatusOptions struct {
	F    *Factory        // streams, environment, clock and the services built from them
	Ctx  context.Context // the command's context, set when it runs
	Slot string
	JSON bool
}

func newCmdSlotStatus(f *Factory, runF func(*SlotStatusOptions) error) *cobra.Command {
	opts := &SlotStatusOptions{F: f}
	cmd := &cobra.Command{
		Use:   "status SLOT",
		Short: "Show one slot: what runs there, its containers and live health",
		Args:  exactArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Slot = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return slotStatusRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the slot as JSON")
	return cmd
}

func slotStatusRun(opts *SlotStatusOptions) error {
	f, ctx := opts.F, opts.Ctx
	svc, err := slotServiceFor(f, opts.Slot)
	if err != nil {
		return err
	}
	st, err := svc.Status(ctx, opts.Slot, true)
	if err != nil {
		return err
	}
	disk := svc.Disk(ctx, opts.Slot)
	st.Disk = &disk
	if opts.JSON {
		return f.IO.JSON(st)
	}
	out := f.IO.Out
	fmt.Fprintf(out, "slot:     %s (project %s)\n", st.Slot, st.Project)
	if st.Claim != nil {
		fmt.Fprintf(out, "claimed:  %s\n", claimText(st.Claim))
	}
	fmt.Fprintf(out, "disk:     %s\n", diskText(disk))
	if len(st.Apps) == 0 {
		fmt.Fprintln(out, "runs:     nothing")
		return nil
	}
	fmt.Fprintf(out, "kickoff:  %s\n", st.Kickoff)
	if st.Version != "" {
		fmt.Fprintf(out, "version:  %s %s\n", st.Version, st.RC)
	}
	fmt.Fprintf(out, "deployed: %s by %s (%s)\n", st.Current.Time.UTC().Format(time.RFC3339), st.Current.Actor, st.Current.ID)
	t := f.IO.NewTable("APP", "KICKOFF", "COMMIT", "IMAGE", "URL", "CONTAINER", "HEALTH", "DETAIL").Shrink("DETAIL")
	for _, a := range st.Apps {
		t.Row(a.Name, term.Clean(a.Kickoff), orDash(term.Clean(gitrepo.ShortID(a.Commit))), term.Clean(a.Image), a.URL, orDash(a.Container), paintHealth(f, a.Health), orDash(term.Clean(a.Detail)))
	}
	if err := t.Render(); err != nil || len(st.Services) == 0 {
		return err
	}
	// The team's other services (a database): the slot needs them as much as its apps.
	fmt.Fprintln(out)
	t = f.IO.NewTable("SERVICE", "IMAGE", "CONTAINER", "HEALTH", "DETAIL").Shrink("DETAIL")
	for _, v := range st.Services {
		t.Row(v.Name, orDash(v.Image), orDash(v.Container), paintHealth(f, v.Health), orDash(v.Detail))
	}
	return t.Render()
}

// diskText is a host's disk use on one line: "local engine: images 1.2GB, 800MB (66%)
// reclaimable; containers 20MB, 0B reclaimable; ...".
func diskText(d slot.HostDisk) string {
	where := d.Host
	if where == "" {
		where = "local engine"
	}
	if d.Error != "" {
		return where + ": " + firstLine(d.Error)
	}
	var parts []string
	for _, u := range d.Usage {
		parts = append(parts, fmt.Sprintf("%s %s, %s reclaimable", strings.ToLower(u.Type), u.Size, u.Reclaimable))
	}
	return where + ": " + strings.Join(parts, "; ")
}
