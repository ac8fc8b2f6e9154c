package route

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWatchSeesRewrites(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, TableFile)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changed := make(chan struct{}, 10)
	go NewWatcher(p).Run(ctx, 10*time.Millisecond, func() { changed <- struct{}{} })
	l := &Local{Path: p, Mode: ModePath, Domain: "localhost"}
	r := Route{Slot: "dev1", App: "fe", Host: "localhost", Path: "/dev1/fe/", Backend: Backend{"127.0.0.1", 20000}}
	plan, err := l.Plan(ctx, []Route{r})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Apply(ctx, plan); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("no reload after the table was written")
	}
	tbl, err := ReadTable(p)
	if err != nil || len(tbl.Routes) != 1 || tbl.Routes[0].Backend.Port != 20000 {
		t.Fatalf("table %+v %v", tbl, err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("no reload after the table was removed")
	}
}
