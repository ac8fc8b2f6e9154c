package slot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
)

// A slot on a swarm (engine: swarm) through its life, by the same calls as a Compose slot:
// a release runs both apps as a stack (the frontend reaches the backend by service name,
// the published ports answer on 127.0.0.1), a bad build fails the health gate and the slot
// goes back to the previous digests, a rollback returns to an earlier deploy, and down
// leaves no service or network.
func TestSwarmSlotLifecycle(t *testing.T) {
	t.Parallel()
	w := newSwarmWorld(t)
	ctx := context.Background()
	w.kickoffBuilt(kAlpha, "alpha1")

	start := time.Now()
	res, err := w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first release to a swarm slot took %s", time.Since(start).Round(time.Millisecond))
	fe := w.get("dev1", "fe")
	if fe.Version != "fe-alpha1" || fe.Backend == nil || fe.Backend.Version != "be-alpha1" || fe.Backend.Slot != "dev1" {
		t.Fatalf("fe answered %+v (backend %+v)", fe, fe.Backend)
	}
	good := map[string]string{}
	for _, a := range res.Record.Apps {
		good[a.Name] = a.Digest
	}
	w.runsDigests("dev1", good)
	project := w.svc.Project("dev1")
	if out, _ := exec.Command("docker", "network", "inspect", "--format", "{{.Driver}} {{.Scope}} {{.Attachable}}", project+"_default").Output(); strings.TrimSpace(string(out)) != "overlay swarm true" {
		t.Errorf("the slot's network %s_default is %q, want an attachable overlay network", project, out)
	}
	if h, err := w.svc.LockHolder(ctx, "dev1"); err != nil || h != nil {
		t.Errorf("lock after the release: %+v, %v", h, err)
	}

	// The same release again: nothing changes, nothing is recorded.
	if res, err := w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha}); err != nil || !res.NoOp {
		t.Fatalf("re-release: %+v, %v", res, err)
	}

	// A broken backend: the health gate fails and the stack returns to the previous digests.
	branch(w.repo, kAlpha, "be.txt")
	w.push("be", w.repo, kAlpha, "be-broken", true)
	_, err = w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha})
	var de *DeployError
	if !errors.As(err, &de) || de.App != "be" || !de.RolledBack || !strings.Contains(de.Logs, "broken on purpose") {
		t.Fatalf("unhealthy release: %v", err)
	}
	w.runsDigests("dev1", good)
	if be := w.get("dev1", "be"); be.Version != "be-alpha1" {
		t.Fatalf("after the rollback be's port answers %+v", be)
	}
	if recs := w.records("dev1"); recs[0].Outcome != ledger.OutcomeRolledBack {
		t.Fatalf("failed release recorded as %s", recs[0].Outcome)
	}

	// A new frontend, then `slot rollback` to the deploy before it.
	w.push("be", w.repo, kAlpha, "be-alpha2", false)
	branch(w.feRepo, kAlpha, "fe.txt")
	w.push("fe", w.feRepo, kAlpha, "fe-alpha2", false)
	if _, err := w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha}); err != nil {
		t.Fatal(err)
	}
	if fe := w.get("dev1", "fe"); fe.Version != "fe-alpha2" || fe.Backend == nil || fe.Backend.Version != "be-alpha2" {
		t.Fatalf("second release: fe %+v backend %+v", fe, fe.Backend)
	}
	if _, err := w.svc.Rollback(ctx, RollbackOptions{Slot: "dev1", Reason: "fe regression"}); err != nil {
		t.Fatal(err)
	}
	w.runsDigests("dev1", good)
	if fe := w.get("dev1", "fe"); fe.Version != "fe-alpha1" {
		t.Fatalf("after slot rollback fe is %s", fe.Version)
	}

	// Status reads the stack's containers; exec runs in the app's task.
	st, err := w.svc.Status(ctx, "dev1", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range st.Apps {
		if a.Health != ledger.Healthy || a.Container == "" {
			t.Errorf("status of %s: %s %q (container %q)", a.Name, a.Health, a.Detail, a.Container)
		}
	}
	var out strings.Builder
	if err := w.svc.Exec(ctx, "dev1", "be", false, []string{"/app", "get", "/env?name=KICKOFF_SLOT"}, nil, &out, &out); err != nil || out.String() != "dev1" {
		t.Fatalf("exec: %q, %v", out.String(), err)
	}

	// Down removes the stack: no service, no container, no network left.
	if _, err := w.svc.Down(ctx, "dev1", "", false); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"service", "ls", "-q"}, {"ps", "-aq"}, {"network", "ls", "-q"}} {
		b, err := exec.Command("docker", append(args, "--filter", "label="+compose.LabelStack+"="+project)...).Output()
		if err != nil || strings.TrimSpace(string(b)) != "" {
			t.Errorf("after down, docker %s: %q %v", strings.Join(args, " "), b, err)
		}
	}
}

// runsDigests checks that each app's running task in slot runs the image of its digest.
func (w *world) runsDigests(slot string, digests map[string]string) {
	w.t.Helper()
	cs, err := w.eng.Containers(context.Background(), w.svc.Project(slot))
	if err != nil {
		w.t.Fatal(err)
	}
	for _, c := range cs {
		if d, ok := digests[c.Service]; ok && (c.State != "running" || !strings.HasSuffix(c.Image, "@"+d)) {
			w.t.Errorf("%s: task container %s runs %s, want @%s", c.Service, c.State, c.Image, d)
		}
	}
	if len(cs) != len(digests) {
		w.t.Errorf("containers %+v, want one per app", cs)
	}
}

// BenchmarkSwarmRelease measures the same releases to a Compose slot and to a swarm slot
// (engine: swarm) on the same engine: the first release into an empty slot (both apps) and
// a one-app change, then down; medians in seconds over KICKOFF_BENCH_N rounds (default 3).
func BenchmarkSwarmRelease(b *testing.B) {
	n := 3
	if v, err := strconv.Atoi(os.Getenv("KICKOFF_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	regtest.NeedSwarm(b)
	cmd, err := compose.Detect()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	worlds := []struct {
		name string
		w    *world
	}{{"compose", newWorld(b, cmd)}, {"swarm", newSwarmWorld(b)}}
	b.ResetTimer()
	for range b.N {
		for _, e := range worlds {
			w := e.w
			w.kickoffBuilt(kAlpha, "alpha")
			var first, change, down []time.Duration
			for i := range n {
				timed := func(to *[]time.Duration, f func() error) {
					start := time.Now()
					if err := f(); err != nil {
						b.Fatal(err)
					}
					*to = append(*to, time.Since(start))
				}
				rel := func() error { _, err := w.release(ReleaseOptions{Slot: "dev1", Kickoff: kAlpha}); return err }
				timed(&first, rel)
				branch(w.feRepo, kAlpha, "fe.txt")
				w.push("fe", w.feRepo, kAlpha, fmt.Sprintf("fe-%d", i), false)
				timed(&change, rel)
				timed(&down, func() error { _, err := w.svc.Down(ctx, "dev1", "", false); return err })
			}
			b.ReportMetric(median(first).Seconds(), e.name+"-first-s")
			b.ReportMetric(median(change).Seconds(), e.name+"-change-s")
			b.ReportMetric(median(down).Seconds(), e.name+"-down-s")
		}
	}
}
