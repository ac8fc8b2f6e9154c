package compose

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A swarm engine (SwarmMode) runs a slot as a Docker Swarm stack named like the Compose
// project, from the slot's stack file (MarshalStack), through the docker CLI of the slot's
// host, a swarm manager. Docker 20.10's `docker stack deploy` returns before anything runs
// and `docker stack rm` before anything is gone, so both are waited for here.

// Labels swarm puts on a stack's services and their containers.
const (
	LabelStack   = "com.docker.stack.namespace"
	LabelService = "com.docker.swarm.service.name"
)

// stackPoll is how often a stack's tasks are looked at while waiting for them.
const stackPoll = 250 * time.Millisecond

// stackRemoveWait bounds the wait for a removed stack's tasks and networks to be gone.
const stackRemoveWait = 2 * time.Minute

// StackError is a stack service whose tasks did not come to run the wanted image: the
// service (as the file names it), what its tasks did, and their last error.
type StackError struct {
	Stack   string
	Service string
	Image   string
	State   string // the newest task's state, e.g. "Rejected 2 seconds ago"
	TaskErr string // the task's error, e.g. "No such image: ..."
	Err     error  // why the wait ended: a deadline, or the update paused
}

func (e *StackError) Error() string {
	msg := fmt.Sprintf("service %s does not run %s: %v", e.Service, e.Image, e.Err)
	if e.State != "" {
		msg += "; its newest task is " + e.State
	}
	if e.TaskErr != "" {
		msg += ": " + e.TaskErr
	}
	return msg + " (see `docker service ps --no-trunc " + e.Stack + "_" + e.Service + "`)"
}
func (e *StackError) Unwrap() error { return e.Err }

// deployStack deploys file as the stack project and waits until it runs.
func (e *Engine) deployStack(ctx context.Context, project, file string) error {
	if _, err := e.run(ctx, "docker", "stack", "deploy", "-c", file, "--with-registry-auth", "--prune", project); err != nil {
		return err
	}
	return e.waitStack(ctx, project)
}

// stackService is a service of a stack as the engine has it, with its tasks.
type stackService struct {
	Name, Image string
	Replicas    int // -1: global
	Update      string
	UpdateMsg   string
	running     int
	complete    bool
	last        stackTask // the newest task of the wanted image that is not running
}

type stackTask struct{ State, Err string }

// waitStack waits until every service of the stack runs its tasks with the service's image:
// as many running as it wants replicas (a service that ran once to completion counts), or
// fails naming the first service that does not when ctx ends or swarm gave its update up.
func (e *Engine) waitStack(ctx context.Context, project string) error {
	var pending *stackService // of the last look, for when ctx ends during the next one
	for {
		svcs, err := e.stackServices(ctx, project)
		if err != nil {
			if ctx.Err() == nil {
				return err
			}
			if pending != nil {
				return pending.error(project, ctx.Err())
			}
			return fmt.Errorf("wait for stack %s: %w", project, ctx.Err())
		}
		pending = nil
		for i := range svcs {
			s := &svcs[i]
			switch {
			case s.converged():
			case s.Update == "paused" || s.Update == "rollback_completed" || s.Update == "rollback_paused":
				// Swarm gave up on this update (its failure_action): waiting longer changes nothing.
				return s.error(project, fmt.Errorf("swarm's update %s: %s", strings.ReplaceAll(s.Update, "_", " "), s.UpdateMsg))
			case pending == nil:
				pending = s
			}
		}
		if pending == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return pending.error(project, ctx.Err())
		case <-time.After(stackPoll):
		}
	}
}

func (s *stackService) converged() bool {
	if s.Replicas < 0 { // global: a task per node, at least this one
		return s.running > 0
	}
	return s.running >= s.Replicas || (s.running == 0 && s.complete)
}

func (s *stackService) error(project string, err error) *StackError {
	if errors.Is(err, context.DeadlineExceeded) {
		err = errors.New("its tasks did not start in time")
	}
	return &StackError{Stack: project, Service: strings.TrimPrefix(s.Name, project+"_"), Image: s.Image, State: s.last.State, TaskErr: s.last.Err, Err: err}
}

