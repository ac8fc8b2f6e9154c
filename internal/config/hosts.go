package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Docker host schemes a slot may be placed on (hosts.<slot>).
const (
	SchemeSSH  = "ssh"  // ssh://[user@]host[:port]: the docker CLI runs `docker system dial-stdio` there over ssh
	SchemeTCP  = "tcp"  // tcp://host:port: TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, as the docker CLI reads them
	SchemeUnix = "unix" // unix:///path/docker.sock: a local engine on another socket
)

var instanceRe = regexp.MustCompile(`^i-[0-9a-f]{8,17}$`)

// checkHosts checks hosts: (each key a configured slot, each value a Docker host URL) and
// routing.instances (EC2 instance IDs by Docker host name).
func (c *Config) checkHosts() error {
	for _, slot := range sortedKeys(c.Hosts) {
		if !slices.Contains(c.Slots, slot) {
			return fmt.Errorf("hosts.%s: %q is not a configured slot (slots: %s)", slot, slot, strings.Join(c.Slots, ", "))
		}
		if err := CheckDockerHost(c.Hosts[slot]); err != nil {
			return fmt.Errorf("hosts.%s: %w", slot, err)
		}
	}
	if c.Routing.InstanceID != "" && !instanceRe.MatchString(c.Routing.InstanceID) {
		return fmt.Errorf("routing.instance_id: %q is not an EC2 instance ID (i-0abc123def4567890)", c.Routing.InstanceID)
	}
	for _, name := range sortedKeys(c.Routing.Instances) {
		if !instanceRe.MatchString(c.Routing.Instances[name]) {
			return fmt.Errorf("routing.instances.%s: %q is not an EC2 instance ID (i-0abc123def4567890)", name, c.Routing.Instances[name])
		}
	}
	return nil
}

// CheckDockerHost refuses a Docker host kickoff cannot place a slot on, naming what it takes.
func CheckDockerHost(host string) error {
	u, err := url.Parse(host)
	if err != nil {
		return fmt.Errorf("%q is not a Docker host URL", shownHost(host))
	}
	if _, set := u.User.Password(); set {
		return fmt.Errorf("%s://%s@%s holds a password: give ssh a key (ssh-agent, or IdentityFile in ~/.ssh/config) instead", u.Scheme, u.User.Username(), u.Host)
	}
	host = shownHost(host)
	switch u.Scheme {
	case SchemeSSH, SchemeTCP:
		if u.Hostname() == "" {
			return fmt.Errorf("%q names no host: want %s://host (e.g. ssh://deploy@qa-2 or tcp://qa-2:2376)", host, u.Scheme)
		}
		if (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return fmt.Errorf("%q: a Docker host has no path or query (e.g. ssh://deploy@qa-2:22)", host)
		}
	case SchemeUnix:
		if u.Path == "" {
			return fmt.Errorf("%q names no socket: want unix:///path/to/docker.sock", host)
		}
	default:
		return fmt.Errorf("%q: a Docker host is ssh://[user@]host[:port], tcp://host:port (TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH) or unix:///path/docker.sock", host)
	}
	return nil
}

// shownHost is host for a message: whatever precedes an @ (a user, or what may be a
// password) left out.
func shownHost(host string) string {
	if i := strings.LastIndex(host, "@"); i >= 0 {
		return "…@" + host[i+1:]
	}
	return host
}

// RemoteHost reports whether slot runs on another machine's engine (hosts.<slot> is ssh:// or
// tcp://), and that machine's name as the URL gives it (an ssh alias stays an alias).
func (c *Config) RemoteHost(slot string) (name string, ok bool) {
	u, err := url.Parse(c.Hosts[slot])
	if err != nil || (u.Scheme != SchemeSSH && u.Scheme != SchemeTCP) || u.Hostname() == "" {
		return "", false
	}
	return u.Hostname(), true
}
