package term_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/term"
)

// Colour follows https://no-color.org and TERM=dumb; KICKOFF_FORCE_TTY makes every stream a
// terminal.
func TestSystemColour(t *testing.T) {
	for _, tc := range []struct {
		noColor, termName string
		want              bool
	}{
		{"", "xterm-256color", true},
		{"1", "xterm-256color", false},
		{"", "dumb", false},
	} {
		t.Setenv("KICKOFF_FORCE_TTY", "1")
		t.Setenv("NO_COLOR", tc.noColor)
		t.Setenv("TERM", tc.termName)
		s := term.System()
		if !s.IsStdinTTY() || !s.IsStdoutTTY() || !s.IsStderrTTY() {
			t.Fatalf("KICKOFF_FORCE_TTY=1: streams not terminals")
		}
		if got := s.Red("x") != "x"; got != tc.want {
			t.Errorf("NO_COLOR=%q TERM=%s: coloured = %v, want %v", tc.noColor, tc.termName, got, tc.want)
		}
	}
}

func TestPaint(t *testing.T) {
	s := term.Test(nil, nil, nil)
	if got := s.Red("fail") + s.Bold("x"); got != "failx" {
		t.Errorf("without colour: %q", got)
	}
	s.SetTTY(true, true)
	for name, got := range map[string]string{
		"red": s.Red("a"), "green": s.Green("a"), "yellow": s.Yellow("a"), "bold": s.Bold("a"), "dim": s.Dim("a"),
	} {
		if !strings.HasPrefix(got, "\x1b[") || !strings.HasSuffix(got, "a\x1b[0m") {
			t.Errorf("%s: %q", name, got)
		}
	}
}

// Eprintf is for messages: stderr only; JSON is data: stdout, indented, "&" kept as is.
func TestEprintfAndJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	s := term.Test(nil, &out, &errOut)
	s.Eprintf("working on %s\n", "dev1")
	if err := s.JSON(map[string]any{"url": "https://x?a=1&b=2", "n": 1}); err != nil {
		t.Fatal(err)
	}
	if errOut.String() != "working on dev1\n" {
		t.Errorf("stderr = %q", errOut.String())
	}
	if want := "{\n  \"n\": 1,\n  \"url\": \"https://x?a=1&b=2\"\n}\n"; out.String() != want {
		t.Errorf("stdout = %q, want %q", out.String(), want)
	}
}

func TestTable(t *testing.T) {
	rows := [][]string{{"dev1", "kickoff-240510-alpha"}, {"dev12", "-"}}
	render := func(tty, colour bool, cells func(*term.IO, []string) []string) string {
		var out bytes.Buffer
		s := term.Test(nil, &out, nil)
		s.SetTTY(tty, colour)
		tbl := s.NewTable("SLOT", "KICKOFF")
		for _, r := range rows {
			tbl.Row(cells(s, r)...)
		}
		if err := tbl.Render(); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	plain := func(_ *term.IO, r []string) []string { return r }

	// Piped: tab-separated rows, no header, for cut and awk.
	if got, want := render(false, false, plain), "dev1\tkickoff-240510-alpha\ndev12\t-\n"; got != want {
		t.Errorf("piped:\n%q\nwant\n%q", got, want)
	}
	// Terminal: a header and columns two spaces apart.
	want := "SLOT   KICKOFF\ndev1   kickoff-240510-alpha\ndev12  -\n"
	if got := render(true, false, plain); got != want {
		t.Errorf("terminal:\n%s\nwant\n%s", got, want)
	}
	// Colour escapes take no width: stripped of them, the coloured table is the same.
	red := func(s *term.IO, r []string) []string { return []string{s.Red(r[0]), r[1]} }
	got := render(true, true, red)
	stripped := got
	for _, esc := range []string{"\x1b[31m", "\x1b[1m", "\x1b[0m"} {
		stripped = strings.ReplaceAll(stripped, esc, "")
	}
	if stripped == got || stripped != want {
		t.Errorf("coloured terminal:\n%q\nwithout escapes\n%q\nwant\n%q", got, stripped, want)
	}
}

// Korean names take two cells a character: columns stay aligned by what the eye sees.
func TestTableDisplayWidth(t *testing.T) {
	var out bytes.Buffer
	s := term.Test(nil, &out, nil)
	s.SetTTY(true, false)
	tbl := s.NewTable("AUTHOR", "KICKOFF")
	tbl.Row("김민준", "kickoff-240510-gyeolje-gaeseon")
	tbl.Row("Ann Author", "kickoff-240511-search")
	tbl.Row("Zoë", "kickoff-240512-x")
	if err := tbl.Render(); err != nil {
		t.Fatal(err)
	}
	want := "AUTHOR      KICKOFF\n" +
		"김민준      kickoff-240510-gyeolje-gaeseon\n" + // 6 cells + 6 spaces
		"Ann Author  kickoff-240511-search\n" +
		"Zoë         kickoff-240512-x\n"
	if out.String() != want {
		t.Errorf("table:\n%s\nwant\n%s", out.String(), want)
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n")[1:] {
		if col := term.DisplayWidth(line[:strings.Index(line, "kickoff")]); col != 12 {
			t.Errorf("%q: KICKOFF starts at cell %d, want 12", line, col)
		}
	}
	if got := term.DisplayWidth(s.Red("결제") + "…"); got != 5 {
		t.Errorf("DisplayWidth(red 결제…) = %d, want 5", got)
	}
}

// On a narrow terminal the free-text column is cut with "…"; names never are.
func TestTableFitsTerminal(t *testing.T) {
	render := func(width int) string {
		var out bytes.Buffer
		s := term.Test(nil, &out, nil)
		s.SetTTY(true, false)
		s.SetWidth(width)
		tbl := s.NewTable("KICKOFF", "LAST COMMIT", "FEATURES").Shrink("LAST COMMIT")
		tbl.Row("kickoff-240510-gyeolje-gaeseon", "김민준, 3 hours ago: 결제 화면에 환불 버튼 추가", "feature/PROJ-124-gyeolje-gaeseon")
		tbl.Row("kickoff-240511-search", "Ann Author, just now", "-")
		if err := tbl.Render(); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	wide := render(0)
	if strings.Contains(wide, "…") || !strings.Contains(wide, "환불 버튼 추가") {
		t.Errorf("unknown width: nothing is cut:\n%s", wide)
	}
	narrow := render(90)
	for _, line := range strings.Split(strings.TrimSpace(narrow), "\n") {
		if w := term.DisplayWidth(line); w > 90 {
			t.Errorf("line is %d cells on a 90-cell terminal: %q", w, line)
		}
	}
	for _, name := range []string{"kickoff-240510-gyeolje-gaeseon", "feature/PROJ-124-gyeolje-gaeseon", "김민준, 3 hours", "…"} {
		if !strings.Contains(narrow, name) {
			t.Errorf("narrow table lacks %q:\n%s", name, narrow)
		}
	}
	// Too narrow for even that: names stay whole, the free text keeps a readable stub.
	tiny := render(40)
	if !strings.Contains(tiny, "kickoff-240510-gyeolje-gaeseon") || !strings.Contains(tiny, "feature/PROJ-124-gyeolje-gaeseon") {
		t.Errorf("names were cut:\n%s", tiny)
	}
}
