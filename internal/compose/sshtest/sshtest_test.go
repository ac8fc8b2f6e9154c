package sshtest

import (
	"os/exec"
	"strings"
	"testing"
)

// The server lets the test's ssh in by its alias, and the alias resolves to loopback.
func TestServerAcceptsTheAlias(t *testing.T) {
	Need(t)
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ssh := s.BinDir + "/ssh"
	out, err := exec.Command(ssh, Alias, "echo", "hello").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "hello" {
		t.Fatalf("ssh %s: %v: %s", Alias, err, out)
	}
	if n := s.Logins(); n != 1 {
		t.Errorf("logins: %d", n)
	}
	out, err = exec.Command(ssh, "-G", Alias).Output()
	if err != nil || !strings.Contains(string(out), "\nhostname 127.0.0.1\n") {
		t.Errorf("ssh -G: %v: %s", err, out)
	}
}
