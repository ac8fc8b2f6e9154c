package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/route"
	"github.com/kickoffhq/kickoff/internal/term"
)

func TestRouteAndServeFlags(t *testing.T) {
	run := func(t *testing.T, newCmd func(f *Factory) (*cobra.Command, func() any), args ...string) (any, error) {
		t.Helper()
		f := &Factory{IO: term.Test(nil, &bytes.Buffer{}, &bytes.Buffer{})}
		cmd, got := newCmd(f)
		cmd.SetArgs(args)
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		err := cmd.Execute()
		return got(), err
	}
	plan := func(f *Factory) (*cobra.Command, func() any) {
		var o *RoutePlanOptions
		return newCmdRoutePlan(f, func(x *RoutePlanOptions) error { o = x; return nil }), func() any { return o }
	}
	apply := func(f *Factory) (*cobra.Command, func() any) {
		var o *RouteApplyOptions
		return newCmdRouteApply(f, func(x *RouteApplyOptions) error { o = x; return nil }), func() any { return o }
	}
	serve := func(f *Factory) (*cobra.Command, func() any) {
		var o *ServeOptions
		return newCmdServe(f, func(x *ServeOptions) error { o = x; return nil }), func() any { return o }
	}

	if o, err := run(t, plan, "--slot", "dev3", "--json"); err != nil || o.(*RoutePlanOptions).Slot != "dev3" || !o.(*RoutePlanOptions).JSON {
		t.Errorf("plan: %+v %v", o, err)
	}
	if o, err := run(t, apply, "--slot", "dev1"); err != nil || o.(*RouteApplyOptions).Slot != "dev1" || o.(*RouteApplyOptions).JSON {
		t.Errorf("apply: %+v %v", o, err)
	}
	o, err := run(t, serve)
	if so := o.(*ServeOptions); err != nil || so.Addr != route.DefaultAddr || !strings.HasPrefix(so.Addr, "127.0.0.1:") || so.Timeout != route.DefaultUpstreamTimeout {
		t.Errorf("serve defaults: %+v %v", o, err)
	}
	if o, err := run(t, serve, "--addr", "0.0.0.0:9090", "--upstream-timeout", "5s"); err != nil || o.(*ServeOptions).Addr != "0.0.0.0:9090" || o.(*ServeOptions).Timeout != 5*time.Second {
		t.Errorf("serve: %+v %v", o, err)
	}
	for _, args := range [][]string{{"extra"}} { // unknown flags become usage errors at the root
		for name, c := range map[string]func(f *Factory) (*cobra.Command, func() any){"plan": plan, "apply": apply, "serve": serve} {
			_, err := run(t, c, args...)
			var fe *FlagError
			if !errors.As(err, &fe) {
				t.Errorf("%s %v: err = %v, want a usage error", name, args, err)
			}
		}
	}
}
