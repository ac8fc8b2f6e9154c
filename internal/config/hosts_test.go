package config

import (
	"strings"
	"testing"
)

// hosts: takes Docker host URLs for configured slots; anything else names the key and what
// it takes. routing.instances takes EC2 instance IDs.
func TestCheckHosts(t *testing.T) {
	for _, tt := range []struct{ yaml, want string }{
		{"hosts: {dev1: 'ssh://deploy@qa-2'}", ""},
		{"hosts: {dev1: 'ssh://qa-2:2222', dev2: 'tcp://10.0.0.7:2376', dev3: 'unix:///run/docker.sock'}", ""},
		{"hosts: {dev9: 'ssh://qa-2'}", `hosts.dev9: "dev9" is not a configured slot`},
		{"hosts: {dev1: qa-2}", `hosts.dev1: "qa-2": a Docker host is ssh://[user@]host[:port]`},
		{"hosts: {dev1: 'ssh://'}", "names no host"},
		{"hosts: {dev1: 'ssh://deploy:hunter2@qa-2'}", "ssh://deploy@qa-2 holds a password"},
		{"hosts: {dev1: 'tcp://qa-2:2376/v1'}", "has no path or query"},
		{"hosts: {dev1: 'deploy:hunter2@qa-2'}", `"…@qa-2": a Docker host is`},
		{"routing: {instances: {qa-2: i-0abc123def4567890}}", ""},
		{"routing: {instances: {qa-2: web-1}}", `routing.instances.qa-2: "web-1" is not an EC2 instance ID`},
	} {
		c := Default()
		err := Parse([]byte(tt.yaml), c)
		if err == nil {
			err = c.Validate()
		}
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: %v, want %q", tt.yaml, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the password is in the message: %v", err)
		}
	}
}
