package compose

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A side-by-side switch (routing.switch) starts a service's new container beside the running
// one, on the other port of the service's published range, from the same compose file: Compose
// scales the service to two without recreating the old container, so the new one has the
// file's configuration and the old one keeps serving until it is retired.

// Running is a running container of a service and the host port it publishes.
type Running struct {
	ID   string
	Port int // the host port published for the service's target port; 0 when none
}

// RunningOf lists the running containers of project's service, newest first, each with the
// host port it publishes for target.
func (e *Engine) RunningOf(ctx context.Context, project, service string, target int) ([]Running, error) {
	out, err := e.run(ctx, "docker", "ps", "--no-trunc",
		"--filter", "label=com.docker.compose.project="+project,
		"--filter", "label=com.docker.compose.service="+service,
		"--format", "{{.ID}}|{{.Ports}}")
	if err != nil {
		return nil, err
	}
	re := regexp.MustCompile(`:(\d+)->` + strconv.Itoa(target) + `/tcp`)
	var rs []Running
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		id, ports, ok := strings.Cut(line, "|")
		if !ok {
			continue
		}
		r := Running{ID: id}
		if m := re.FindStringSubmatch(ports); m != nil {
			r.Port, _ = strconv.Atoi(m[1])
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// StartBeside starts a new container of each service from file beside its running one: the
// old containers are left as they are (Compose's --no-recreate), the others not touched.
func (e *Engine) StartBeside(ctx context.Context, project, file string, services ...string) error {
	args := []string{"up", "-d", "--no-deps", "--no-recreate", "--no-build"}
	for _, s := range services {
		args = append(args, "--scale", s+"=2")
	}
	_, err := e.compose(ctx, project, file, append(args, services...)...)
	return err
}

// Retire stops containers (their requests in flight finish: SIGTERM, then 10 seconds) and
// removes them.
func (e *Engine) Retire(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := e.run(ctx, "docker", append([]string{"stop", "-t", "10"}, ids...)...); err != nil {
		return fmt.Errorf("stop the old containers: %w", err)
	}
	if _, err := e.run(ctx, "docker", append([]string{"rm", "-v"}, ids...)...); err != nil {
		return fmt.Errorf("remove the old containers: %w", err)
	}
	return nil
}
