// Package regtest gives tests a real OCI registry on 127.0.0.1 (go-containerregistry's
// in-process registry) and real images built FROM scratch around a tiny static Go server
// (./testapp), so slot, routing and ledger tests deploy exactly as from ECR. Test code only.
package regtest

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/kickoffhq/kickoff/internal/compose"
)

// Registry is a running in-process registry. Docker treats 127.0.0.0/8 registries as
// insecure-allowed, so the engine pulls from it over plain HTTP.
type Registry struct {
	Host string // 127.0.0.1:PORT, the value of `registry:` in .kickoff.yaml
	srv  *http.Server
}

// Start runs a registry for the test's lifetime.
func Start(t testing.TB) *Registry {
	t.Helper()
	r, err := StartServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// StartServer runs a registry until Close; for callers without a testing.TB (testscript).
func StartServer() (*Registry, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for test registry: %w", err)
	}
	srv := &http.Server{Handler: registry.New(registry.Logger(log.New(io.Discard, "", 0)))}
	go srv.Serve(ln)
	return &Registry{Host: ln.Addr().String(), srv: srv}, nil
}

// Close stops the registry.
func (r *Registry) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	r.srv.Shutdown(ctx)
}

// Image describes a test image: the testapp binary with this environment.
type Image struct {
	App       string // APP_NAME the server reports
	Version   string // APP_VERSION the server reports; different versions have different digests
	Unhealthy bool   // /health answers 503
	Env       map[string]string
	// Tools are paths (usr/bin/mysqladmin) where the binary also lives, answering as a
	// healthcheck (exit 0 when /health answers): a stand-in for a database image keeps the
	// team's `healthcheck: [CMD, mysqladmin, ping]` working.
	Tools []string
}

// Push builds spec FROM scratch and pushes it as host/repo:tag; it returns the digest.
func (r *Registry) Push(t testing.TB, repo, tag string, spec Image) string {
	t.Helper()
	d, err := r.PushImage(context.Background(), repo, tag, spec)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// PushImage is Push for callers without a testing.TB.
func (r *Registry) PushImage(ctx context.Context, repo, tag string, spec Image) (string, error) {
	img, err := Build(spec)
	if err != nil {
		return "", err
	}
	ref, err := name.NewTag(r.Host+"/"+repo+":"+tag, name.Insecure)
	if err != nil {
		return "", err
	}
	if err := remote.Write(ref, img, remote.WithContext(ctx)); err != nil {
		return "", fmt.Errorf("push %s: %w", ref, err)
	}
	d, err := img.Digest()
	return d.String(), err
}

// Build makes the image of spec: one layer holding /app, config running it.
func Build(spec Image) (v1.Image, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: "app", Mode: 0o755, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
		return nil, err
	}
	tw.Write(data)
	dirs := map[string]bool{}
	for _, tool := range spec.Tools {
		tool = strings.TrimPrefix(tool, "/")
		for d := filepath.Dir(tool); d != "." && !dirs[d]; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	for _, d := range sortedDirs(dirs) {
		if err := tw.WriteHeader(&tar.Header{Name: d + "/", Mode: 0o755, Typeflag: tar.TypeDir}); err != nil {
			return nil, err
		}
	}
	for _, tool := range spec.Tools {
		if err := tw.WriteHeader(&tar.Header{Name: strings.TrimPrefix(tool, "/"), Mode: 0o755, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			return nil, err
		}
		tw.Write(data)
	}
	tw.Close()
	layerBytes := buf.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerBytes)), nil
	})
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", runtime.GOARCH
	healthy := "1"
	if spec.Unhealthy {
		healthy = "0"
	}
	env := []string{"APP_NAME=" + spec.App, "APP_VERSION=" + spec.Version, "APP_HEALTHY=" + healthy, "PORT=8080"}
	keys := make([]string, 0, len(spec.Env))
	for k := range spec.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, k+"="+spec.Env[k])
	}
	cf.Config = v1.Config{Entrypoint: []string{"/app"}, Env: env, ExposedPorts: map[string]struct{}{"8080/tcp": {}}}
	return mutate.ConfigFile(img, cf)
}

// sortedDirs lists folders parents first, as a tar writes them.
func sortedDirs(dirs map[string]bool) []string {
	out := make([]string, 0, len(dirs))
	for d := range dirs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		return len(out[i]) < len(out[j]) || (len(out[i]) == len(out[j]) && out[i] < out[j])
	})
	return out
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// Binary builds ./testapp statically (CGO_ENABLED=0) once per source version, cached in
// the temporary folder so every test package of a run shares it.
func Binary() (string, error) {
	binOnce.Do(func() { binPath, binErr = buildBinary() })
	return binPath, binErr
}

