package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/route"
)

// ServeOptions are the inputs of `kickoff serve`.
type ServeOptions struct {
	F       *Factory        // streams, environment, clock and the services built from them
	Ctx     context.Context // the command's context, set when it runs
	Addr    string
	Timeout time.Duration
	Watch   time.Duration
	// AllowHosts are more host names to answer (a shared host's own name).
	AllowHosts []string
}

// ServeSecretEnv holds the secret that puts the dashboard and /api/ behind basic auth or a
// bearer token. It is read from the environment only: a flag would show in ps.
const ServeSecretEnv = "KICKOFF_SERVE_SECRET"

func newCmdServe(f *Factory, runF func(*ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{F: f}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the built-in router and the dashboard on one port",
		Long: `Serve every app of every slot on one port, without AWS: in host mode through names such
as http://dev3-fe.localhost:8080/, in path mode through http://localhost:8080/dev3/fe/.
Requests that are not for a slot app get the dashboard. The routes follow .kickoff.yaml
and kickoff route apply without a restart.

It binds loopback unless told otherwise, and answers only the host names it serves
(localhost, the slots' routes, routing.domain, the listen address, --allow-host names):
any other Host gets 421, so a web page cannot reach it through DNS rebinding. With
KICKOFF_SERVE_SECRET set, the dashboard and /api/ ask for it (basic auth password, or
Authorization: Bearer), for a shared host.`,
		Args: noArgs(""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return serveRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", route.DefaultAddr, "address to listen on (host:port); 0.0.0.0:8080 opens it to the network")
	cmd.Flags().DurationVar(&opts.Timeout, "upstream-timeout", route.DefaultUpstreamTimeout, "how long an app may take to start answering before a 504")
	cmd.Flags().DurationVar(&opts.Watch, "watch-interval", route.DefaultWatchInterval, "how often to look for changed configuration and routes")
	cmd.Flags().StringSliceVar(&opts.AllowHosts, "allow-host", nil, "another host name to answer, e.g. the shared host's own name (repeatable)")
	_ = cmd.Flags().MarkHidden("watch-interval")
	return cmd
}

func serveRun(opts *ServeOptions) error {
	f, ctx := opts.F, opts.Ctx
	if _, _, err := net.SplitHostPort(opts.Addr); err != nil {
		return FlagErrorf("--addr %q: want host:port, e.g. 127.0.0.1:8080", opts.Addr)
	}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	repo, err := f.Repo()
	if err != nil {
		return err
	}
	stateDir := repo.StateDir(cfg.StateDir)
	cfgPath := filepath.Join(repo.Root, config.FileName)
	tablePath := filepath.Join(stateDir, route.TableFile)

	rt := route.NewRouter(route.RouterOptions{UpstreamTimeout: opts.Timeout, Addr: opts.Addr, AllowHosts: opts.AllowHosts})
	// Requests that are not for a slot app get the dashboard.
	dash, err := newDashboard(context.Background(), f)
	secret := f.Getenv(ServeSecretEnv)
	if err == nil {
		dash.Secret = secret
		rt.Fallback, err = dash.Handler()
	}
	if err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	// The 404 page says what each slot runs, when the slots can be read.
	if svc, err := slotService(f); err == nil {
		rt.Describe = func(name string) string {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			return svc.Describe(ctx, name)
		}
	}

	// reload keeps the local routing table in step with .kickoff.yaml, then loads it.
	var mu sync.Mutex
	reload := func(first bool) error {
		mu.Lock()
		defer mu.Unlock()
		c := cfg
		if !first {
			if c, err = f.LoadConfig(); err != nil {
				return err
			}
		}
		desired, err := route.Desired(c, route.Options{Ports: livePorts(ctx, c, repo)})
		if err != nil {
			return err
		}
		local := route.NewLocal(repo.StateDir(c.StateDir), c.Routing.Mode, c.Routing.Domain)
		p, err := local.Plan(ctx, desired)
		if err != nil {
			return err
		}
		if err := local.Apply(ctx, p); err != nil {
			return err
		}
		t, err := route.ReadTable(local.Path)
		if err != nil {
			return err
		}
		rt.SetTable(t)
		add, change, remove := p.Count()
		if !first {
			f.IO.Eprintf("kickoff serve: routes reloaded (%d routes; %d added, %d changed, %d removed)\n", len(t.Routes), add, change, remove)
		}
		return nil
	}
	if err := reload(true); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another kickoff serve running? choose another with --addr)", opts.Addr, err)
	}
	srv := &http.Server{Handler: rt, ReadHeaderTimeout: 10 * time.Second}
	addr := ln.Addr().String()
	f.IO.Eprintf("kickoff serve: listening on http://%s/ (%s mode, %d routes)\n", addr, cfg.Routing.Mode, len(rt.Routes()))
	if routes := rt.Routes(); len(routes) > 0 {
		f.IO.Eprintf("  e.g. %s\n", exampleURL(routes[0], addr))
	}
	if route.IsAllInterfaces(opts.Addr) {
		hint := "set " + ServeSecretEnv + " to put the dashboard behind a password"
		if secret != "" {
			hint = "the dashboard asks for " + ServeSecretEnv
		}
		f.IO.Eprintf("warning: listening on every network interface (%s): anyone who can reach this machine reaches the slot apps and the dashboard; %s, or bind 127.0.0.1\n", opts.Addr, hint)
	}

	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go route.NewWatcher(cfgPath, tablePath).Run(watchCtx, opts.Watch, func() {
		if err := reload(false); err != nil {
			f.IO.Eprintf("kickoff serve: keeping the previous routes: %v\n", err)
		}
	})

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	slog.Debug("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	f.IO.Eprintf("kickoff serve: stopped\n")
	return nil
}

// exampleURL is how a browser reaches r through the router listening on addr.
func exampleURL(r route.Route, addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	if r.Path != "" {
		host := r.Host
		if host == "localhost" || strings.HasPrefix(addr, "127.") {
			host = "localhost"
		}
		return "http://" + net.JoinHostPort(host, port) + r.Path
	}
	return "http://" + net.JoinHostPort(r.Host, port) + "/"
}
