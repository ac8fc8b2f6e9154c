package term

import (
	"fmt"
	"strings"
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
	end := ""
	if done >= total {
		end = "\n"
	}
	fmt.Fprintf(s.ErrOut, "\r\x1b[2K%s %d/%d%s", label, done, total, end)
}