func buildBinary() (string, error) {
	_, file, _, _ := runtime.Caller(0)
	src := filepath.Join(filepath.Dir(file), "testapp")
	code, err := os.ReadFile(filepath.Join(src, "main.go"))
	if err != nil {
		return "", fmt.Errorf("read testapp source: %w", err)
	}
	sum := sha256.Sum256(append(code, runtime.GOARCH...))
	out := filepath.Join(os.TempDir(), "kickoff-testapp-"+hex.EncodeToString(sum[:8]))
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	tmp := fmt.Sprintf("%s.%d", out, os.Getpid())
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", tmp, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build testapp: %v\n%s", err, b)
	}
	return out, os.Rename(tmp, out)
}

// DockerAvailable reports whether a Docker engine answers, and why not.
func DockerAvailable() error {
	if _, err := exec.LookPath("docker"); err != nil {
		return errors.New("no docker binary on PATH")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if b, err := exec.CommandContext(ctx, "docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		return fmt.Errorf("docker engine not reachable: %v: %s", err, bytes.TrimSpace(b))
	}
	return nil
}

// NeedDocker skips the test when no engine is reachable, or fails it when
// KICKOFF_REQUIRE_DOCKER=1 (as .ci/run sets).
func NeedDocker(t testing.TB) {
	t.Helper()
	if err := DockerAvailable(); err != nil {
		if os.Getenv("KICKOFF_REQUIRE_DOCKER") == "1" {
			t.Fatalf("KICKOFF_REQUIRE_DOCKER=1 but %v", err)
		}
		t.Skipf("skipping: needs a Docker engine (%v); set KICKOFF_REQUIRE_DOCKER=1 to make this a failure", err)
	}
}

// RemoveProjects removes every container, network and image of the compose projects whose
// name starts with prefix: what a test deployed, whatever state it ended in (Compose
// files may be gone), so engine tests never leak networks (the engine has few address pools).
func RemoveProjects(prefix string) {
	out, _ := exec.Command("docker", "ps", "-a", "--format", `{{.ID}}|{{.Label "com.docker.compose.project"}}|{{.Image}}`).Output()
	var ids, images []string
	projects := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		if len(f) == 3 && strings.HasPrefix(f[1], prefix) {
			ids, images = append(ids, f[0]), append(images, f[2])
			projects[f[1]] = true
		}
	}
	if len(ids) > 0 {
		exec.Command("docker", append([]string{"rm", "-f", "-v"}, ids...)...).Run()
		exec.Command("docker", append([]string{"image", "rm"}, images...)...).Run()
	}
	// Slot locks left by a test that failed (containers named kickoff-lock-<project>).
	locks, _ := exec.Command("docker", "ps", "-aq", "--filter", "name=^/?kickoff-lock-"+prefix).Output()
	if ids := strings.Fields(string(locks)); len(ids) > 0 {
		exec.Command("docker", append([]string{"rm", "-f"}, ids...)...).Run()
	}
	nets, _ := exec.Command("docker", "network", "ls", "--format", "{{.Name}}").Output()
	for _, n := range strings.Fields(string(nets)) {
		if strings.HasPrefix(n, prefix) {
			exec.Command("docker", "network", "rm", n).Run()
		}
	}
}

var (
	portMu sync.Mutex
	// portLocks are the 100-port blocks this process holds, each by a lock file that other
	// test processes (go test runs packages in parallel) respect; held until the process ends.
	portLocks = map[int]*flock.Flock{}
)

// FreePortBase picks a host-port base for a test's slots: base + slot*stride + app must be
// free for every slot and app. The engine may publish ports without any process listening
// (iptables-only mode), so the ports Docker has published count as taken too. Every
// 100-port block a base covers is locked by a file lock, so neither this process nor any
// other test process hands out an overlapping range (ReleasePortBase gives them back).
// Bases stay below 32768 - 4 x stride.
func FreePortBase(slots, stride, apps int) (int, error) {
	portMu.Lock()
	defer portMu.Unlock()
	published := map[int]bool{}
	if out, err := exec.Command("docker", "ps", "--format", "{{.Ports}}").Output(); err == nil {
		for _, m := range publishedRe.FindAllStringSubmatch(string(out), -1) {
			if p, err := strconv.Atoi(m[1]); err == nil {
				published[p] = true
			}
		}
	}
	for range 200 {
		// Below the kernel's ephemeral range (32768-60999 by default), where any outgoing
		// connection could take a port between our check and the engine's bind.
		base := 20000 + rand.IntN(120)*100
		var ports []int
		for s := 0; s < slots; s++ {
			for a := 0; a < apps; a++ {
				ports = append(ports, base+s*stride+a)
			}
		}
		if portsFree(ports, published) && lockPortBlocks(ports) {
			return base, nil
		}
	}
	return 0, errors.New("no free host-port range for the test slots")
}

// ReleasePortBase gives back the 100-port blocks FreePortBase locked for base, once the
// test's slots are gone, so one process running many engine tests does not run out of them.
func ReleasePortBase(base, slots, stride, apps int) {
	portMu.Lock()
	defer portMu.Unlock()
	for s := 0; s < slots; s++ {
		for a := 0; a < apps; a++ {
			blk := (base + s*stride + a) / 100
			if l := portLocks[blk]; l != nil {
				l.Unlock()
				delete(portLocks, blk)
			}
		}
	}
}

