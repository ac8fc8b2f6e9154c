package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser starts headless Chromium for a test, or skips (fails with KICKOFF_REQUIRE_BROWSER=1)
// when it is not installed. It returns a browser context and the folder for screenshots.
func browser(t *testing.T) (context.Context, string) {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("KICKOFF_REQUIRE_BROWSER") == "1" {
			t.Fatal("chromium is not installed and KICKOFF_REQUIRE_BROWSER=1: install the Debian package chromium (.ci/run does)")
		}
		t.Skip("browser test skipped: chromium is not installed (apt-get install chromium; KICKOFF_REQUIRE_BROWSER=1 makes this a failure)")
	}
	artifacts := os.Getenv("KICKOFF_ARTIFACTS")
	if artifacts != "" {
		artifacts = filepath.Join(artifacts, "web", t.Name())
		if err := os.MkdirAll(artifacts, 0o755); err != nil {
			t.Fatal(err)
		}
	} else {
		artifacts = t.ArtifactDir()
	}
	t.Logf("screenshots go to %s (set KICKOFF_ARTIFACTS, or go test -artifacts, to keep them)", artifacts)

	// These flags keep Chromium from reaching for the network it does not have here.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium (%s): %v", path, err)
	}
	return bctx, artifacts
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG (lower is JPEG)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", file, len(png))
}

// run runs an action returning a value, failing the test on error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

type css = chromedp.CSS

// TestBrowserBoardToSlotHistory loads the board fed by a real file ledger in Chromium, checks
// what a person sees, follows dev1 to its page and history, filters the history, and looks
// at the board on a phone-sized screen.
func TestBrowserBoardToSlotHistory(t *testing.T) {
	s, _ := seeded(t)
	srv := serve(t, s)
	ctx, dir := browser(t)

	do(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(css(`#slot-dev1`)))
	card := run(t, ctx, chromedp.Text(css(`#slot-dev1`)))
	hover := run(t, ctx, chromedp.AttributeValue(css(`#slot-dev1 li[data-app="spring"] time`), "title"))
	title := run(t, ctx, chromedp.Title())
	screenshot(t, ctx, dir, "board.png")
	for _, want := range []string{"dev1", "kickoff-251118-cart", "v1.3.0", "spring", "b1b2c3d", "unhealthy", "ann@example.com", "6h ago", "PROJ-12", "rolled_back", "History of dev1"} {
		if !strings.Contains(card, want) {
			t.Errorf("dev1's card does not show %q:\n%s", want, card)
		}
	}
	if hover.Value != "2026-11-25 09:00:00 UTC" || title != "kickoff" {
		t.Errorf("hover title %q, page title %q", hover.Value, title)
	}

	// Follow the slot to its page: its state and its own history, the failure visible.
	do(t, ctx, chromedp.Click(css(`#slot-dev1 h2 a`)), chromedp.WaitVisible(css(`table.history`)))
	loc := run(t, ctx, chromedp.Location())
	h1 := run(t, ctx, chromedp.Text(css(`h1`)))
	hist := run(t, ctx, chromedp.Text(css(`table.history`)))
	rows := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('table.history tbody tr[id]').length`))
	screenshot(t, ctx, dir, "slot-dev1.png")
	if !strings.HasSuffix(loc, "/slots/dev1") || h1 != "Slot dev1" || rows != 2 {
		t.Errorf("slot page: location %s, h1 %q, %d history rows (want /slots/dev1, Slot dev1, 2)", loc, h1, rows)
	}
	if !strings.Contains(hist, "spring: health check failed after 60s") || !strings.Contains(hist, "kickoff-251118-cart") {
		t.Errorf("dev1 history lacks the failure or the deploy:\n%s", hist)
	}

	// The history page, filtered by slot through the form (no JavaScript involved).
	do(t, ctx,
		chromedp.Click(css(`nav a[href="/history"]`)),
		chromedp.WaitVisible(css(`form.filter`)),
		chromedp.SetValue(css(`select[name="slot"]`), "dev2"),
		chromedp.Submit(css(`form.filter`)),
		chromedp.WaitVisible(css(`a.clear`)), // only a filtered page has it
	)
	loc = run(t, ctx, chromedp.Location())
	rows = run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('table.history tbody tr[id]').length`))
	screenshot(t, ctx, dir, "history-dev2.png")
	if !strings.Contains(loc, "slot=dev2") || rows != 1 {
		t.Errorf("filtered history: location %s, %d rows (want slot=dev2, 1)", loc, rows)
	}

	// The kickoffs and their conflict heat map; a conflict cell leads to the pair's files.
	do(t, ctx, chromedp.Click(css(`nav a[href="/kickoffs"]`)), chromedp.WaitVisible(css(`table.heatmap`)))
	cells := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('table.heatmap td.cell.conflict').length`))
	screenshot(t, ctx, dir, "kickoffs.png")
	if cells != 2 {
		t.Errorf("heat map shows %d conflict cells, want 2 (the pair both ways)", cells)
	}
	do(t, ctx, chromedp.Click(css(`table.heatmap td.cell.conflict a`)), chromedp.WaitVisible(css(`table.paths`)))
	paths := run(t, ctx, chromedp.Text(css(`table.paths`)))
	if !strings.Contains(paths, "api/cart.py") {
		t.Errorf("pair page lacks the conflicting file:\n%s", paths)
	}

	// A phone: the board fits the width (tables scroll inside their cards, not the page).
	do(t, ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(css(`#slot-dev4`)),
	)
	overflow := run(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	screenshot(t, ctx, dir, "board-phone.png")
	if overflow {
		t.Error("the board is wider than a 390px phone screen")
	}
}

