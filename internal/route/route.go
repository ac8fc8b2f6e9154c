package route

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
)

// Modes of routing.
const (
	ModeHost = "host" // one host name per slot and app: {slot}-{app}.{domain}
	ModePath = "path" // one host name, one path per slot and app: {domain}/{slot}/{app}/
)

// DefaultHostTemplate names the host of a slot's app in host mode.
const DefaultHostTemplate = "{slot}-{app}.{domain}"

// Route sends the requests for one app of one slot to the port the app listens on.
type Route struct {
	Slot string `json:"slot"`
	App  string `json:"app"`
	// Host is the host name the route answers (in path mode the domain shared by all).
	Host string `json:"host"`
	// Path is the prefix the route answers in path mode ("/dev3/fe/"), empty in host mode.
	Path string `json:"path,omitempty"`
	// StripPrefix removes Path before the request reaches the app (path mode only).
	StripPrefix bool `json:"strip_prefix,omitempty"`
	// Backend is where the app listens: a host (or, for the ALB, an instance ID) and port.
	Backend Backend `json:"backend"`
	// Priority is the ALB rule priority when known; it is kept, never compared.
	Priority int `json:"priority,omitempty"`

	// live are the host ports the app's running containers publish when there are several
	// (a side-by-side switch under way): a route on one of them keeps it.
	live []int
}

// Backend is the address of an app of a slot.
type Backend struct {
	Host string `json:"host"`
	Port int    `json:"port"`
}

func (b Backend) String() string { return net.JoinHostPort(b.Host, strconv.Itoa(b.Port)) }

// Key identifies a route across plans: slot/app.
func (r Route) Key() string { return r.Slot + "/" + r.App }

// URL is where a browser reaches the route, scheme-less host and path ("dev3-fe.dev.acme.io/").
func (r Route) URL() string {
	if r.Path != "" {
		return r.Host + r.Path
	}
	return r.Host + "/"
}

// Options tune Desired.
type Options struct {
	// BackendHost gives the host of a slot's apps; nil means LocalBackendHost.
	BackendHost func(cfg *config.Config, slot string) string
	// Ports gives the host ports an app's running containers publish, newest first (with
	// routing.switch side-by-side an app moves between two); nil or none means its
	// configured port.
	Ports func(slot, app string) []int
}

// LocalBackendHost is where the built-in router finds a slot's apps: the slot's docker host
// (hosts.<slot>: ssh://user@host, tcp://host:2376) when it is remote, else loopback; an ssh
// alias is the host name ~/.ssh/config gives it (compose.HostAddress).
func LocalBackendHost(cfg *config.Config, slot string) string {
	return compose.HostAddress(cfg.Hosts[slot])
}

// InstanceBackendHost is the ALB's target for a slot's apps: the EC2 instance of the
// slot's Docker host (routing.instances by the host's name in hosts:), or routing.instance_id
// for a slot on the local engine. CheckInstances has made sure there is one.
func InstanceBackendHost(cfg *config.Config, slot string) string {
	id, _ := slotInstance(cfg, slot)
	return id
}

// CheckInstances refuses an ALB configuration that gives a slot no EC2 instance to target:
// registering another machine's instance would send the slot's traffic to the wrong host.
func CheckInstances(cfg *config.Config) error {
	for _, slot := range cfg.Slots {
		if _, err := slotInstance(cfg, slot); err != nil {
			return err
		}
	}
	return nil
}

func slotInstance(cfg *config.Config, slot string) (string, error) {
	name, remote := cfg.RemoteHost(slot)
	if !remote {
		if cfg.Routing.InstanceID == "" {
			return "", fmt.Errorf("routing.instance_id: the ALB driver needs the ID of the EC2 instance that runs the slots on the local engine (%s; i-...)", slot)
		}
		return cfg.Routing.InstanceID, nil
	}
	if id := cfg.Routing.Instances[name]; id != "" {
		return id, nil
	}
	return "", fmt.Errorf("routing.instances: %s runs on %s (hosts.%s: %s), which has no EC2 instance: add routing.instances: {%s: i-...} for the ALB to target it", slot, name, slot, cfg.Hosts[slot], name)
}

// Desired lists the routes every configured slot and app needs, in slot then app order.
// It refuses a domain that is not a host name, a host template that makes no host name,
// and two apps that would get the same route.
func Desired(cfg *config.Config, o Options) ([]Route, error) {
	rc := cfg.Routing
	if !config.ValidHost(rc.Domain) {
		return nil, fmt.Errorf("routing.domain: %q is not a valid host name (letters, digits, dashes and dots, e.g. dev.acme.io)", rc.Domain)
	}
	tmpl := rc.HostTemplate
	if tmpl == "" {
		tmpl = DefaultHostTemplate
	}
	backendHost := o.BackendHost
	if backendHost == nil {
		backendHost = LocalBackendHost
	}
	var routes []Route
	seen := map[string]string{} // route identity -> slot/app that has it
	for _, slot := range cfg.Slots {
		for _, app := range cfg.AppNames() {
			port, _ := cfg.HostPort(slot, app)
			var live []int
			if o.Ports != nil {
				live = o.Ports(slot, app)
			}
			if len(live) > 0 {
				port = live[0]
			}
			r := Route{Slot: slot, App: app, Backend: Backend{Host: backendHost(cfg, slot), Port: port}}
			if len(live) > 1 {
				r.live = live
			}
			switch rc.Mode {
			case ModeHost:
				// Host names have no underscores; app names may.
				r.Host = strings.ToLower(expand(tmpl, slot, strings.ReplaceAll(app, "_", "-"), rc.Domain))
				if !config.ValidHost(r.Host) {
					return nil, fmt.Errorf("routing.host_template: %q gives %q for %s, which is not a valid host name", tmpl, r.Host, r.Key())
				}
			case ModePath:
				r.Host = strings.ToLower(rc.Domain)
				r.Path = "/" + slot + "/" + app + "/"
				r.StripPrefix = stripPrefix(cfg.Apps[app])
			default:
				return nil, fmt.Errorf("routing.mode: %q must be host or path", rc.Mode)
			}
			id := r.URL()
			if other, dup := seen[id]; dup {
				return nil, fmt.Errorf("routing: %s and %s would both get the route %s; make routing.host_template contain both {slot} and {app} (or rename one)", other, r.Key(), id)
			}
			seen[id] = r.Key()
			routes = append(routes, r)
		}
	}
	return routes, nil
}

// stripPrefix defaults to true: most apps expect to be served at /.
func stripPrefix(a config.App) bool { return a.StripPrefix == nil || *a.StripPrefix }

func expand(tmpl, slot, app, domain string) string {
	return strings.NewReplacer("{slot}", slot, "{app}", app, "{domain}", domain).Replace(tmpl)
}

// ForSlot keeps the routes of one slot.
func ForSlot(routes []Route, slot string) []Route {
	return slices.DeleteFunc(slices.Clone(routes), func(r Route) bool { return r.Slot != slot })
}
