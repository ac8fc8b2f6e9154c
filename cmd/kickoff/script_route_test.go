package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kickoffhq/kickoff/internal/registry/regtest"
)

func init() {
	scriptCmds["apps"] = cmdApps
	scriptCmds["freeport"] = cmdFreeport
	scriptCmds["httpget"] = cmdHTTPGet
	// [docker]: the engine answers. Without one, scripts skip; with KICKOFF_REQUIRE_DOCKER=1
	// the condition is an error, so they fail.
	scriptConds["docker"] = func() (bool, error) {
		if err := regtest.DockerAvailable(); err != nil {
			if os.Getenv("KICKOFF_REQUIRE_DOCKER") == "1" {
				return false, fmt.Errorf("KICKOFF_REQUIRE_DOCKER=1 but %v", err)
			}
			return false, nil
		}
		return true, nil
	}
}

// apps VAR offset...: start one HTTP app on each base+offset for a free base, and set VAR to
// the base. Each app answers "app@<offset> uri=... host=... xfp=... prefix=...". An offset
// written !N holds the port but closes every connection at once (an app that is down), so
// nothing else can answer there.
func cmdApps(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: apps VAR offset...")
	}
	var offsets []int
	dead := map[int]bool{}
	for _, a := range args[1:] {
		d := strings.HasPrefix(a, "!")
		n, err := strconv.Atoi(strings.TrimPrefix(a, "!"))
		dead[n] = d
		if err != nil {
			ts.Fatalf("apps: offset %q", a)
		}
		offsets = append(offsets, n)
	}
	for try := 0; try < 50; try++ {
		base := 30000 + rand.IntN(25000)
		var lns []net.Listener
		ok := true
		for _, off := range offsets {
			ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(base+off))
			if err != nil {
				ok = false
				break
			}
			lns = append(lns, ln)
		}
		if !ok {
			for _, ln := range lns {
				ln.Close()
			}
			continue
		}
		for i, ln := range lns {
			off := offsets[i]
			if dead[off] {
				go func() {
					for {
						c, err := ln.Accept()
						if err != nil {
							return
						}
						c.Close()
					}
				}()
				ts.Defer(func() { ln.Close() })
				continue
			}
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, "app@%d uri=%s host=%s xfp=%s prefix=%s\n", off, r.RequestURI, r.Host,
					r.Header.Get("X-Forwarded-Proto"), r.Header.Get("X-Forwarded-Prefix"))
			})}
			go srv.Serve(ln)
			ts.Defer(func() { srv.Close() })
		}
		ts.Setenv(args[0], strconv.Itoa(base))
		return
	}
	ts.Fatalf("apps: no free block of ports")
}

// freeport VAR: set VAR to a port nothing listens on.
func cmdFreeport(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: freeport VAR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ts.Fatalf("freeport: %v", err)
	}
	defer ln.Close()
	ts.Setenv(args[0], strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
}

// httpget [-host H] [-H 'Name: value']... [-headers] URL [WANT]: GET URL (retrying while
// nothing listens, for 15s) and print "<status>\n<body>" on stdout; -headers prints the
// response headers ("Name: value" lines) between them. With WANT, retry until the body
// contains it (a reload).
func cmdHTTPGet(ts *testscript.TestScript, neg bool, args []string) {
	host, showHeaders := "", false
	var reqHeaders [][2]string
	for len(args) > 1 && strings.HasPrefix(args[0], "-") {
		switch {
		case args[0] == "-host" && len(args) > 2:
			host, args = args[1], args[2:]
		case args[0] == "-H" && len(args) > 2:
			k, v, _ := strings.Cut(args[1], ":")
			reqHeaders, args = append(reqHeaders, [2]string{k, strings.TrimSpace(v)}), args[2:]
		case args[0] == "-headers":
			showHeaders, args = true, args[1:]
		default:
			ts.Fatalf("httpget: unknown option %s", args[0])
		}
	}
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: httpget [-host H] [-H 'Name: value']... [-headers] URL [WANT]")
	}
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	deadline := time.Now().Add(15 * time.Second)
	var last string
	for {
		req, err := http.NewRequest("GET", args[0], nil)
		if err != nil {
			ts.Fatalf("httpget: %v", err)
		}
		if host != "" {
			req.Host = host
		}
		for _, h := range reqHeaders {
			req.Header.Set(h[0], h[1])
		}
		resp, err := client.Do(req)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			hdrs := ""
			if showHeaders {
				var sb strings.Builder
				resp.Header.Write(&sb)
				hdrs = strings.ReplaceAll(sb.String(), "\r\n", "\n")
			}
			last = fmt.Sprintf("%d\n%s%s", resp.StatusCode, hdrs, b)
			if len(args) == 1 || strings.Contains(string(b), args[1]) {
				fmt.Fprintln(ts.Stdout(), last)
				return
			}
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			ts.Fatalf("httpget %s: gave up; last answer: %s", args[0], last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