// stackServices reads the stack's services and their tasks.
func (e *Engine) stackServices(ctx context.Context, project string) ([]stackService, error) {
	out, err := e.run(ctx, "docker", "service", "ls", "-q", "--filter", "label="+LabelStack+"="+project)
	if err != nil {
		return nil, err
	}
	ids := strings.Fields(out)
	if len(ids) == 0 {
		return nil, nil
	}
	out, err = e.run(ctx, "docker", append([]string{"service", "inspect", "--format",
		`{{.ID}}|{{.Spec.Name}}|{{.Spec.TaskTemplate.ContainerSpec.Image}}|{{if .Spec.Mode.Replicated}}{{.Spec.Mode.Replicated.Replicas}}{{else}}-1{{end}}|{{if .UpdateStatus}}{{.UpdateStatus.State}}|{{.UpdateStatus.Message}}{{else}}|{{end}}`}, ids...)...)
	if err != nil {
		return nil, err
	}
	var svcs []stackService
	byName := map[string]*stackService{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.SplitN(line, "|", 6)
		if len(f) != 6 {
			continue
		}
		n, _ := strconv.Atoi(f[3])
		svcs = append(svcs, stackService{Name: f[1], Image: f[2], Replicas: n, Update: f[4], UpdateMsg: f[5]})
	}
	for i := range svcs {
		byName[svcs[i].Name] = &svcs[i]
	}
	// Every task, newest first within each slot of a service.
	out, err = e.run(ctx, "docker", append([]string{"service", "ps", "--no-trunc", "--format",
		"{{.Name}}|{{.Image}}|{{.DesiredState}}|{{.CurrentState}}|{{.Error}}"}, ids...)...)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.SplitN(line, "|", 5)
		if len(f) != 5 {
			continue
		}
		name := strings.TrimLeft(f[0], `\_ `) // older tasks of a slot are drawn below it
		if i := strings.LastIndex(name, "."); i > 0 {
			name = name[:i]
		}
		s := byName[name]
		if s == nil || f[1] != s.Image {
			continue
		}
		switch {
		case f[2] == "Running" && strings.HasPrefix(f[3], "Running"):
			s.running++
		case strings.HasPrefix(f[3], "Complete"):
			s.complete = true
		case strings.HasPrefix(f[3], "Shutdown"): // an earlier deploy's, stopped
		case s.last.State == "" || (s.last.Err == "" && f[4] != ""):
			s.last = stackTask{State: f[3], Err: strings.Trim(f[4], `"`)}
		}
	}
	return svcs, nil
}

