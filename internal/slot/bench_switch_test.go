package slot

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
	"github.com/kickoffhq/kickoff/internal/route"
)

func benchRounds() int {
	if v, err := strconv.Atoi(os.Getenv("KICKOFF_BENCH_N")); err == nil && v > 0 {
		return v
	}
	return 5
}

// BenchmarkLockRace races two deployers (two clones: own state folders, one ledger, one
// engine) releasing the same change to one slot at once, KICKOFF_BENCH_N rounds. It reports
// the rounds where one deployed and the other waited and found nothing to do (race-ok, out of
// race-rounds), the median release time of the one that deployed, and how long the other
// waited for the lock (until it started planning).
func BenchmarkLockRace(b *testing.B) {
	n := benchRounds()
	regtest.NeedDocker(b)
	cmd, err := compose.Detect()
	if err != nil {
		b.Fatal(err)
	}
	w := newWorld(b, cmd)
	ctx := context.Background()
	w.kickoffBuilt(kAlpha, "alpha")
	for _, br := range []string{"fe-a", "fe-b"} {
		branch(w.feRepo, br, "fe.txt")
		w.push("fe", w.feRepo, br, br, false)
	}
	bo := *w.svc
	bo.StateDir, bo.Actor = b.TempDir(), "bo@example.com"
	deployers := []*Service{w.svc, &bo}
	var ok int
	var deployed, waited []time.Duration
	cur := "fe-a"
	b.ResetTimer()
	for range b.N {
		for i := 0; i < n; i++ {
			var wg sync.WaitGroup
			res := make([]*Result, 2)
			errs := make([]error, 2)
			took := make([]time.Duration, 2)
			locked := make([]time.Duration, 2)
			start := time.Now()
			for d, s := range deployers {
				svc := *s
				var once sync.Once
				svc.Progress = func(string, string) { once.Do(func() { locked[d] = time.Since(start) }) }
				wg.Add(1)
				go func() {
					defer wg.Done()
					res[d], errs[d] = svc.Release(ctx, ReleaseOptions{Slot: "dev1", Kickoff: kAlpha, Pins: map[string]string{"fe": cur}})
					took[d] = time.Since(start)
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					b.Fatal(err)
				}
			}
			if res[0].NoOp != res[1].NoOp {
				ok++
				win, lose := 0, 1
				if res[0].NoOp {
					win, lose = 1, 0
				}
				deployed = append(deployed, took[win])
				waited = append(waited, locked[lose])
			}
			cur = map[string]string{"fe-a": "fe-b", "fe-b": "fe-a"}[cur]
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(n), "race-rounds")
	b.ReportMetric(float64(ok), "race-ok")
	if ok > 0 {
		b.ReportMetric(median(deployed).Seconds(), "winner-s")
		b.ReportMetric(median(waited).Seconds(), "loser-wait-s")
	}
}

// BenchmarkSideBySide measures a one-app change on a routed slot with routing.switch
// side-by-side while a bounded request loop asks the app through the built-in router: the
// errors it saw (must be 0) and the release's median time against plain Compose recreating
// the app from the same file (`up -d`, then polling the app's health where it runs), with
// the same loop through the router to the reference slot (its errors are Compose's gap).
func BenchmarkSideBySide(b *testing.B) {
	n := benchRounds()
	regtest.NeedDocker(b)
	cmd, err := compose.Detect()
	if err != nil {
		b.Fatal(err)
	}
	w := newWorld(b, cmd)
	w.cfg.Routing.Switch = config.SwitchSideBySide
	if err := w.cfg.Validate(); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	rt := route.NewRouter(route.RouterOptions{Addr: "127.0.0.1:0"})
	srv := httptest.NewServer(rt)
	defer srv.Close()
	w.svc.Routes = &tableRouter{rt: rt, cfg: w.cfg, svc: w.svc}
	rel, files := benchTwoBuilds(ctx, b, w)
	eng := &compose.Engine{Command: cmd}
	reference := func(file string) time.Duration {
		start := time.Now()
		args := append(append([]string(nil), cmd[1:]...), "-p", w.svc.Project("dev2"), "-f", file, "up", "-d")
		if out, err := exec.Command(cmd[0], args...).CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		if _, err := w.svc.waitHealthy(ctx, eng, "dev2", []AppPlan{{Name: "fe"}}, nil); err != nil {
			b.Fatal(err)
		}
		d := time.Since(start)
		// The router follows the container to wherever Compose started it.
		if err := w.svc.Routes.ApplySlot(ctx, "dev2", nil); err != nil {
			b.Fatal(err)
		}
		return d
	}
	var kChange, rChange []time.Duration
	var kErrs, rErrs, kReqs, rReqs int
	cur := "fe-b"
	b.ResetTimer()
	for range b.N {
		for i := 0; i < n; i++ {
			next := map[string]string{"fe-a": "fe-b", "fe-b": "fe-a"}[cur]
			l := startLoop(srv.URL + "/dev1/fe/")
			start := time.Now()
			res, err := rel("dev1", next)
			kChange = append(kChange, time.Since(start))
			l.end()
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Plan.Changed()) != 1 {
				b.Fatalf("changed %v, want [fe]", res.Plan.Changed())
			}
			kErrs, kReqs = kErrs+len(l.errs), kReqs+l.requests
			l = startLoop(srv.URL + "/dev2/fe/")
			rChange = append(rChange, reference(files[next]))
			l.end()
			rErrs, rReqs = rErrs+len(l.errs), rReqs+l.requests
			cur = next
		}
	}
	b.StopTimer()
	mk, mr := median(kChange), median(rChange)
	b.ReportMetric(float64(kReqs), "switch-requests")
	b.ReportMetric(float64(kErrs), "switch-errors")
	b.ReportMetric(float64(rReqs), "compose-requests")
	b.ReportMetric(float64(rErrs), "compose-errors")
	b.ReportMetric(mk.Seconds(), "switch-kickoff-s")
	b.ReportMetric(mr.Seconds(), "switch-compose-s")
	b.ReportMetric(mk.Seconds()/mr.Seconds(), "switch-ratio")
	if kErrs > 0 {
		b.Errorf("%d requests through the router failed during side-by-side switches", kErrs)
	}
}
