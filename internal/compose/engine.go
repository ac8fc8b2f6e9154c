package compose

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// Engine runs Compose commands against one Docker host.
type Engine struct {
	// Host is the Docker host (DOCKER_HOST, e.g. ssh://deploy@qa-2); empty means the local engine.
	Host string
	// Command is the Compose command: ["docker", "compose"] or ["docker-compose"].
	Command []string
	// Env is the environment of every command; nil means the process's.
	Env []string
	// SwarmMode: slots run on the host as Docker Swarm stacks (stack.go), not Compose
	// projects (`engine: swarm`, whose values config owns).
	SwarmMode bool
}

// Swarm reports whether the engine deploys slots as Docker Swarm stacks.
func (e *Engine) Swarm() bool { return e.SwarmMode }

// CommandEnv names the variable that overrides the Compose command.
const CommandEnv = "KICKOFF_COMPOSE_COMMAND"

var (
	installedOnce sync.Once
	installed     [][]string
)

// Installed lists the Compose commands found on this machine, probed once: the `docker
// compose` plugin (v2) and Debian's `docker-compose` (v1), those present, in that order.
// The engine tests run once per command listed.
func Installed() [][]string {
	installedOnce.Do(func() {
		if err := exec.Command("docker", "compose", "version").Run(); err == nil {
			installed = append(installed, []string{"docker", "compose"})
		}
		if p, err := exec.LookPath("docker-compose"); err == nil {
			installed = append(installed, []string{p})
		}
	})
	return installed
}

// Detect finds the Compose command: KICKOFF_COMPOSE_COMMAND when set (e.g.
// "docker-compose"; not KICKOFF_COMPOSE, which is the `compose:` key's environment
// overlay), else the first of Installed: the plugin when present, else v1.
func Detect() ([]string, error) {
	if v := os.Getenv(CommandEnv); v != "" {
		return strings.Fields(v), nil
	}
	if cmds := Installed(); len(cmds) > 0 {
		return cmds[0], nil
	}
	return nil, errors.New("neither `docker compose` nor `docker-compose` is installed: install the Docker Compose plugin (or Debian's docker-compose package)")
}

// NewEngine returns an engine for host, a swarm one (see SwarmMode) or one with the detected
// Compose command; a swarm engine runs only docker commands and needs none.
func NewEngine(host string, swarm bool) (*Engine, error) {
	if swarm {
		return &Engine{Host: host, SwarmMode: true}, nil
	}
	cmd, err := Detect()
	if err != nil {
		return nil, err
	}
	return &Engine{Host: host, Command: cmd}, nil
}

// HostName is the name or address where published ports of this engine are reached
// (HostAddress).
func (e *Engine) HostName() string { return HostAddress(e.Host) }

func (e *Engine) env() []string {
	env := e.Env
	if env == nil {
		env = os.Environ()
	}
	env = append([]string(nil), env...)
	if e.Host != "" {
		env = append(env, "DOCKER_HOST="+e.Host)
	}
	return env
}

// CommandError is a failed Compose or docker command with what it printed.
type CommandError struct {
	Args   []string
	Output string
	Err    error
}

func (c *CommandError) Error() string {
	out := strings.TrimSpace(c.Output)
	if lines := strings.Split(out, "\n"); len(lines) > 8 {
		out = strings.Join(lines[len(lines)-8:], "\n")
	}
	return fmt.Sprintf("%s: %v\n%s", strings.Join(c.Args, " "), c.Err, out)
}
func (c *CommandError) Unwrap() error { return c.Err }

func (e *Engine) compose(ctx context.Context, project, file string, args ...string) (string, error) {
	full := append(append([]string(nil), e.Command[1:]...), "-p", project, "-f", file)
	full = append(full, args...)
	return e.run(ctx, e.Command[0], full...)
}

// waitDelay bounds the wait for a command's output once it has exited: Compose v1 on an
// ssh:// host leaves its `ssh` child behind holding the output open.
const waitDelay = 2 * time.Second

// command is an engine command with the engine's environment (its DOCKER_HOST).
func (e *Engine) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = e.env()
	cmd.WaitDelay = waitDelay
	return cmd
}

// waited is a command's outcome: one that succeeded and only left its output held open
// (exec.ErrWaitDelay) succeeded.
func waited(err error) error {
	if errors.Is(err, exec.ErrWaitDelay) {
		return nil
	}
	return err
}

