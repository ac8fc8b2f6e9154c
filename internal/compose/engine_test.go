package compose

import (
	"os"
	"testing"

	"github.com/kickoffhq/kickoff/internal/compose/sshtest"
)

func TestHostName(t *testing.T) {
	for host, want := range map[string]string{
		"":                            "127.0.0.1",
		"unix:///var/run/docker.sock": "127.0.0.1",
		"ssh://deploy@qa-2.internal":  "qa-2.internal",
		"tcp://10.0.0.7:2376":         "10.0.0.7",
	} {
		if got := (&Engine{Host: host}).HostName(); got != want {
			t.Errorf("HostName(%q) = %q, want %q", host, got, want)
		}
	}
}

// Down removes a slot's containers by label, not through Compose, when its compose file
// has no services; a file it cannot parse counts as having services.
func TestHasServices(t *testing.T) {
	for file, want := range map[string]bool{
		"services:\n  web: {image: nginx}\n": true,
		"services: {}\n":                     false,
		"name: x\n":                          false,
		"":                                   false,
		"services: [\n":                      true,
	} {
		if got := hasServices([]byte(file)); got != want {
			t.Errorf("hasServices(%q) = %v, want %v", file, got, want)
		}
	}
}

// A container's exit code and healthcheck status as `docker ps` words them.
func TestParseStatus(t *testing.T) {
	for status, want := range map[string]Container{
		"Exited (137) 2 minutes ago":      {ExitCode: 137},
		"Exited (0) 1 second ago":         {},
		"Up 2 minutes (healthy)":          {Health: "healthy"},
		"Up 2 minutes (unhealthy)":        {Health: "unhealthy"},
		"Up 3 seconds (health: starting)": {Health: "starting"},
		"Up 5 hours":                      {},
	} {
		var c Container
		c.parseStatus(status)
		if c != want {
			t.Errorf("%q: %+v, want %+v", status, c, want)
		}
	}
}

// An ssh:// Docker host whose name is an alias of the ssh configuration is reached at the
// alias's HostName: the published ports are there, not at a host called "kickoff-ssh".
func TestHostAddressResolvesSSHAlias(t *testing.T) {
	sshtest.Need(t)
	s, err := sshtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t.Setenv("PATH", s.BinDir+":"+os.Getenv("PATH"))
	if got := HostAddress(s.URL()); got != "127.0.0.1" {
		t.Errorf("HostAddress(%s) = %q, want 127.0.0.1", s.URL(), got)
	}
	if got := HostAddress("ssh://deploy@qa-2.invalid"); got != "qa-2.invalid" {
		t.Errorf("an unknown name: %q", got)
	}
}
