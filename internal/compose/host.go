package compose

import (
	"bufio"
	"bytes"
	"context"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"time"
)

var (
	addrMu    sync.Mutex
	addrCache = map[string]string{}
)

// HostAddress is the name or address where the published ports of the engine at host are
// reached: loopback for the local engine and unix sockets, the host of a tcp:// URL, and for
// ssh:// the real host name ssh connects to, so an alias of ~/.ssh/config (Host qa-2 /
// HostName 10.0.3.7) gives 10.0.3.7 (`ssh -G`, asked once per host per process). When ssh
// cannot tell, the name in the URL is used.
func HostAddress(host string) string {
	if host == "" {
		return "127.0.0.1"
	}
	u, err := url.Parse(host)
	if err != nil || u.Hostname() == "" || u.Scheme == "unix" || u.Scheme == "npipe" {
		return "127.0.0.1"
	}
	if u.Scheme != "ssh" {
		return u.Hostname()
	}
	addrMu.Lock()
	defer addrMu.Unlock()
	if a, ok := addrCache[host]; ok {
		return a
	}
	a := sshHostName(u)
	addrCache[host] = a
	return a
}

// sshHostName asks ssh where it would connect for u (`ssh -G`: the configuration applied,
// no connection made).
func sshHostName(u *url.URL) string {
	args := []string{"-G"}
	if u.User != nil && u.User.Username() != "" {
		args = append(args, "-l", u.User.Username())
	}
	if u.Port() != "" {
		args = append(args, "-p", u.Port())
	}
	args = append(args, "--", u.Hostname())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	out, err := exec.CommandContext(ctx, "ssh", args...).Output()
	logCall("ssh", args, start, err)
	if err != nil {
		return u.Hostname()
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), " "); ok && k == "hostname" && v != "" {
			return v
		}
	}
	return u.Hostname()
}