func (e *Engine) run(ctx context.Context, name string, args ...string) (string, error) {
	cmd := e.command(ctx, name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := waited(cmd.Run())
	logCall(name, args, start, err)
	if err != nil {
		return out.String(), &CommandError{Args: append([]string{name}, args...), Output: out.String(), Err: err}
	}
	return out.String(), nil
}

// logCall logs an engine call at debug level: the command line (no secret is ever on it:
// registry passwords go on stdin, environment values in the environment) and how long it took.
func logCall(name string, args []string, start time.Time, err error) {
	attrs := []any{"args", strings.Join(append([]string{name}, args...), " "), "took", time.Since(start).Round(time.Millisecond)}
	if err != nil {
		attrs = append(attrs, "err", err)
	}
	slog.Debug("engine", attrs...)
}

// Pull pulls the images of services (all when none given).
func (e *Engine) Pull(ctx context.Context, project, file string, services ...string) error {
	if e.Swarm() {
		return e.pullImages(ctx, file, services)
	}
	_, err := e.compose(ctx, project, file, append([]string{"pull", "--quiet"}, services...)...)
	return err
}

// HasImages reports whether the engine already holds every image (by reference, e.g.
// repo@sha256:...), so a pull can be skipped.
func (e *Engine) HasImages(ctx context.Context, refs ...string) bool {
	if len(refs) == 0 {
		return true
	}
	_, err := e.run(ctx, "docker", append([]string{"image", "inspect", "--format", "{{.Id}}"}, refs...)...)
	return err == nil
}

// Up brings the project to its file: Compose recreates only services whose configuration
// changed and removes services no longer in the file.
//
// A swarm engine deploys the stack and waits until every service's tasks run the file's
// image (stack.go), for as long as ctx allows.
func (e *Engine) Up(ctx context.Context, project, file string) error {
	if e.Swarm() {
		return e.deployStack(ctx, project, file)
	}
	_, err := e.compose(ctx, project, file, "up", "-d", "--remove-orphans", "--no-build")
	return err
}

// Down stops and removes the project's containers and networks. A file without services
// (a slot never deployed) is not given to Compose, which v1 refuses to read: whatever
// containers and networks carry the project's label are removed instead.
//
// A swarm engine removes the stack and waits until its tasks and networks are gone.
func (e *Engine) Down(ctx context.Context, project, file string) error {
	if e.Swarm() {
		return e.removeStack(ctx, project)
	}
	if b, err := os.ReadFile(file); err == nil && !hasServices(b) {
		return e.removeByLabel(ctx, project)
	}
	_, err := e.compose(ctx, project, file, "down", "--remove-orphans")
	return err
}

func hasServices(file []byte) bool {
	var doc struct {
		Services map[string]any `yaml:"services"`
	}
	return yaml.Unmarshal(file, &doc) != nil || len(doc.Services) > 0
}

func (e *Engine) removeByLabel(ctx context.Context, project string) error {
	label := "label=com.docker.compose.project=" + project
	for _, kind := range []string{"container", "network"} {
		args := []string{kind, "ls", "-q", "--filter", label}
		if kind == "container" {
			args = []string{"ps", "-aq", "--filter", label}
		}
		out, err := e.run(ctx, "docker", args...)
		if err != nil {
			return err
		}
		ids := strings.Fields(out)
		if len(ids) == 0 {
			continue
		}
		rm := append([]string{"rm", "-f"}, ids...)
		if kind == "network" {
			rm = append([]string{"network", "rm"}, ids...)
		}
		if _, err := e.run(ctx, "docker", rm...); err != nil {
			return err
		}
	}
	return nil
}

// Logs writes the service's (or every service's) logs to w; tail < 0 means all lines.
func (e *Engine) Logs(ctx context.Context, project, file, service string, tail int, follow bool, w io.Writer) error {
	if e.Swarm() {
		return e.stackLogs(ctx, project, file, service, tail, follow, w)
	}
	args := e.Command[1:]
	args = append(append([]string(nil), args...), "-p", project, "-f", file, "logs", "--no-color")
	if tail >= 0 {
		args = append(args, "--tail", fmt.Sprint(tail))
	}
	if follow {
		args = append(args, "-f")
	}
	if service != "" {
		args = append(args, service)
	}
	cmd := e.command(ctx, e.Command[0], args...)
	cmd.Stdout, cmd.Stderr = w, w
	start := time.Now()
	err := waited(cmd.Run())
	logCall(e.Command[0], args, start, err)
	if err != nil && ctx.Err() == nil {
		return &CommandError{Args: append([]string{e.Command[0]}, args...), Err: err}
	}
	return nil
}

// Container is one container of a project, read from the engine.
type Container struct {
	ID      string
	Service string
	State   string // running, exited, restarting, ...
	Image   string
	// ExitCode is the exit code of an exited container.
	ExitCode int
	// Health is the engine's healthcheck status of a running container: healthy, unhealthy
	// or starting; empty when the service has no healthcheck.
	Health string
}

// Containers lists the project's containers, stopped ones included, by their Compose labels
// (the same in Compose v1 and v2). A stack's are its tasks' on this host (stackContainers).
func (e *Engine) Containers(ctx context.Context, project string) ([]Container, error) {
	if e.Swarm() {
		return e.stackContainers(ctx, project)
	}
	return e.containers(ctx, "label=com.docker.compose.project="+project, "com.docker.compose.service", "")
}

// containers lists the containers filter selects, each with the service its label names
// (less prefix).
func (e *Engine) containers(ctx context.Context, filter, serviceLabel, prefix string) ([]Container, error) {
	out, err := e.run(ctx, "docker", "ps", "-a", "--no-trunc", "--filter", filter,
		"--format", `{{.ID}}|{{.Label "`+serviceLabel+`"}}|{{.State}}|{{.Image}}|{{.Status}}`)
	if err != nil {
		return nil, err
	}
	var cs []Container
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "|")
		if len(f) != 5 {
			continue
		}
		c := Container{ID: f[0], Service: strings.TrimPrefix(f[1], prefix), State: f[2], Image: f[3]}
		c.parseStatus(f[4])
		cs = append(cs, c)
	}
	return cs, nil
}

