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