func portsFree(ports []int, published map[int]bool) bool {
	for _, p := range ports {
		if published[p] {
			return false
		}
		ln, err := net.Listen("tcp", fmt.Sprintf(":%d", p))
		if err != nil {
			return false
		}
		ln.Close()
	}
	return true
}

// lockPortBlocks takes the lock of every 100-port block of ports, or none of them.
func lockPortBlocks(ports []int) bool {
	blocks := map[int]bool{}
	for _, p := range ports {
		blocks[p/100] = true
	}
	got := map[int]*flock.Flock{}
	ok := true
	for blk := range blocks {
		if portLocks[blk] != nil {
			ok = false
			break
		}
		l := flock.New(filepath.Join(os.TempDir(), fmt.Sprintf("kickoff-test-ports-%d.lock", blk)))
		if locked, err := l.TryLock(); err != nil || !locked {
			ok = false
			break
		}
		got[blk] = l
	}
	for blk, l := range got {
		if ok {
			portLocks[blk] = l
		} else {
			l.Unlock()
		}
	}
	return ok
}

var publishedRe = regexp.MustCompile(`:(\d+)->`)

// Composes are the Compose commands the engine tests run with: every one installed (the
// v2 plugin, Debian's v1), so both keep working. Without any it skips; with
// KICKOFF_REQUIRE_DOCKER=1 (CI) both must be there.
func Composes(t testing.TB) [][]string {
	t.Helper()
	cmds := compose.Installed()
	if os.Getenv("KICKOFF_REQUIRE_DOCKER") == "1" && len(cmds) < 2 {
		t.Fatalf("KICKOFF_REQUIRE_DOCKER=1 but only %v of Compose v2 (the docker compose plugin) and v1 (docker-compose) is installed: the engine tests run on both (.ci/run installs them)", cmds)
	}
	if len(cmds) == 0 {
		t.Skip("skipping: no Compose installed (docker compose or docker-compose)")
	}
	return cmds
}

// ComposeName names a Compose command for a subtest: "v2" for the plugin, "v1" for
// docker-compose.
func ComposeName(cmd []string) string {
	if len(cmd) > 1 && cmd[1] == "compose" {
		return "v2"
	}
	return "v1"
}

// EachCompose runs body once per Compose of Composes, as parallel subtests named v2 and v1.
func EachCompose(t *testing.T, body func(t *testing.T, cmd []string)) {
	t.Helper()
	for _, cmd := range Composes(t) {
		t.Run(ComposeName(cmd), func(t *testing.T) {
			t.Parallel()
			body(t, cmd)
		})
	}
}

// SwarmRequireEnv makes the tests that need a swarm manager fail instead of skipping.
const SwarmRequireEnv = "KICKOFF_REQUIRE_SWARM"

// SwarmManager reports whether the engine is a swarm manager, and why not.
func SwarmManager() error {
	if err := DockerAvailable(); err != nil {
		return err
	}
	out, err := exec.Command("docker", "info", "--format", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}").Output()
	if err != nil {
		return fmt.Errorf("docker info: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != "active true" {
		return fmt.Errorf("the engine is not a swarm manager (swarm %q): run `docker swarm init --advertise-addr 127.0.0.1`", got)
	}
	return nil
}

// NeedSwarm skips the test when the engine is not a swarm manager, or fails it when
// KICKOFF_REQUIRE_SWARM=1 (as .ci/run sets, after making the engine one).
func NeedSwarm(t testing.TB) {
	t.Helper()
	if err := SwarmManager(); err != nil {
		if os.Getenv(SwarmRequireEnv) == "1" {
			t.Fatalf("%s=1 but %v", SwarmRequireEnv, err)
		}
		t.Skipf("skipping: needs a swarm manager (%v); set %s=1 to make this a failure", err, SwarmRequireEnv)
	}
}

// RemoveStacks removes the swarm stacks whose name starts with prefix and waits (up to a
// minute) until their containers and networks are gone: what a test deployed, whatever
// state it ended in.
func RemoveStacks(prefix string) {
	out, _ := exec.Command("docker", "stack", "ls", "--format", "{{.Name}}").Output()
	var stacks []string
	for _, s := range strings.Fields(string(out)) {
		if strings.HasPrefix(s, prefix) {
			stacks = append(stacks, s)
		}
	}
	if len(stacks) == 0 {
		return
	}
	exec.Command("docker", append([]string{"stack", "rm"}, stacks...)...).Run()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		left := 0
		for _, s := range stacks {
			for _, kind := range [][]string{{"ps", "-aq"}, {"network", "ls", "-q"}} {
				b, _ := exec.Command("docker", append(kind, "--filter", "label="+compose.LabelStack+"="+s)...).Output()
				left += len(strings.Fields(string(b)))
			}
		}
		if left == 0 {
			return
		}
	}
}
