package term_test

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/creack/pty"

	"github.com/kickoffhq/kickoff/internal/term"
)

func env(kv ...string) func(string) string {
	return func(k string) string {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == k {
				return kv[i+1]
			}
		}
		return ""
	}
}

// On a real terminal (a pseudo-terminal here) the spinner shows what is under way.
func TestSpinOnATerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	s := term.FromFiles(os.Stdin, os.Stdout, tty, env("NO_COLOR", "1"))
	if !s.IsStderrTTY() {
		t.Fatal("a pseudo-terminal was not taken for a terminal")
	}
	stop := s.Spin("fetching origin")
	s.Eprintf("  저장소 연결됨\n")
	stop()
	tty.Close()
	out, _ := io.ReadAll(ptmx) // ends with EIO once the terminal side is closed
	got := string(out)
	if !strings.Contains(got, "⠋ fetching origin") {
		t.Errorf("the terminal got %q, want the spinner with its label", got)
	}
	if strings.Contains(got, "\x1b[36m") {
		t.Errorf("NO_COLOR is set but the spinner is coloured: %q", got)
	}
	// The message starts on a cleared line, and the spinner's line is cleared at the end.
	if !strings.Contains(got, "\r\x1b[2K  저장소 연결됨") || !strings.HasSuffix(got, "\r\x1b[2K") {
		t.Errorf("the spinner's line is not cleared around other output: %q", got)
	}
}

// Piped (CI, `2>log`): never a spinner, only the messages.
func TestSpinNeverWhenPiped(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	s := term.FromFiles(os.Stdin, os.Stdout, w, env())
	stop := s.Spin("pushing kickoff-240510-dashboard")
	s.Eprintf("done\n")
	stop()
	w.Close()
	out, _ := io.ReadAll(r)
	if string(out) != "done\n" {
		t.Errorf("piped stderr = %q, want only the message", out)
	}
}

// Spins nest: the inner label shows, and stopping it brings the outer one back; stopping
// twice is harmless.
func TestSpinNests(t *testing.T) {
	var errOut bytes.Buffer
	s := term.Test(nil, nil, &errOut)
	s.SetTTY(true, true)
	outer := s.Spin("push kickoff-240510-대시보드")
	inner := s.Spin("pushing to origin")
	inner()
	inner()
	outer()
	got := errOut.String()
	want := "\r\x1b[2K\x1b[36m⠋\x1b[0m push kickoff-240510-대시보드" +
		"\r\x1b[2K\x1b[36m⠋\x1b[0m pushing to origin" +
		"\r\x1b[2K" + "\r\x1b[2K\x1b[36m⠋\x1b[0m push kickoff-240510-대시보드" +
		"\r\x1b[2K"
	if got != want {
		t.Errorf("stderr = %q\nwant     %q", got, want)
	}
}

// Log lines go around the spinner the same way.
func TestLogWriterClearsTheSpinner(t *testing.T) {
	var errOut bytes.Buffer
	s := term.Test(nil, nil, &errOut)
	s.SetTTY(true, false)
	stop := s.Spin("fetching origin")
	io.WriteString(s.LogWriter(), "level=DEBUG msg=git\n")
	stop()
	want := "\r\x1b[2K⠋ fetching origin\r\x1b[2Klevel=DEBUG msg=git\n\r\x1b[2K⠋ fetching origin\r\x1b[2K"
	if got := errOut.String(); got != want {
		t.Errorf("stderr = %q\nwant     %q", got, want)
	}
}
