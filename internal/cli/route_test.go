package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/route"
)

func TestRouteAndServeFlags(t *testing.T) {
	if o, err := parseFlags(t, newCmdRoutePlan, "--slot", "dev3", "--json"); err != nil || o.Slot != "dev3" || !o.JSON {
		t.Errorf("plan: %+v %v", o, err)
	}
	if o, err := parseFlags(t, newCmdRouteApply, "--slot", "dev1"); err != nil || o.Slot != "dev1" || o.JSON {
		t.Errorf("apply: %+v %v", o, err)
	}
	so, err := parseFlags(t, newCmdServe)
	if err != nil || so.Addr != route.DefaultAddr || !strings.HasPrefix(so.Addr, "127.0.0.1:") || so.Timeout != route.DefaultUpstreamTimeout {
		t.Errorf("serve defaults: %+v %v", so, err)
	}
	if o, err := parseFlags(t, newCmdServe, "--addr", "0.0.0.0:9090", "--upstream-timeout", "5s"); err != nil || o.Addr != "0.0.0.0:9090" || o.Timeout != 5*time.Second {
		t.Errorf("serve: %+v %v", o, err)
	}
	wantUsage(t, newCmdRoutePlan, "extra")
	wantUsage(t, newCmdRouteApply, "extra")
	wantUsage(t, newCmdServe, "extra")
}
