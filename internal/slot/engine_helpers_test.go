package slot

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/registry"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
)

// world is a repository with kickoff branches, a registry with their images, a second
// repository holding the frontend, and a slot service over the real engine.
type world struct {
	t      testing.TB
	reg    *regtest.Registry
	repo   *gittest.Repo // the platform repository: holds the "be" app
	feRepo *gittest.Repo // the frontend's own repository (apps.fe.repo)
	cfg    *config.Config
	svc    *Service
	store  *ledger.FileStore
	eng    *compose.Engine // the local engine, driven by the Compose under test

	mu    sync.Mutex
	notes []string
}

// newWorld makes a world whose slots run through the Compose command cmd (v2 or v1).
func newWorld(t testing.TB, cmd []string) *world {
	t.Helper()
	regtest.NeedDocker(t)
	return newWorldOn(t, &compose.Engine{Command: cmd})
}

// newSwarmWorld makes a world whose slots are swarm stacks (engine: swarm) on the local
// engine, a swarm manager.
func newSwarmWorld(t testing.TB) *world {
	t.Helper()
	regtest.NeedSwarm(t)
	return newWorldOn(t, &compose.Engine{SwarmMode: true})
}

func newWorldOn(t testing.TB, eng *compose.Engine) *world {
	t.Helper()
	w := &world{t: t, reg: regtest.Start(t), repo: gittest.New(t), feRepo: gittest.New(t), eng: eng}
	cfg := config.Default()
	cfg.Project = fmt.Sprintf("kt%06d", rand.IntN(1e6))
	cfg.Registry = w.reg.Host
	cfg.Slots = []string{"dev1", "dev2"}
	base, err := regtest.FreePortBase(len(cfg.Slots), cfg.Ports.SlotStride, 2)
	if err != nil {
		t.Fatal(err)
	}
	stride := cfg.Ports.SlotStride
	t.Cleanup(func() { regtest.ReleasePortBase(base, len(cfg.Slots), stride, 2) }) // after the slots are removed
	cfg.Ports.Base = base
	// engineHealthTimeout: a container starting on a loaded CI machine (every package's tests
	// at once) took more than 8 s to answer; a broken build costs one such wait.
	cfg.Apps = map[string]config.App{
		"be": {Image: cfg.Project + "-be", Port: 8080, Health: "/health", HealthHost: "be.internal", HealthTimeout: engineHealthTimeout,
			Env: map[string]string{"APP_HOST": "be.internal"}},
		"fe": {Image: cfg.Project + "-fe", Port: 8080, Health: "/health", HealthTimeout: engineHealthTimeout,
			Repo: "file://" + w.feRepo.Remote, Env: map[string]string{"BACKEND_URL": "http://be:8080"}},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if eng.Swarm() {
		cfg.Engine = config.EngineSwarm
	}
	w.cfg = cfg
	gr, err := gitrepo.Open(w.repo.Dir)
	if err != nil {
		t.Fatal(err)
	}
	state := t.TempDir()
	w.store = ledger.NewFileStore(filepath.Join(state, ledger.FileName))
	w.svc = &Service{
		Cfg: cfg, Repo: gr, StateDir: state, Ledger: w.store,
		Images: registry.New(cfg.Registry),
		Engine: func(string) (*compose.Engine, error) { return w.eng, nil },
		Actor:  "ann@example.com",
		Notify: func(m string) { w.mu.Lock(); w.notes = append(w.notes, m); w.mu.Unlock() },
	}
	t.Cleanup(func() { regtest.RemoveProjects(cfg.Project + "-") })
	if eng.Swarm() {
		t.Cleanup(func() { regtest.RemoveStacks(cfg.Project + "-") }) // before the containers' sweep
	}
	// main has images for both apps, as CI would have built them.
	w.pushBoth("main", "main")
	return w
}

// branch creates (or moves) branch in r with one new commit, pushed; it returns the head.
func branch(r *gittest.Repo, name, file string) string {
	if strings.TrimSpace(r.Git("branch", "--list", name)) == "" {
		r.Git("checkout", "-q", "-b", name, "main")
	} else {
		r.Git("checkout", "-q", name)
	}
	head := r.Commit(file, fmt.Sprintf("%s %d\n", name, time.Now().UnixNano()), "work on "+name)
	r.Git("push", "-q", "origin", name)
	r.Git("checkout", "-q", "main")
	return head
}

// push builds and pushes app's image for the head of branch in r, reporting version.
func (w *world) push(app string, r *gittest.Repo, branch, version string, unhealthy bool) string {
	w.t.Helper()
	head := r.Git("rev-parse", branch)
	tag, err := ImageTag(w.cfg.ImageTag, app, branch, head)
	if err != nil {
		w.t.Fatal(err)
	}
	return w.reg.Push(w.t, w.cfg.Apps[app].Image, tag, regtest.Image{App: app, Version: version, Unhealthy: unhealthy})
}

func (w *world) pushBoth(branch, version string) {
	w.push("be", w.repo, branch, "be-"+version, false)
	w.push("fe", w.feRepo, branch, "fe-"+version, false)
}

// kickoffBuilt makes (or moves) the kickoff branch name in both repositories, one new commit
// each, and pushes the images CI would build for them (be-version and fe-version).
func (w *world) kickoffBuilt(name, version string) {
	branch(w.repo, name, "be.txt")
	branch(w.feRepo, name, "fe.txt")
	w.pushBoth(name, version)
}

// reply is what a test app answers on /.
type reply struct {
	App, Version, Slot, Kickoff string
	Backend                     *reply
	Error                       string
}

// get asks app in slot who it is, through its published port.
func (w *world) get(slot, app string) reply {
	w.t.Helper()
	port, _ := w.cfg.HostPort(slot, app)
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/", port))
	if err != nil {
		w.t.Fatalf("%s/%s: %v", slot, app, err)
	}
	defer resp.Body.Close()
	var r reply
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		w.t.Fatalf("%s/%s: %v", slot, app, err)
	}
	return r
}

// containers maps service to container id in slot.
func (w *world) containers(slot string) map[string]string {
	w.t.Helper()
	cs, err := w.eng.Containers(context.Background(), w.svc.Project(slot))
	if err != nil {
		w.t.Fatal(err)
	}
	m := map[string]string{}
	for _, c := range cs {
		if c.State == "running" {
			m[c.Service] = c.ID
		}
	}
	return m
}

func (w *world) release(o ReleaseOptions) (*Result, error) {
	return w.svc.Release(context.Background(), o)
}

// releaseAtOnce runs the releases concurrently and fails the test if any fails.
func (w *world) releaseAtOnce(opts ...ReleaseOptions) []*Result {
	w.t.Helper()
	results := make([]*Result, len(opts))
	errs := make([]error, len(opts))
	var wg sync.WaitGroup
	for i, o := range opts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = w.release(o)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			w.t.Fatal(err)
		}
	}
	return results
}

func (w *world) records(slot string) []ledger.Record {
	recs, err := w.store.List(context.Background(), ledger.Filter{Slot: slot, Limit: -1})
	if err != nil {
		w.t.Fatal(err)
	}
	return recs
}

// engineHealthTimeout is the test apps' health_timeout (see newWorld).
const engineHealthTimeout = 15 * time.Second
