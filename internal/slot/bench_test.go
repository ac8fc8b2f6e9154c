package slot

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
)

// BenchmarkRelease measures, side by side on the same engine, a no-op re-release and a
// one-app change with kickoff against plain Compose applying the same compose file
// (`up -d --wait` with Compose v2; with v1, which has no --wait, `up -d` then polling the
// changed app's health). It reports medians in seconds; scripts/bench-release.sh runs it.
// KICKOFF_BENCH_N sets the rounds (default 5).
func BenchmarkRelease(b *testing.B) {
	n := 5
	if v, err := strconv.Atoi(os.Getenv("KICKOFF_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	regtest.NeedDocker(b)
	cmd, err := compose.Detect()
	if err != nil {
		b.Fatal(err)
	}
	w := newWorld(b, cmd)
	ctx := context.Background()
	rel, files := benchTwoBuilds(ctx, b, w)
	v2 := len(cmd) == 2
	reference := func(file string) time.Duration {
		start := time.Now()
		args := append(append([]string(nil), cmd[1:]...), "-p", w.svc.Project("dev2"), "-f", file, "up", "-d")
		if v2 {
			args = append(args, "--wait")
		}
		if out, err := exec.Command(cmd[0], args...).CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
		if !v2 {
			w.svc.waitProbe(b, "dev2", "fe")
		}
		return time.Since(start)
	}
	var phaseStart time.Time
	timed := func(f func() error) time.Duration {
		start := time.Now()
		phaseStart = start
		if err := f(); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	if os.Getenv("KICKOFF_BENCH_TRACE") == "1" { // when each app reached each state
		w.svc.Progress = func(app, state string) {
			b.Logf("%6dms %s: %s", time.Since(phaseStart).Milliseconds(), app, state)
		}
	}
	var kNoop, rNoop, kChange, rChange []time.Duration
	cur := "fe-b"
	b.ResetTimer()
	for range b.N {
		for i := 0; i < n; i++ {
			kNoop = append(kNoop, timed(func() error {
				res, err := rel("dev1", cur)
				if err == nil && !res.NoOp {
					err = fmt.Errorf("re-release of %s was not a no-op", cur)
				}
				return err
			}))
			rNoop = append(rNoop, reference(files[cur]))
			next := map[string]string{"fe-a": "fe-b", "fe-b": "fe-a"}[cur]
			kChange = append(kChange, timed(func() error {
				res, err := rel("dev1", next)
				if err == nil && len(res.Plan.Changed()) != 1 {
					err = fmt.Errorf("changed %v, want [fe]", res.Plan.Changed())
				}
				return err
			}))
			rChange = append(rChange, reference(files[next]))
			cur = next
		}
	}
	b.StopTimer()
	report := func(name string, k, r []time.Duration) {
		mk, mr := median(k), median(r)
		b.ReportMetric(mk.Seconds(), name+"-kickoff-s")
		b.ReportMetric(mr.Seconds(), name+"-compose-s")
		b.ReportMetric(mk.Seconds()/mr.Seconds(), name+"-ratio")
	}
	report("noop", kNoop, rNoop)
	report("change", kChange, rChange)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// waitProbe polls an app's health until it answers (the Compose v1 stand-in for --wait in
// the reference).
func (s *Service) waitProbe(b testing.TB, slot, app string) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		port, _ := s.Cfg.HostPort(slot, app)
		err := s.probe(ctx, "127.0.0.1", port, app)
		cancel()
		if err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Fatalf("%s/%s never became healthy", slot, app)
}

// benchTwoBuilds pushes two builds of fe (fe-a, fe-b) for kickoff alpha and gives the
// release that pins one of them to a slot, and the compose file kickoff wrote for each on
// dev2 (the reference runs there with the very files kickoff wrote); dev1 is left at fe-b.
func benchTwoBuilds(ctx context.Context, b *testing.B, w *world) (rel func(slot, fe string) (*Result, error), files map[string]string) {
	w.kickoffBuilt(kAlpha, "alpha")
	for _, br := range []string{"fe-a", "fe-b"} {
		branch(w.feRepo, br, "fe.txt")
		w.push("fe", w.feRepo, br, br, false)
	}
	rel = func(slot, fe string) (*Result, error) {
		return w.svc.Release(ctx, ReleaseOptions{Slot: slot, Kickoff: kAlpha, Pins: map[string]string{"fe": fe}})
	}
	files = map[string]string{}
	for _, fe := range []string{"fe-a", "fe-b"} {
		res, err := rel("dev2", fe)
		if err != nil {
			b.Fatal(err)
		}
		f := filepath.Join(b.TempDir(), fe+".yaml")
		if err := os.WriteFile(f, res.Plan.Compose, 0o644); err != nil {
			b.Fatal(err)
		}
		files[fe] = f
	}
	if _, err := rel("dev1", "fe-b"); err != nil {
		b.Fatal(err)
	}
	return rel, files
}