// TestBrowserUnknownSlot shows the 404 page a person gets for a slot that does not exist.
func TestBrowserUnknownSlot(t *testing.T) {
	s, _ := seeded(t)
	srv := serve(t, s)
	ctx, dir := browser(t)
	do(t, ctx, chromedp.Navigate(srv.URL+"/slots/dev9"), chromedp.WaitVisible(css(`p.failure`)))
	msg := run(t, ctx, chromedp.Text(css(`p.failure`)))
	screenshot(t, ctx, dir, "unknown-slot.png")
	if msg != "There is no slot called dev9." {
		t.Errorf("404 message %q", msg)
	}
}

// TestBrowserHeatmapRepoSwitch: in a platform of several repositories, a click on a
// repository's name shows its heat map, and its conflict cell leads to its pair page.
func TestBrowserHeatmapRepoSwitch(t *testing.T) {
	s, _ := seeded(t)
	fe := s.Matrix
	s.Repos = []string{"spring", "fe"}
	s.Matrix = func(ctx context.Context) (*Heatmap, error) {
		return &Heatmap{Refs: []string{"main"}, Rows: [][]HeatCell{{{A: "main", B: "main", State: StateSelf}}}}, nil
	}
	s.RepoMatrix = func(ctx context.Context, repo string) (*Heatmap, error) { return fe(ctx) }
	srv := serve(t, s)
	ctx, dir := browser(t)

	do(t, ctx, chromedp.Navigate(srv.URL+"/kickoffs"), chromedp.WaitVisible(css(`nav.repos`)))
	before := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('table.heatmap td.cell.conflict').length`))
	do(t, ctx, chromedp.Click(css(`nav.repos a[href="?repo=fe"]`)), chromedp.WaitVisible(css(`nav.repos a[aria-current="page"][href="?repo=fe"]`)))
	after := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('table.heatmap td.cell.conflict').length`))
	screenshot(t, ctx, dir, "kickoffs-fe.png")
	if before != 0 || after != 2 {
		t.Errorf("conflict cells: spring %d (want 0), fe %d (want 2)", before, after)
	}
	do(t, ctx, chromedp.Click(css(`table.heatmap td.cell.conflict a`)), chromedp.WaitVisible(css(`table.paths`)))
	if loc := run(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "&repo=fe") {
		t.Errorf("pair page of fe at %s", loc)
	}
}