// parseStatus reads the exit code and healthcheck status from the engine's status words.
func (c *Container) parseStatus(status string) {
	if m := exitRe.FindStringSubmatch(status); m != nil {
		c.ExitCode, _ = strconv.Atoi(m[1])
	}
	if m := healthRe.FindStringSubmatch(status); m != nil {
		c.Health = strings.TrimPrefix(m[1], "health: ")
	}
}

// exitRe reads the exit code from a container's status, "Exited (137) 2 minutes ago".
var exitRe = regexp.MustCompile(`^Exited \((-?\d+)\)`)

// healthRe reads the healthcheck status from a running container's status, "Up 2 minutes
// (healthy)", "Up 3 seconds (health: starting)".
var healthRe = regexp.MustCompile(`\((healthy|unhealthy|health: starting)\)$`)

// Login logs the engine in to a registry (ECR tokens), so pulls are authorised.
func (e *Engine) Login(ctx context.Context, registry, user, password string) error {
	cmd := e.command(ctx, "docker", "login", "--username", user, "--password-stdin", registry)
	cmd.Stdin = strings.NewReader(password)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	err = waited(err)
	logCall("docker", []string{"login", "--username", user, "--password-stdin", registry}, start, err)
	if err != nil {
		return &CommandError{Args: []string{"docker", "login", registry}, Output: string(out), Err: err}
	}
	return nil
}

// Versions are the Docker engine's server version and the Compose command's version: what
// `kickoff doctor` checks before a release needs them.
func (e *Engine) Versions(ctx context.Context) (engine, compose string, err error) {
	out, err := e.run(ctx, "docker", "version", "--format", "{{.Server.Version}}")
	if err != nil {
		return "", "", err
	}
	engine = strings.TrimSpace(out)
	args := append(append([]string(nil), e.Command[1:]...), "version")
	if out, err = e.run(ctx, e.Command[0], args...); err != nil {
		return engine, "", err
	}
	compose = strings.TrimSpace(out)
	if i := strings.LastIndex(compose, "version "); i >= 0 { // "Docker Compose version v2.40.3", "docker-compose version 1.29.2, build ..."
		compose = strings.TrimSpace(compose[i+len("version "):])
		compose, _, _ = strings.Cut(compose, ",")
	}
	return engine, compose, nil
}
