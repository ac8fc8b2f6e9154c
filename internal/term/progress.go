package term

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

// Progress reports the state of named tasks (apps being deployed, pairs being merged).
// On a terminal it redraws one line per task in place; otherwise it prints a plain line
// each time a task changes state, so CI logs stay readable.
type Progress struct {
	io      *IO
	names   []string
	state   map[string]string
	drawn   int
	started time.Time
}

func (s *IO) NewProgress(names ...string) *Progress {
	p := &Progress{io: s, names: names, state: map[string]string{}, started: time.Now()}
	for _, n := range names {
		p.state[n] = "waiting"
	}
	return p
}

// Set records a task's new state and shows it.
func (p *Progress) Set(name, state string) {
	p.io.mu.Lock()
	defer p.io.mu.Unlock()
	if _, ok := p.state[name]; !ok {
		p.names = append(p.names, name)
	}
	p.state[name] = state
	p.io.clearSpin()
	defer p.io.drawSpin()
	if !p.io.stderrTTY {
		fmt.Fprintf(p.io.ErrOut, "%s: %s\n", name, state)
		return
	}
	if p.drawn > 0 {
		fmt.Fprintf(p.io.ErrOut, "\x1b[%dA", p.drawn)
	}
	width := 0
	for _, n := range p.names {
		width = max(width, len(n))
	}
	for _, n := range p.names {
		fmt.Fprintf(p.io.ErrOut, "\x1b[2K  %s%s  %s\n", n, strings.Repeat(" ", width-len(n)), p.state[n])
	}
	p.drawn = len(p.names)
}

// Count shows "label done/total" on a terminal, redrawn in place; nothing otherwise.
func (s *IO) Count(label string, done, total int) {
	if !s.stderrTTY {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clearSpin()
	defer s.drawSpin()
	end := ""
	if done >= total {
		end = "\n"
	}
	fmt.Fprintf(s.ErrOut, "\r\x1b[2K%s %d/%d%s", label, done, total, end)
}

// spinFrames turn once a second at spinTick; braille dots read well in every terminal
// font kickoff's users have and need no colour.
var spinFrames = []rune("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

const spinTick = 100 * time.Millisecond

// spinState is the spinner on stderr: the labels of the spins under way (innermost last),
// the frame shown, and whether a line is drawn.
type spinState struct {
	labels []*string
	frame  int
	shown  bool
	stop   chan struct{}
	still  bool // no turning (tests)
}

// Spin shows label after a turning glyph on stderr ("⠋ fetching origin") while work is
// under way, redrawn in place; stop clears the line. Only on a terminal: piped or in CI
// it prints nothing (the step's own message says what was done). Spins nest: the
// innermost label shows, and stopping it shows the outer one again. Anything else written
// through IO (messages, progress, log lines) clears the spinner's line first.
func (s *IO) Spin(label string) (stop func()) {
	if !s.stderrTTY {
		return func() {}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	me := &label
	s.spin.labels = append(s.spin.labels, me)
	if len(s.spin.labels) == 1 {
		s.spin.stop = make(chan struct{})
		if !s.spin.still {
			go s.turn(s.spin.stop)
		}
	}
	s.drawSpin()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.clearSpin()
			s.spin.labels = slices.DeleteFunc(s.spin.labels, func(l *string) bool { return l == me })
			if len(s.spin.labels) == 0 {
				close(s.spin.stop)
				return
			}
			s.drawSpin()
		})
	}
}

// turn advances the glyph until stop is closed.
func (s *IO) turn(stop chan struct{}) {
	t := time.NewTicker(spinTick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			s.mu.Lock()
			select {
			case <-stop:
			default:
				s.spin.frame++
				s.drawSpin()
			}
			s.mu.Unlock()
		}
	}
}

// drawSpin draws the innermost spin's line, if any; s.mu is held.
func (s *IO) drawSpin() {
	if len(s.spin.labels) == 0 {
		return
	}
	glyph := string(spinFrames[s.spin.frame%len(spinFrames)])
	if s.color {
		glyph = "\x1b[36m" + glyph + reset
	}
	fmt.Fprintf(s.ErrOut, "\r\x1b[2K%s %s", glyph, *s.spin.labels[len(s.spin.labels)-1])
	s.spin.shown = true
}

// clearSpin blanks the spinner's line so other output starts at its beginning; s.mu is held.
func (s *IO) clearSpin() {
	if s.spin.shown {
		fmt.Fprint(s.ErrOut, "\r\x1b[2K")
		s.spin.shown = false
	}
}

// LogWriter writes log lines to stderr around the spinner: its line is cleared before
// each write and drawn again after.
func (s *IO) LogWriter() io.Writer { return logWriter{s} }

type logWriter struct{ s *IO }

func (w logWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	w.s.clearSpin()
	defer w.s.drawSpin()
	return w.s.ErrOut.Write(p)
}
