// Package sshtest starts a real OpenSSH server on 127.0.0.1 in front of this machine's
// Docker engine, so a slot can be placed on an ssh:// Docker host in tests: the docker CLI
// (and Compose) dial `docker system dial-stdio` through it. It generates its host key and a
// client key in a temporary folder, and an `ssh` on PATH that reads that folder's client
// configuration, where the server has an alias (Host kickoff-ssh / HostName 127.0.0.1), as
// a user's ~/.ssh/config would give it. Nothing of the user's ~/.ssh is read or written.
package sshtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"testing"
	"time"
)

// Alias is the server's name in the client configuration.
const Alias = "kickoff-ssh"

// RequireEnv makes a missing OpenSSH server a failure rather than a skip (.ci/run sets it).
const RequireEnv = "KICKOFF_REQUIRE_SSH"

// Server is a running sshd.
type Server struct {
	Dir    string // keys, configuration and log
	Port   int
	BinDir string // holds `ssh` with this server's client configuration: put it first on PATH
	Log    string // sshd's log: one "Accepted publickey" line per connection
	cmd    *exec.Cmd
	exited chan error // the daemon's Wait
}

// sshd is where Debian's openssh-server puts the daemon.
var sshdPaths = []string{"/usr/sbin/sshd", "/usr/bin/sshd"}

func sshd() (string, error) {
	for _, p := range sshdPaths {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no OpenSSH server (sshd): install Debian's openssh-server")
}

// Available reports whether an OpenSSH server and client are installed, and why not.
func Available() error {
	if _, err := sshd(); err != nil {
		return err
	}
	for _, bin := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(bin); err != nil {
			return fmt.Errorf("no %s on PATH: install Debian's openssh-client", bin)
		}
	}
	return nil
}

// Need skips the test without an OpenSSH server, or fails it when KICKOFF_REQUIRE_SSH=1.
func Need(t testing.TB) {
	t.Helper()
	if err := Available(); err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%s=1 but %v", RequireEnv, err)
		}
		t.Skipf("skipping: needs an OpenSSH server (%v); set %s=1 to make this a failure", err, RequireEnv)
	}
}

// URL is the Docker host of the server: ssh://kickoff-ssh:PORT. The port is in the URL
// because Compose v1 (docker-py) always passes one to ssh (22 when the URL has none).
func (s *Server) URL() string { return fmt.Sprintf("ssh://%s:%d", Alias, s.Port) }

// Logins counts the connections the server accepted.
func (s *Server) Logins() int {
	b, _ := os.ReadFile(s.Log)
	return bytes.Count(b, []byte("Accepted publickey"))
}

// Close stops the server and removes its folder.
func (s *Server) Close() {
	if s.exited != nil {
		_ = s.cmd.Process.Kill()
		<-s.exited
		s.exited = nil
	}
	_ = os.RemoveAll(s.Dir)
}

// Start starts an sshd on a free port of 127.0.0.1 that lets the current user in with a
// generated key, and waits until it answers.
func Start() (*Server, error) {
	daemon, err := sshd()
	if err != nil {
		return nil, err
	}
	u, err := user.Current()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kickoff-sshd-")
	if err != nil {
		return nil, err
	}
	s := &Server{Dir: dir, BinDir: filepath.Join(dir, "bin"), Log: filepath.Join(dir, "sshd.log")}
	fail := func(err error) (*Server, error) { s.Close(); return nil, err }
	for _, key := range []string{"host_key", "client_key"} {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "kickoff-test", "-f", filepath.Join(dir, key)).CombinedOutput(); err != nil {
			return fail(fmt.Errorf("ssh-keygen: %v: %s", err, out))
		}
	}
	pub, err := os.ReadFile(filepath.Join(dir, "client_key.pub"))
	if err != nil {
		return fail(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600); err != nil {
		return fail(err)
	}
	if s.Port, err = freePort(); err != nil {
		return fail(err)
	}
	setEnv := ""
	if h := os.Getenv("DOCKER_HOST"); h != "" { // the engine the sessions' docker dials
		setEnv = "SetEnv DOCKER_HOST=" + h + "\n"
	}
	serverCfg := fmt.Sprintf(`ListenAddress 127.0.0.1:%d
HostKey %s
AuthorizedKeysFile %s
PidFile %s
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers %s
PrintMotd no
UseDNS no
MaxStartups 100
MaxSessions 100
%s`, s.Port, filepath.Join(dir, "host_key"), filepath.Join(dir, "authorized_keys"), filepath.Join(dir, "sshd.pid"), u.Username, setEnv)
	clientCfg := fmt.Sprintf(`Host %s
  HostName 127.0.0.1
  Port %d
  User %s
  IdentityFile %s
  IdentitiesOnly yes
  UserKnownHostsFile %s
  StrictHostKeyChecking accept-new
  BatchMode yes
  LogLevel ERROR
`, Alias, s.Port, u.Username, filepath.Join(dir, "client_key"), filepath.Join(dir, "known_hosts"))
	realSSH, err := exec.LookPath("ssh")
	if err != nil {
		return fail(err)
	}
	if err := os.MkdirAll(s.BinDir, 0o755); err != nil {
		return fail(err)
	}
	for name, content := range map[string]string{
		"sshd_config": serverCfg, "ssh_config": clientCfg,
		"bin/ssh": fmt.Sprintf("#!/bin/sh\nexec %s -F %s \"$@\"\n", realSSH, filepath.Join(dir, "ssh_config")),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o700); err != nil {
			return fail(err)
		}
	}
	if os.Geteuid() == 0 { // a root sshd wants its privilege separation folder
		_ = os.MkdirAll("/run/sshd", 0o755)
	}
	s.cmd = exec.Command(daemon, "-D", "-f", filepath.Join(dir, "sshd_config"), "-E", s.Log)
	var stderr bytes.Buffer
	s.cmd.Stderr = &stderr
	if err := s.cmd.Start(); err != nil {
		return fail(err)
	}
	s.exited = make(chan error, 1)
	go func() { s.exited <- s.cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.Port), time.Second); err == nil {
			c.Close()
			return s, nil
		}
		select {
		case err := <-s.exited:
			log, _ := os.ReadFile(s.Log)
			s.exited = nil
			return fail(fmt.Errorf("sshd exited: %v: %s%s", err, stderr.Bytes(), log))
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fail(errors.New("sshd did not listen within 20s"))
		}
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
