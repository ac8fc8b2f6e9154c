package slot

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// DefaultPruneKeep is how many of each slot's newest deploys keep their images on a prune.
const DefaultPruneKeep = 3

// service checks that name is an app or another service (a database) of the slot's compose
// file, after making sure the file is on this machine. The slot must run something.
func (s *Service) service(ctx context.Context, slot, name string) error {
	st, err := s.read(ctx, slot)
	if err != nil {
		return err
	}
	if st.Current == nil {
		return fmt.Errorf("%s runs nothing: release a kickoff there first", slot)
	}
	if err := s.materialize(ctx, slot, st.Current); err != nil {
		return err
	}
	if name == "" {
		return nil
	}
	if _, ok := s.Cfg.Apps[name]; ok {
		return nil
	}
	names := s.Cfg.AppNames()
	for _, v := range s.fileServices(slot) {
		if v.Name == name {
			return nil
		}
		names = append(names, v.Name)
	}
	return fmt.Errorf("%s runs no service %q: its apps and services are %s", slot, name, strings.Join(names, ", "))
}

// Exec runs argv in the running container of the slot's app or service, on the slot's
// Docker host; with tty, on a terminal (an interactive shell). The command's exit status
// comes back as an *exec.ExitError.
func (s *Service) Exec(ctx context.Context, slot, name string, tty bool, argv []string, in io.Reader, out, errw io.Writer) error {
	eng, err := s.serviceEngine(ctx, slot, name)
	if err != nil {
		return err
	}
	return eng.Exec(ctx, s.Project(slot), s.composeFile(slot), name, tty, argv, in, out, errw)
}

// HostDisk is the disk use of one Docker host.
type HostDisk struct {
	Host  string              `json:"host"` // empty: the local engine
	Usage []compose.DiskUsage `json:"usage"`
	Error string              `json:"error,omitempty"`
}

// Disk is the disk use of the slot's Docker host (`docker system df`).
func (s *Service) Disk(ctx context.Context, slot string) HostDisk {
	d := HostDisk{Host: s.Cfg.Hosts[slot], Usage: []compose.DiskUsage{}}
	eng, err := s.Engine(slot)
	if err == nil {
		var u []compose.DiskUsage
		if u, err = eng.Disk(ctx); err == nil && u != nil {
			d.Usage = u
		}
	}
	if err != nil {
		d.Error = err.Error()
	}
	return d
}

// PruneOptions are what `kickoff slot prune` asks for.
type PruneOptions struct {
	Keep   int // each slot's newest deploys whose images stay; <= 0 means DefaultPruneKeep
	DryRun bool
}

// PrunedHost is what a prune removed (or, dry, would remove) on one Docker host.
type PrunedHost struct {
	Host    string        `json:"host"` // empty: the local engine
	Slots   []string      `json:"slots"`
	Removed []PrunedImage `json:"removed"`
	Kept    int           `json:"kept"` // the apps' images that stay
}

// PrunedImage is one image a prune removed.
type PrunedImage struct {
	ID    string   `json:"id"`
	Refs  []string `json:"refs"`
	Size  string   `json:"size,omitempty"`
	Error string   `json:"error,omitempty"` // the engine refused it
}

// Prune removes, on every slot's Docker host, the images of the configured apps that no
// ledger record of each slot's last Keep deploys references (by digest) and no container of
// that engine uses, running or stopped. Images of other repositories are never looked at.
// Every slot of a host is locked meanwhile, so a release's fresh pull is never removed.
func (s *Service) Prune(ctx context.Context, o PruneOptions) ([]PrunedHost, error) {
	keep := o.Keep
	if keep <= 0 {
		keep = DefaultPruneKeep
	}
	recs, err := s.Ledger.List(ctx, ledger.Filter{Limit: -1})
	if err != nil {
		return nil, fmt.Errorf("read the ledger: %w", err)
	}
	kept := keepDigests(recs, keep)
	var repos []string
	for _, name := range s.Cfg.AppNames() {
		repos = append(repos, s.Cfg.Registry+"/"+repoOf(s.Cfg.Apps[name].Image))
	}
	var hosts []string
	slotsOf := map[string][]string{}
	for _, slot := range s.Cfg.Slots {
		h := s.Cfg.Hosts[slot]
		if _, seen := slotsOf[h]; !seen {
			hosts = append(hosts, h)
		}
		slotsOf[h] = append(slotsOf[h], slot)
	}
	var out []PrunedHost
	for _, h := range hosts {
		p, err := s.pruneHost(ctx, slotsOf[h], repos, kept, o.DryRun)
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
	return out, nil
}

// keepDigests are the image digests of each slot's newest keep successful deploys.
func keepDigests(recs []ledger.Record, keep int) map[string]bool {
	n := map[string]int{}
	digests := map[string]bool{}
	for _, r := range recs { // newest first
		if r.Outcome != ledger.OutcomeSucceeded || len(r.Apps) == 0 || n[r.Slot] >= keep ||
			(r.Action != ledger.ActionRelease && r.Action != ledger.ActionRollback) {
			continue
		}
		n[r.Slot]++
		for _, a := range r.Apps {
			if a.Digest != "" {
				digests[a.Digest] = true
			}
		}
	}
	return digests
}

func (s *Service) pruneHost(ctx context.Context, slots, repos []string, kept map[string]bool, dry bool) (PrunedHost, error) {
	p := PrunedHost{Host: s.Cfg.Hosts[slots[0]], Slots: slots, Removed: []PrunedImage{}}
	where := p.Host
	if where == "" {
		where = "the local engine"
	}
	if !dry {
		for _, slot := range slots {
			lk, err := s.lock(ctx, slot, "prune", lockWait(false, 0))
			if err != nil {
				return p, err
			}
			defer lk.Unlock()
		}
	}
	eng, err := s.Engine(slots[0])
	if err != nil {
		return p, err
	}
	imgs, err := eng.Images(ctx, repos)
	if err != nil {
		return p, fmt.Errorf("list the images on %s: %w", where, err)
	}
	used, err := eng.UsedImages(ctx)
	if err != nil {
		return p, fmt.Errorf("list the containers on %s: %w", where, err)
	}
	for _, img := range imgs {
		if used[img.ID] || slices.ContainsFunc(img.Refs, func(ref string) bool {
			_, digest, ok := strings.Cut(ref, "@")
			return ok && kept[digest]
		}) {
			p.Kept++
			continue
		}
		pi := PrunedImage{ID: img.ID, Refs: img.Refs, Size: img.Size}
		if !dry {
			if err := eng.RemoveImage(ctx, img); err != nil {
				pi.Error = err.Error()
			}
		}
		p.Removed = append(p.Removed, pi)
	}
	return p, nil
}
