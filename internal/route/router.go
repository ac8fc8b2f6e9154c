package route

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kickoffhq/kickoff/internal/web"
)

// Defaults of the built-in router.
const (
	DefaultAddr            = "127.0.0.1:8080" // loopback: the router only binds where told
	DefaultUpstreamTimeout = 60 * time.Second // Next.js dev compiles can take a while
	DefaultDialTimeout     = 5 * time.Second
)

//go:embed pages/page.html
var pagesFS embed.FS

var pageTmpl = template.Must(template.ParseFS(pagesFS, "pages/page.html"))

// pageCSP allows the router pages' one inline style by its hash, and nothing else.
var pageCSP = func() string {
	b, _ := pagesFS.ReadFile("pages/page.html")
	_, rest, _ := strings.Cut(string(b), "<style>")
	style, _, _ := strings.Cut(rest, "</style>")
	sum := sha256.Sum256([]byte(style))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

// Router is the built-in router: it sends each request to the app of the slot its host name
// (host mode) or path prefix (path mode) names, through the standard library's reverse proxy.
// Requests for no slot go to Fallback (the dashboard) when set; requests naming a slot or app
// that has no route get a 404 page listing the slots.
type Router struct {
	// Fallback serves what is not for a slot (the dashboard); nil means the 404 page.
	Fallback http.Handler
	// Describe annotates a slot on the 404 page (what it runs); nil means nothing.
	Describe func(slot string) string

	table   atomic.Pointer[Table]
	proxy   *httputil.ReverseProxy
	timeout time.Duration
	hosts   *hostPolicy
}

// RouterOptions tune a Router.
type RouterOptions struct {
	// UpstreamTimeout is how long an app may take to start answering (0: the default).
	// Streams (server-sent events, websockets) may then last as long as they like.
	UpstreamTimeout time.Duration
	// Addr is the address the router listens on: its host is one of the names it answers
	// (when it is 0.0.0.0 or empty, the addresses of this machine's interfaces are).
	Addr string
	// AllowHosts are more host names to answer, e.g. a shared host's own name.
	AllowHosts []string
}

type routeKey struct{}

// NewRouter returns a router with an empty table.
func NewRouter(o RouterOptions) *Router {
	rt := &Router{timeout: o.UpstreamTimeout, hosts: newHostPolicy(o.Addr, o.AllowHosts)}
	if rt.timeout <= 0 {
		rt.timeout = DefaultUpstreamTimeout
	}
	transport := &http.Transport{
		Proxy:                 nil, // never through HTTP_PROXY: apps are on this network
		DialContext:           (&net.Dialer{Timeout: DefaultDialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		ResponseHeaderTimeout: rt.timeout,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
	}
	rt.proxy = &httputil.ReverseProxy{
		Rewrite:       rt.rewrite,
		Transport:     transport,
		FlushInterval: -1, // stream as it comes: server-sent events, dev-server reloads
		ErrorHandler:  rt.upstreamError,
	}
	rt.table.Store(&Table{})
	return rt
}

// SetTable replaces the routes; requests already running finish on the old ones.
func (rt *Router) SetTable(t Table) {
	t.Routes = slices.Clone(t.Routes)
	rt.table.Store(&t)
}

// Routes returns the routes in use.
func (rt *Router) Routes() []Route { return rt.table.Load().Routes }

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := rt.table.Load()
	host := requestHost(r)
	if !rt.hosts.allows(t, host) {
		// DNS rebinding: a page of attacker.example whose name now resolves to 127.0.0.1
		// reaches this port with its own Host. Only names this router serves get through.
		rt.page(w, r, http.StatusMisdirectedRequest, "Misdirected Request",
			fmt.Sprintf("kickoff serve does not answer for the host name %q: use localhost, a slot's route or the configured domain (or start it with --allow-host).", host))
		return
	}
	rte, redirect, forSlot := t.match(host, r.URL.Path)
	switch {
	case redirect != "":
		u := *r.URL
		u.Path, u.RawPath = redirect, ""
		http.Redirect(w, r, u.RequestURI(), http.StatusPermanentRedirect)
	case rte != nil:
		rt.proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), routeKey{}, rte)))
	case !forSlot && rt.Fallback != nil:
		rt.Fallback.ServeHTTP(w, r)
	default:
		what := host + r.URL.Path
		rt.page(w, r, http.StatusNotFound, "Not Found", fmt.Sprintf("No slot app is routed at %s.", what))
	}
}

