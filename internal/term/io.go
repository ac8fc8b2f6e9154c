package term

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"

	"github.com/mattn/go-isatty"
	xterm "golang.org/x/term"
)

// IO carries the standard streams and what is known about them.
type IO struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	color     bool
	width     int // the terminal's columns; 0 when unknown or not a terminal
	mu        sync.Mutex
	spin      spinState // see Spin
}

// System returns the process's streams. Colour is on only when stdout is a terminal and
// NO_COLOR is unset or empty (https://no-color.org); KICKOFF_FORCE_TTY=1 pretends a terminal, for tests.
func System() *IO {
	return FromFiles(os.Stdin, os.Stdout, os.Stderr, os.Getenv)
}

// FromFiles returns streams on in, out and errOut, asking the operating system which
// are terminals; getenv reads NO_COLOR, TERM and KICKOFF_FORCE_TTY.
func FromFiles(in, out, errOut *os.File, getenv func(string) string) *IO {
	forced := getenv("KICKOFF_FORCE_TTY") == "1"
	isTTY := func(f *os.File) bool {
		return forced || isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	io := &IO{
		In: in, Out: out, ErrOut: errOut,
		stdinTTY: isTTY(in), stdoutTTY: isTTY(out), stderrTTY: isTTY(errOut),
	}
	noColor := getenv("NO_COLOR") != "" // no-color.org: set and not empty
	io.color = io.stdoutTTY && !noColor && getenv("TERM") != "dumb"
	if io.stdoutTTY {
		io.width = terminalWidth(out, getenv("COLUMNS"))
	}
	return io
}

// terminalWidth is the width of the terminal f shows: COLUMNS when set to a number (as
// shells export it, and tests set it), else what the terminal says, 0 when unknown.
func terminalWidth(f *os.File, columns string) int {
	if n, err := strconv.Atoi(columns); err == nil && n > 0 {
		return n
	}
	if w, _, err := xterm.GetSize(int(f.Fd())); err == nil && w > 0 {
		return w
	}
	return 0
}

// SetWidth sets the terminal's width in columns (for tests of terminal output; 0: unknown).
func (s *IO) SetWidth(columns int) { s.width = columns }

// Width is the terminal's width in columns, 0 when stdout is no terminal or its width is
// unknown.
func (s *IO) Width() int { return s.width }

// Test returns streams backed by buffers; nothing is a terminal. Its spinner draws its
// first frame only, so what a test reads does not depend on how long it took.
func Test(in io.Reader, out, errOut io.Writer) *IO {
	return &IO{In: in, Out: out, ErrOut: errOut, spin: spinState{still: true}}
}

// SetTTY marks all streams as terminals (for tests of terminal output).
func (s *IO) SetTTY(tty, color bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY, s.color = tty, tty, tty, color
}

func (s *IO) IsStdinTTY() bool  { return s.stdinTTY }
func (s *IO) IsStdoutTTY() bool { return s.stdoutTTY }
func (s *IO) IsStderrTTY() bool { return s.stderrTTY }

// Eprintf writes a message to stderr (never to stdout, which carries data): progress,
// notes, warnings. Data goes to Out (tables, JSON).
func (s *IO) Eprintf(format string, a ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clearSpin()
	fmt.Fprintf(s.ErrOut, format, a...)
	s.drawSpin()
}

// JSON writes v as indented JSON to stdout.
func (s *IO) JSON(v any) error {
	enc := json.NewEncoder(s.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "&" stays "&" for people reading --json
	return enc.Encode(v)
}

// Colours are five SGR codes, written here rather than taken from a colour library: the
// libraries served (fatih/color, termenv) decide on their own, from the process's stdout
// and a package-level switch, whether to colour, where IO decides once per stream
// (injected in tests) and must stay the one place that does.
const (
	red    = "\x1b[31m"
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	bold   = "\x1b[1m"
	dim    = "\x1b[2m"
	reset  = "\x1b[0m"
)

func (s *IO) paint(code, text string) string {
	if !s.color {
		return text
	}
	return code + text + reset
}

func (s *IO) Red(t string) string    { return s.paint(red, t) }
func (s *IO) Green(t string) string  { return s.paint(green, t) }
func (s *IO) Yellow(t string) string { return s.paint(yellow, t) }
func (s *IO) Bold(t string) string   { return s.paint(bold, t) }
func (s *IO) Dim(t string) string    { return s.paint(dim, t) }
