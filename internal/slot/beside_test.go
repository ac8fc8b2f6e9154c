package slot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
	"github.com/kickoffhq/kickoff/internal/route"
)

// tableRouter is the built-in router fed by releases, as `kickoff serve` is by its table.
type tableRouter struct {
	rt  *route.Router
	cfg *config.Config
	svc *Service
}

func (r *tableRouter) ApplySlot(ctx context.Context, slot string, moved map[string]int) error {
	routes, err := route.Desired(r.cfg, route.Options{Ports: func(s, app string) []int {
		if p, ok := moved[app]; ok && s == slot {
			return []int{p}
		}
		return r.svc.LivePorts(ctx, s, app)
	}})
	if err != nil {
		return err
	}
	r.rt.SetTable(route.Table{Mode: r.cfg.Routing.Mode, Domain: r.cfg.Routing.Domain, Routes: routes})
	return nil
}

// loop asks url through the router over and over until stop, as users of the slot would.
type loop struct {
	mu       sync.Mutex
	requests int
	errs     []string
	versions map[string]int
	stop     chan struct{}
	done     chan struct{}
}

func startLoop(url string) *loop {
	l := &loop{versions: map[string]int{}, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		end := time.Now().Add(3 * time.Minute) // bounded whatever happens
		for time.Now().Before(end) {
			select {
			case <-l.stop:
				return
			default:
			}
			resp, err := http.Get(url)
			var r reply
			if err == nil {
				if resp.StatusCode != http.StatusOK {
					err = errors.New(resp.Status)
				} else {
					err = json.NewDecoder(resp.Body).Decode(&r)
				}
				resp.Body.Close()
			}
			l.mu.Lock()
			l.requests++
			if err != nil {
				l.errs = append(l.errs, err.Error())
			} else {
				l.versions[r.Version]++
			}
			l.mu.Unlock()
			time.Sleep(5 * time.Millisecond)
		}
	}()
	return l
}

func (l *loop) end() *loop { close(l.stop); <-l.done; return l }

// With routing.switch side-by-side a one-app change on a routed slot starts the new
// container beside the old one on the app's second port, moves the route when it is
// healthy and only then stops the old one: a request loop through the router sees no error.
// A build that fails its health gate never gets a request and the old container serves on;
// a rollback switches the same way.
func TestSideBySideSwitchServesWithoutErrors(t *testing.T) {
	t.Parallel()
	regtest.EachCompose(t, func(t *testing.T, cmd []string) { testSideBySide(t, newWorld(t, cmd)) })
}

func testSideBySide(t *testing.T, w *world) {
	ctx := context.Background()
	w.cfg.Routing.Switch = config.SwitchSideBySide
	if err := w.cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	rt := route.NewRouter(route.RouterOptions{Addr: "127.0.0.1:0"})
	srv := httptest.NewServer(rt)
	defer srv.Close()
	w.svc.Routes = &tableRouter{rt: rt, cfg: w.cfg, svc: w.svc}
	w.svc.SwitchSettle = 500 * time.Millisecond
	url := srv.URL + "/dev1/fe/"

	w.kickoffBuilt(kAlpha, "alpha")
	if _, err := w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha}); err != nil {
		t.Fatal(err)
	}
	first := w.containers("dev1")
	primary, _ := w.cfg.HostPort("dev1", "fe")
	alt, _ := w.cfg.AltHostPort("dev1", "fe")
	// The engine gives the first container either port of the app's range (Docker's
	// allocator does not always take the range's first port; the routes follow the live one).
	start := w.svc.LivePorts(ctx, "dev1", "fe")
	if len(start) != 1 || start[0] != primary && start[0] != alt {
		t.Fatalf("fe runs on %v, want one of its ports [%d %d]", start, primary, alt)
	}
	other := primary + alt - start[0]

	// A one-app change: only fe has a new image.
	branch(w.feRepo, kAlpha, "fe.txt")
	w.push("fe", w.feRepo, kAlpha, "fe-alpha2", false)
	l := startLoop(url)
	time.Sleep(200 * time.Millisecond)
	if _, err := w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	l.end()
	if len(l.errs) > 0 || l.versions["fe-alpha"] == 0 || l.versions["fe-alpha2"] == 0 {
		t.Fatalf("%d requests through the router during the switch: errors %q, versions %v", l.requests, l.errs, l.versions)
	}
	second := w.containers("dev1")
	if second["be"] != first["be"] || second["fe"] == first["fe"] || len(second) != 2 {
		t.Errorf("containers %v -> %v: want a new fe and the same be", first, second)
	}
	if got := w.svc.LivePorts(ctx, "dev1", "fe"); len(got) != 1 || got[0] != other {
		t.Errorf("fe runs on %v, want [%d] (its other port)", got, other)
	}
	t.Logf("switch: %d requests, no error, versions %v", l.requests, l.versions)

	// A failing build: its container starts beside, fails the gate, and is removed; the
	// loop never reached it and the old container serves on.
	branch(w.feRepo, kAlpha, "fe.txt")
	w.push("fe", w.feRepo, kAlpha, "fe-bad", true)
	w.cfg.Apps["fe"] = withHealthTimeout(w.cfg.Apps["fe"], 3*time.Second)
	l = startLoop(url)
	_, err := w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha})
	l.end()
	var de *DeployError
	if !errors.As(err, &de) || !de.RolledBack || de.App != "fe" {
		t.Fatalf("failing build: %v", err)
	}
	if len(l.errs) > 0 || l.versions["fe-bad"] > 0 || l.versions["fe-alpha2"] == 0 {
		t.Fatalf("%d requests during the failed deploy: errors %q, versions %v", l.requests, l.errs, l.versions)
	}
	if third := w.containers("dev1"); third["fe"] != second["fe"] || len(third) != 2 {
		t.Errorf("after the failed deploy: %v, want %v", third, second)
	}
	if got := w.get2(url).Version; got != "fe-alpha2" {
		t.Errorf("fe answers %s after the failed deploy", got)
	}

	// Rolling back to the first deploy switches the same way.
	l = startLoop(url)
	if _, err := w.svc.Rollback(ctx, RollbackOptions{Slot: "dev1"}); err != nil {
		t.Fatal(err)
	}
	l.end()
	if len(l.errs) > 0 || l.versions["fe-alpha"] == 0 {
		t.Fatalf("%d requests during the rollback: errors %q, versions %v", l.requests, l.errs, l.versions)
	}
	if got := w.svc.LivePorts(ctx, "dev1", "fe"); len(got) != 1 || got[0] != start[0] {
		t.Errorf("after the rollback fe runs on %v, want [%d]", got, start[0])
	}
}

func withHealthTimeout(a config.App, d time.Duration) config.App { a.HealthTimeout = d; return a }

// get2 asks url once, through the router.
func (w *world) get2(url string) reply {
	w.t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var r reply
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		w.t.Fatalf("%s: %v", url, err)
	}
	if !strings.HasPrefix(r.Version, "fe-") {
		w.t.Fatalf("%s answered %+v", url, r)
	}
	return r
}
