package compose

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// Exec runs argv in the running container of a project's service (`compose exec`), its
// streams joined to in, out and errw; with tty a terminal is allocated (an interactive
// shell), else none (-T: output for pipes and scripts). The command's own exit status comes
// back as an *exec.ExitError.
//
// On a swarm engine it is `docker exec` in the service's running task on this host.
func (e *Engine) Exec(ctx context.Context, project, file, service string, tty bool, argv []string, in io.Reader, out, errw io.Writer) error {
	var name, args []string
	if e.Swarm() {
		id, err := e.runningTask(ctx, project, service)
		if err != nil {
			return err
		}
		name, args = []string{"docker"}, []string{"exec", "-i"}
		if tty {
			args = append(args, "-t")
		}
		args = append(args, id)
	} else {
		name = e.Command
		args = append(append([]string(nil), name[1:]...), "-p", project, "-f", file, "exec")
		if !tty {
			args = append(args, "-T")
		}
		args = append(args, service)
	}
	args = append(args, argv...)
	cmd := e.command(ctx, name[0], args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = in, out, errw
	start := time.Now()
	err := waited(cmd.Run())
	logCall(name[0], args, start, err)
	return err
}

// Image is one image the engine holds: its ID and every reference it is known by
// (repository:tag and repository@digest).
type Image struct {
	ID   string
	Refs []string
	Size string // as the engine words it, e.g. 12.3MB
}

// Images lists the engine's images of the given repositories (registry/name, no tag), by
// ID, each with all its references.
func (e *Engine) Images(ctx context.Context, repos []string) ([]Image, error) {
	if len(repos) == 0 {
		return nil, nil
	}
	out, err := e.run(ctx, "docker", "image", "ls", "--no-trunc", "--digests",
		"--format", "{{.ID}}|{{.Repository}}|{{.Tag}}|{{.Digest}}|{{.Size}}")
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, r := range repos {
		want[r] = true
	}
	byID := map[string]*Image{}
	var order []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "|")
		if len(f) != 5 || !want[f[1]] {
			continue
		}
		img := byID[f[0]]
		if img == nil {
			img = &Image{ID: f[0], Size: f[4]}
			byID[f[0]] = img
			order = append(order, f[0])
		}
		if f[2] != "" && f[2] != "<none>" {
			img.addRef(f[1] + ":" + f[2])
		}
		if f[3] != "" && f[3] != "<none>" {
			img.addRef(f[1] + "@" + f[3])
		}
	}
	imgs := make([]Image, 0, len(order))
	for _, id := range order {
		imgs = append(imgs, *byID[id])
	}
	return imgs, nil
}

func (i *Image) addRef(ref string) {
	for _, r := range i.Refs {
		if r == ref {
			return
		}
	}
	i.Refs = append(i.Refs, ref)
}

// UsedImages are the IDs of the images of every container of the engine, running or
// stopped: an image a container uses is never removed.
func (e *Engine) UsedImages(ctx context.Context) (map[string]bool, error) {
	out, err := e.run(ctx, "docker", "ps", "-aq", "--no-trunc")
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	ids := strings.Fields(out)
	if len(ids) == 0 {
		return used, nil
	}
	out, err = e.run(ctx, "docker", append([]string{"container", "inspect", "--format", "{{.Image}}"}, ids...)...)
	if err != nil {
		// A container removed between the two calls: what remains is asked again.
		var ce *CommandError
		if !errors.As(err, &ce) {
			return nil, err
		}
	}
	for _, id := range strings.Fields(out) {
		if strings.HasPrefix(id, "sha256:") {
			used[id] = true
		}
	}
	return used, nil
}

// RemoveImage removes an image by all its references (never forced: the engine refuses an
// image a container uses).
func (e *Engine) RemoveImage(ctx context.Context, img Image) error {
	refs := img.Refs
	if len(refs) == 0 {
		refs = []string{img.ID}
	}
	_, err := e.run(ctx, "docker", append([]string{"image", "rm"}, refs...)...)
	return err
}

// DiskUsage is one line of `docker system df`: images, containers, local volumes or the
// build cache, as the engine words the sizes.
type DiskUsage struct {
	Type        string `json:"type"`
	Total       int    `json:"total"`
	Active      int    `json:"active"`
	Size        string `json:"size"`
	Reclaimable string `json:"reclaimable"`
}

// Disk reports the engine's disk use (`docker system df`).
func (e *Engine) Disk(ctx context.Context) ([]DiskUsage, error) {
	out, err := e.run(ctx, "docker", "system", "df", "--format", "{{json .}}")
	if err != nil {
		return nil, err
	}
	var du []DiskUsage
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var line struct {
			Type, TotalCount, Active, Size, Reclaimable string
		}
		if json.Unmarshal([]byte(sc.Text()), &line) != nil || line.Type == "" {
			continue
		}
		d := DiskUsage{Type: line.Type, Size: line.Size, Reclaimable: line.Reclaimable}
		d.Total, _ = strconv.Atoi(line.TotalCount)
		d.Active, _ = strconv.Atoi(line.Active)
		du = append(du, d)
	}
	return du, nil
}
