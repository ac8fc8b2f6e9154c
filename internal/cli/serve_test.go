package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/route"
)

func TestServeFlags(t *testing.T) {
	so, err := parseFlags(t, newCmdServe)
	if err != nil || so.Addr != route.DefaultAddr || !strings.HasPrefix(so.Addr, "127.0.0.1:") || so.Timeout != route.DefaultUpstreamTimeout {
		t.Errorf("serve defaults: %+v %v", so, err)
	}
	if o, err := parseFlags(t, newCmdServe, "--addr", "0.0.0.0:9090", "--upstream-timeout", "5s"); err != nil || o.Addr != "0.0.0.0:9090" || o.Timeout != 5*time.Second {
		t.Errorf("serve: %+v %v", o, err)
	}
	wantUsage(t, newCmdServe, "extra")
}

// The example URL serve prints is one a browser on this machine reaches.
func TestExampleURL(t *testing.T) {
	tests := []struct {
		r          route.Route
		addr, want string
	}{
		{route.Route{Host: "dev3-fe.localhost"}, "127.0.0.1:8080", "http://dev3-fe.localhost:8080/"},
		{route.Route{Host: "localhost", Path: "/dev3/fe/"}, "0.0.0.0:8080", "http://localhost:8080/dev3/fe/"},
		{route.Route{Host: "qa.example.com", Path: "/dev3/fe/"}, "127.0.0.1:9090", "http://localhost:9090/dev3/fe/"},
		{route.Route{Host: "qa.example.com", Path: "/dev3/fe/"}, "0.0.0.0:8080", "http://qa.example.com:8080/dev3/fe/"},
	}
	for _, tt := range tests {
		if got := exampleURL(tt.r, tt.addr); got != tt.want {
			t.Errorf("exampleURL(%+v, %s) = %s, want %s", tt.r, tt.addr, got, tt.want)
		}
	}
}

// A malformed --addr is a usage error before anything is opened.
func TestServeRunBadAddr(t *testing.T) {
	f, _, _ := repoFactory(t, t.TempDir())
	if err := serveRun(&ServeOptions{F: f, Ctx: t.Context(), Addr: "8080"}); !isUsage(err) {
		t.Errorf("--addr 8080: err = %v, want a usage error", err)
	}
}