// match finds the route for a request. redirect is set for a path-mode prefix without its
// trailing slash; forSlot reports a request that names a slot (or a host under the domain)
// but matches no route, which gets the 404 page rather than the dashboard.
func (t *Table) match(host, path string) (r *Route, redirect string, forSlot bool) {
	for i := range t.Routes {
		rr := &t.Routes[i]
		if rr.Path == "" {
			if rr.Host == host {
				return rr, "", true
			}
			continue
		}
		// Path mode answers on any host name: localhost, 127.0.0.1, the domain.
		if strings.HasPrefix(path, rr.Path) {
			return rr, "", true
		}
		if path == strings.TrimSuffix(rr.Path, "/") {
			return nil, rr.Path, true
		}
	}
	if t.Mode == ModeHost {
		return nil, "", host != t.Domain && strings.HasSuffix(host, "."+t.Domain)
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	for _, rr := range t.Routes {
		if rr.Slot == first {
			return nil, "", true
		}
	}
	return nil, "", false
}

func requestHost(r *http.Request) string {
	h := r.Host
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

func (rt *Router) rewrite(pr *httputil.ProxyRequest) {
	r := pr.In.Context().Value(routeKey{}).(*Route)
	pr.SetURL(&url.URL{Scheme: "http", Host: r.Backend.String()})
	if r.Path != "" && r.StripPrefix {
		prefix := strings.TrimSuffix(r.Path, "/")
		rest := strings.TrimPrefix(pr.In.URL.EscapedPath(), prefix)
		if rest == "" {
			rest = "/"
		}
		p, err := url.PathUnescape(rest)
		if err != nil {
			p = rest
		}
		pr.Out.URL.Path, pr.Out.URL.RawPath = p, ""
		if pr.Out.URL.EscapedPath() != rest {
			pr.Out.URL.RawPath = rest
		}
		pr.Out.Header.Set("X-Forwarded-Prefix", prefix)
	}
	// The app sees the host name the browser used, as behind an ALB.
	pr.Out.Host = pr.In.Host
	// Keep the chain of proxies in front of us, then add the client.
	if xff := pr.In.Header["X-Forwarded-For"]; len(xff) > 0 {
		pr.Out.Header["X-Forwarded-For"] = slices.Clone(xff)
	}
	pr.SetXForwarded()
	if p := pr.In.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		pr.Out.Header.Set("X-Forwarded-Proto", p) // a TLS-terminating proxy in front (an ALB) knows better
	}
}

func (rt *Router) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	rte := r.Context().Value(routeKey{}).(*Route)
	if r.Context().Err() != nil {
		return // the browser went away
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		rt.page(w, r, http.StatusGatewayTimeout, "Gateway Timeout",
			fmt.Sprintf("Slot %s, app %s did not answer within %s (upstream %s).", rte.Slot, rte.App, rt.timeout, rte.Backend))
		return
	}
	rt.page(w, r, http.StatusBadGateway, "Bad Gateway",
		fmt.Sprintf("Slot %s, app %s is not answering on %s (%v). Is the slot deployed? See kickoff slot status %s.", rte.Slot, rte.App, rte.Backend, unwrapOp(err), rte.Slot))
}

// unwrapOp shortens "dial tcp 127.0.0.1:1: connect: connection refused" to its cause.
func unwrapOp(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}

type pageData struct {
	Status  int
	Title   string
	Message string
	Slots   []pageSlot
}

type pageSlot struct {
	Name, Note string
	Apps       []pageApp
}

type pageApp struct{ Name, URL string }

func (rt *Router) page(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	d := pageData{Status: status, Title: title, Message: msg}
	if status == http.StatusNotFound {
		d.Slots = rt.slotLinks(r)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	web.SetSecurityHeaders(w.Header(), pageCSP)
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, d)
}

// slotLinks lists every slot with links to its apps, as seen from the request's address.
func (rt *Router) slotLinks(r *http.Request) []pageSlot {
	t := rt.table.Load()
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	_, port, _ := net.SplitHostPort(r.Host)
	var slots []pageSlot
	for _, rr := range t.Routes {
		if len(slots) == 0 || slots[len(slots)-1].Name != rr.Slot {
			s := pageSlot{Name: rr.Slot}
			if rt.Describe != nil {
				s.Note = rt.Describe(rr.Slot)
			}
			slots = append(slots, s)
		}
		link := rr.Path
		if rr.Path == "" {
			hostport := rr.Host
			if port != "" {
				hostport = net.JoinHostPort(rr.Host, port)
			}
			link = scheme + "://" + hostport + "/"
		}
		s := &slots[len(slots)-1]
		s.Apps = append(s.Apps, pageApp{Name: rr.App, URL: link})
	}
	return slots
}
