package term_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/term"
)

// Piped (CI logs): one plain line per change of state.
func TestProgressPlain(t *testing.T) {
	var errOut bytes.Buffer
	s := term.Test(nil, nil, &errOut)
	p := s.NewProgress("fe", "spring")
	p.Set("fe", "pulling")
	p.Set("spring", "healthy")
	s.Count("merging", 1, 2) // nothing off a terminal
	if got, want := errOut.String(), "fe: pulling\nspring: healthy\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

// On a terminal: every task on its own line, names aligned, redrawn in place; a task not
// named up front joins the list.
func TestProgressTerminal(t *testing.T) {
	var errOut bytes.Buffer
	s := term.Test(nil, nil, &errOut)
	s.SetTTY(true, false)
	p := s.NewProgress("fe", "spring")
	p.Set("fe", "pulling")
	first := "\x1b[2K  fe      pulling\n\x1b[2K  spring  waiting\n"
	if errOut.String() != first {
		t.Fatalf("first draw %q, want %q", errOut.String(), first)
	}
	errOut.Reset()
	p.Set("worker", "healthy")
	want := "\x1b[2A\x1b[2K  fe      pulling\n\x1b[2K  spring  waiting\n\x1b[2K  worker  healthy\n"
	if errOut.String() != want {
		t.Fatalf("redraw %q, want %q", errOut.String(), want)
	}
}

func TestCountTerminal(t *testing.T) {
	var errOut bytes.Buffer
	s := term.Test(nil, nil, &errOut)
	s.SetTTY(true, false)
	s.Count("merging", 1, 2)
	s.Count("merging", 2, 2)
	got := errOut.String()
	if want := "\r\x1b[2Kmerging 1/2\r\x1b[2Kmerging 2/2\n"; got != want {
		t.Errorf("Count = %q, want %q", got, want)
	}
	if strings.Count(got, "\n") != 1 {
		t.Errorf("only the last count ends the line: %q", got)
	}
}