// removeStack removes the stack and waits until its containers and networks are gone: a
// slot brought down can be deployed again at once, its ports and addresses free.
func (e *Engine) removeStack(ctx context.Context, project string) error {
	out, err := e.run(ctx, "docker", "stack", "rm", project)
	if err != nil && !strings.Contains(out, "Nothing found in stack") {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, stackRemoveWait)
	defer cancel()
	filter := "label=" + LabelStack + "=" + project
	for {
		cs, err := e.run(ctx, "docker", "ps", "-aq", "--filter", filter)
		if err == nil {
			var nets string
			nets, err = e.run(ctx, "docker", "network", "ls", "-q", "--filter", filter)
			if err == nil && strings.TrimSpace(cs) == "" && strings.TrimSpace(nets) == "" {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("stack %s removed, but its containers or networks are still there after %s: see `docker ps -a --filter %s` and `docker network ls --filter %s`", project, stackRemoveWait, filter, filter)
		case <-time.After(stackPoll):
		}
	}
}

// stackContainers lists the stack's containers on this host, one per service: its running
// task's, else its newest (swarm keeps the containers of a few old tasks).
func (e *Engine) stackContainers(ctx context.Context, project string) ([]Container, error) {
	all, err := e.containers(ctx, "label="+LabelStack+"="+project, LabelService, project+"_")
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	var cs []Container
	for _, c := range all { // newest first
		i, ok := seen[c.Service]
		switch {
		case !ok:
			seen[c.Service] = len(cs)
			cs = append(cs, c)
		case cs[i].State != "running" && c.State == "running":
			cs[i] = c
		}
	}
	return cs, nil
}

// runningTask is the container of service's running task on this host.
func (e *Engine) runningTask(ctx context.Context, project, service string) (string, error) {
	out, err := e.run(ctx, "docker", "ps", "-q", "--no-trunc", "--filter", "label="+LabelService+"="+project+"_"+service, "--filter", "status=running")
	if err != nil {
		return "", err
	}
	ids := strings.Fields(out)
	if len(ids) == 0 {
		return "", fmt.Errorf("%s has no running task on this Docker host (a swarm manager): see `docker service ps %s_%s`", service, project, service)
	}
	return ids[0], nil
}

// stackLogs writes the logs of service's tasks (every service's when service is ""), each
// line prefixed with its task, as `docker service logs` gives them.
func (e *Engine) stackLogs(ctx context.Context, project, file, service string, tail int, follow bool, w io.Writer) error {
	services := []string{service}
	if service == "" {
		fs, err := readServicesFile(file)
		if err != nil {
			return err
		}
		services = services[:0]
		for _, s := range fs {
			services = append(services, s.Name)
		}
	}
	var mu sync.Mutex
	sw := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return w.Write(p) })
	errs := make([]error, len(services))
	var wg sync.WaitGroup
	for i, s := range services {
		args := []string{"service", "logs", "--no-trunc"}
		if tail >= 0 {
			args = append(args, "--tail", strconv.Itoa(tail))
		}
		if follow {
			args = append(args, "-f")
		}
		args = append(args, project+"_"+s)
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := e.command(ctx, "docker", args...)
			// Whole lines, so two services' lines never mix.
			pr, pw := io.Pipe()
			cmd.Stdout, cmd.Stderr = pw, pw
			done := make(chan struct{})
			go func() {
				sc := bufio.NewScanner(pr)
				sc.Buffer(make([]byte, 64*1024), 1024*1024)
				for sc.Scan() {
					sw.Write(append(sc.Bytes(), '\n'))
				}
				io.Copy(io.Discard, pr)
				close(done)
			}()
			start := time.Now()
			err := waited(cmd.Run())
			pw.Close()
			<-done
			logCall("docker", args, start, err)
			if err != nil && ctx.Err() == nil {
				errs[i] = &CommandError{Args: append([]string{"docker"}, args...), Err: err}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// readServicesFile is ReadServices of the compose file at path.
func readServicesFile(path string) ([]FileService, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ReadServices(b)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// pullImages pulls the images of services of file (every one's when none given) on the
// host, the manager: the deploy's images are there before swarm schedules a task.
func (e *Engine) pullImages(ctx context.Context, file string, services []string) error {
	fs, err := readServicesFile(file)
	if err != nil {
		return err
	}
	for _, s := range fs {
		if s.Image == "" || (len(services) > 0 && !slices.Contains(services, s.Name)) {
			continue
		}
		if _, err := e.run(ctx, "docker", "pull", "--quiet", s.Image); err != nil {
			return err
		}
	}
	return nil
}

// CheckStack checks, before a swarm deploy changes anything, that the host can run project
// as a stack: it is a swarm manager, and no Compose project of that name runs there (its
// containers hold the slot's ports: a slot moved to swarm is brought down first).
func (e *Engine) CheckStack(ctx context.Context, project string) error {
	if err := e.SwarmManager(ctx); err != nil {
		return err
	}
	out, err := e.run(ctx, "docker", "ps", "-q", "--filter", "label=com.docker.compose.project="+project)
	if err != nil {
		return err
	}
	if strings.TrimSpace(out) != "" {
		return fmt.Errorf("%s runs as a Compose project on the slot's Docker host: bring it down with the compose engine first (`kickoff slot down` before switching engine:), then release", project)
	}
	return nil
}

// SwarmManager checks that the engine is a manager of a swarm, which deploys stacks.
func (e *Engine) SwarmManager(ctx context.Context) error {
	out, err := e.run(ctx, "docker", "info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}")
	if err != nil {
		return err
	}
	if state := strings.TrimSpace(out); state != "active true" {
		return fmt.Errorf("the slot's Docker host is not a swarm manager (swarm %q): run `docker swarm init` there (or join it to the swarm as a manager), or run the slot with engine: compose", state)
	}
	return nil
}
