package ledger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// warnings collects the store's warnings.
func warnings(s *FileStore) *[]string {
	var mu sync.Mutex
	var w []string
	s.Warn = func(m string) { mu.Lock(); w = append(w, m); mu.Unlock() }
	return &w
}

func TestFileAppendListNewestFirstAndFilters(t *testing.T) {
	ctx := context.Background()
	s := NewFileStore(filepath.Join(t.TempDir(), "state", FileName))
	w := warnings(s)
	empty, err := s.List(ctx, Filter{})
	if err != nil || len(empty) != 0 {
		t.Fatalf("missing ledger: got %v, %v; want empty, nil", empty, err)
	}
	in := []Record{
		rec("dev1", "kickoff-240510-a", "frontend", "spring"),
		rec("dev2", "kickoff-240511-b", "django"),
		rec("dev1", "kickoff-240511-b", "spring"),
		{Action: ActionClaim, Slot: "dev3", Outcome: OutcomeSucceeded, Claim: &Claim{For: "kickoff-240510-a", By: "bo@example.com"}},
	}
	var ids []string
	for _, r := range in {
		got, err := s.Append(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID == "" || got.Time.IsZero() {
			t.Fatalf("Append did not fill id/time: %+v", got)
		}
		ids = append(ids, got.ID)
	}
	if !slices.IsSorted(ids) {
		t.Errorf("ids not sortable in append order: %v", ids)
	}
	all, err := s.List(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []string
	for _, r := range all {
		gotIDs = append(gotIDs, r.ID)
	}
	want := slices.Clone(ids)
	slices.Reverse(want)
	if !slices.Equal(gotIDs, want) {
		t.Errorf("List order = %v, want newest first %v", gotIDs, want)
	}
	if all[3].Apps[1].Image != "registry.test/spring:kickoff-240510-a" || all[0].Claim.By != "bo@example.com" {
		t.Errorf("fields lost in the round trip: %+v", all)
	}

	for _, tc := range []struct {
		f    Filter
		want []string
	}{
		{Filter{Slot: "dev1"}, []string{ids[2], ids[0]}},
		{Filter{Kickoff: "kickoff-240511-b"}, []string{ids[2], ids[1]}},
		{Filter{Kickoff: "kickoff-240510-a"}, []string{ids[0]}}, // a claim's For is not the deployed kickoff
		{Filter{App: "spring"}, []string{ids[2], ids[0]}},
		{Filter{Slot: "dev1", App: "frontend"}, []string{ids[0]}},
		{Filter{Limit: 2}, []string{ids[3], ids[2]}},
		{Filter{Slot: "dev9"}, nil},
	} {
		got, err := s.List(ctx, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		var g []string
		for _, r := range got {
			g = append(g, r.ID)
		}
		if !slices.Equal(g, tc.want) {
			t.Errorf("List(%+v) = %v, want %v", tc.f, g, tc.want)
		}
	}
	if len(*w) != 0 {
		t.Errorf("unexpected warnings: %v", *w)
	}
}

func TestFileDefaultLimitIs100(t *testing.T) {
	ctx := context.Background()
	s := NewFileStore(filepath.Join(t.TempDir(), FileName))
	for i := 0; i < 105; i++ {
		if _, err := s.Append(ctx, rec("dev1", "k"+strconv.Itoa(i), "spring")); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.List(ctx, Filter{})
	if len(got) != 100 || got[0].Kickoff != "k104" || got[99].Kickoff != "k5" {
		t.Errorf("default list: %d records, first %q last %q; want 100, k104..k5", len(got), got[0].Kickoff, got[len(got)-1].Kickoff)
	}
	got, _ = s.List(ctx, Filter{Limit: -1})
	if len(got) != 105 {
		t.Errorf("Limit -1 gave %d records, want all 105", len(got))
	}
}

func TestFileTornLastLineSkippedWithWarningAndNextAppendIntact(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	s := NewFileStore(path)
	w := warnings(s)
	for _, k := range []string{"k1", "k2"} {
		if _, err := s.Append(ctx, rec("dev1", k, "spring")); err != nil {
			t.Fatal(err)
		}
	}
	// A writer dies half way through its line.
	good, _ := os.ReadFile(path)
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"id":"01JTORN","time":"2026-11-25T10:00:00Z","action":"rele`)
	f.Close()

	got, err := s.List(ctx, Filter{})
	if err != nil {
		t.Fatalf("a torn line failed the read: %v", err)
	}
	if len(got) != 2 || got[0].Kickoff != "k2" {
		t.Fatalf("got %d records (%+v), want the 2 complete ones", len(got), got)
	}
	if len(*w) != 1 || !strings.Contains((*w)[0], "line 3 is incomplete") {
		t.Fatalf("warnings = %q, want one naming line 3 as incomplete", *w)
	}

	if _, err := s.Append(ctx, rec("dev1", "k3", "spring")); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.HasPrefix(after, good) {
		t.Fatal("append rewrote earlier records")
	}
	*w = nil
	got, _ = s.List(ctx, Filter{})
	if len(got) != 3 || got[0].Kickoff != "k3" {
		t.Fatalf("after append: %d records, newest %q; want 3 with k3 newest", len(got), got[0].Kickoff)
	}
	if len(*w) != 1 || !strings.Contains((*w)[0], "line 3 is not a ledger record") {
		t.Errorf("warnings = %q, want the torn line 3 reported as corrupt", *w)
	}
}

func TestFileCorruptMiddleLineSkipped(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	s := NewFileStore(path)
	w := warnings(s)
	s.Append(ctx, rec("dev1", "k1", "spring"))
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString("\x00\x00garbage}\n{\"no\":\"id\"}\n")
	f.Close()
	s.Append(ctx, rec("dev1", "k2", "spring"))
	got, err := s.List(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Kickoff != "k2" || got[1].Kickoff != "k1" {
		t.Fatalf("got %+v, want k2, k1", got)
	}
	if len(*w) != 2 || !strings.Contains((*w)[0], "line 2") || !strings.Contains((*w)[1], "line 3") {
		t.Errorf("warnings = %q, want lines 2 and 3 named", *w)
	}
}

func TestFileUnreadableLedgerIsAClearError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.Mkdir(path, 0o755); err != nil { // a folder where the file should be
		t.Fatal(err)
	}
	s := NewFileStore(path)
	_, err := s.List(context.Background(), Filter{})
	if err == nil || !strings.Contains(err.Error(), "read ledger") {
		t.Fatalf("List on a folder: err = %v, want a read ledger error", err)
	}
	if _, err := s.Append(context.Background(), rec("dev1", "k", "spring")); err == nil {
		t.Fatal("Append into a folder succeeded")
	}
}

// checkAll verifies that want records (kickoff names) are all present exactly once.
// appendAtOnce has writers goroutines append each records apiece at the same time, each
// through its own store from open, into the slot slotOf names for it. It reports failed
// appends and returns the kickoff names it wrote (w<writer>-<n>), for checkAll.
func appendAtOnce(t *testing.T, writers, each int, open func() Store, slotOf func(writer int) string) map[string]bool {
	t.Helper()
	want := map[string]bool{}
	errs := make(chan error, writers*each)
	var wg sync.WaitGroup
	for i := 0; i < writers; i++ {
		for j := 0; j < each; j++ {
			want[fmt.Sprintf("w%d-%d", i, j)] = true
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := open()
			for j := 0; j < each; j++ {
				if _, err := st.Append(context.Background(), rec(slotOf(i), fmt.Sprintf("w%d-%d", i, j), "spring")); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	return want
}

// checkFileHoldsAll checks that the ledger file holds each of want once (checkAll) and that
// concurrent writers left no unreadable line in it (w collects s's warnings).
func checkFileHoldsAll(t *testing.T, s *FileStore, w *[]string, want map[string]bool) {
	t.Helper()
	got, err := s.List(context.Background(), Filter{Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, got, want)
	if len(*w) != 0 {
		t.Errorf("interleaved writes left unreadable lines: %v", *w)
	}
}

func checkAll(t *testing.T, got []Record, want map[string]bool) {
	t.Helper()
	seen := map[string]int{}
	ids := map[string]bool{}
	for _, r := range got {
		seen[r.Kickoff]++
		if ids[r.ID] {
			t.Errorf("duplicate id %s", r.ID)
		}
		ids[r.ID] = true
	}
	for k := range want {
		if seen[k] != 1 {
			t.Errorf("record %s present %d times, want once", k, seen[k])
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d records, want %d", len(got), len(want))
	}
}

func TestFileConcurrentGoroutines(t *testing.T) {
	s := NewFileStore(filepath.Join(t.TempDir(), FileName))
	w := warnings(s)
	// Each goroutine its own store value: separate lock handles, as separate commands have.
	want := appendAtOnce(t, 24, 10, func() Store { return NewFileStore(s.Path()) },
		func(writer int) string { return fmt.Sprintf("dev%d", writer%4+1) })
	checkFileHoldsAll(t, s, w, want)
}

// TestFileConcurrentProcesses starts 20 copies of this test binary that append at once.
func TestFileConcurrentProcesses(t *testing.T) {
	if path := os.Getenv("KICKOFF_LEDGER_CHILD"); path != "" {
		n, _ := strconv.Atoi(os.Getenv("KICKOFF_LEDGER_CHILD_N"))
		s := NewFileStore(path)
		for j := 0; j < 5; j++ {
			if _, err := s.Append(context.Background(), rec("dev1", fmt.Sprintf("p%d-%d", n, j), "spring")); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
		}
		return
	}
	path := filepath.Join(t.TempDir(), FileName)
	const procs = 20
	want := map[string]bool{}
	cmds := make([]*exec.Cmd, procs)
	outs := make([]*bytes.Buffer, procs)
	for i := range procs {
		for j := 0; j < 5; j++ {
			want[fmt.Sprintf("p%d-%d", i, j)] = true
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestFileConcurrentProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), "KICKOFF_LEDGER_CHILD="+path, "KICKOFF_LEDGER_CHILD_N="+strconv.Itoa(i))
		outs[i] = &bytes.Buffer{}
		cmd.Stdout, cmd.Stderr = outs[i], outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("writer process %d: %v\n%s", i, err, outs[i])
		}
	}
	s := NewFileStore(path)
	checkFileHoldsAll(t, s, warnings(s), want)
}

// A ledger.jsonl that is a symbolic link was appended to wherever it pointed.
func TestFileAppendRefusesSymlinkedLedger(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	target := filepath.Join(outside, "victim")
	if err := os.WriteFile(target, []byte("keep\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, FileName)); err != nil {
		t.Fatal(err)
	}
	st := NewFileStore(filepath.Join(dir, FileName))
	if _, err := st.Append(context.Background(), Record{Action: ActionRelease, Slot: "dev1"}); !errors.Is(err, gitrepo.ErrStateSymlink) {
		t.Fatalf("Append through a link: %v, want ErrStateSymlink", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep\n" {
		t.Errorf("the link's target was written: %q", b)
	}
}
