package route

import (
	"net"
	"slices"
	"strings"
	"sync"
)

// hostPolicy says which Host names the router answers: localhost and *.localhost, loopback
// addresses, the listen address, the configured domain and its subdomains, every route's
// host, and names added with --allow-host. Anything else is a browser sent here by a name
// the user does not control (DNS rebinding) and gets 421.
type hostPolicy struct {
	bindHost    string   // the listen address's host, lowercased; "" for all interfaces
	allAddrs    bool     // listening on every interface: this machine's addresses are ours
	extra       []string // lowercased
	ifaceOnce   sync.Once
	ifaceAddrIP []net.IP
}

func newHostPolicy(addr string, allow []string) *hostPolicy {
	h := &hostPolicy{}
	if host, _, err := net.SplitHostPort(addr); err == nil {
		h.bindHost = strings.ToLower(host)
	}
	if ip := net.ParseIP(h.bindHost); h.bindHost == "" || ip != nil && ip.IsUnspecified() {
		h.allAddrs = addr != "" // the zero RouterOptions (tests) answer loopback names only
	}
	for _, a := range allow {
		h.extra = append(h.extra, strings.TrimSuffix(strings.ToLower(a), "."))
	}
	return h
}

// IsAllInterfaces reports whether addr (host:port) listens on every interface: ":8080",
// "0.0.0.0:8080", "[::]:8080".
func IsAllInterfaces(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "" || ip != nil && ip.IsUnspecified()
}

func (h *hostPolicy) allows(t *Table, host string) bool {
	switch {
	case host == "":
		return false
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		return true
	case host == h.bindHost || slices.Contains(h.extra, host):
		return true
	case t.Domain != "" && (host == t.Domain || strings.HasSuffix(host, "."+t.Domain)):
		return true
	}
	if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil {
		if ip.IsLoopback() {
			return true
		}
		return h.allAddrs && slices.ContainsFunc(h.interfaceIPs(), ip.Equal)
	}
	return slices.ContainsFunc(t.Routes, func(r Route) bool { return r.Host == host })
}

// interfaceIPs are this machine's addresses, read once: a router listening on every
// interface answers requests made to any of them by address.
func (h *hostPolicy) interfaceIPs() []net.IP {
	h.ifaceOnce.Do(func() {
		addrs, _ := net.InterfaceAddrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				h.ifaceAddrIP = append(h.ifaceAddrIP, n.IP)
			}
		}
	})
	return h.ifaceAddrIP
}
