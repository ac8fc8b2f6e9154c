package route

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// echoApp answers with what it received, so tests see what the router sent.
func echoApp(t *testing.T, name string) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "app=%s method=%s uri=%s host=%s xff=%s xfh=%s xfp=%s prefix=%s",
			name, r.Method, r.RequestURI, r.Host, r.Header.Get("X-Forwarded-For"), r.Header.Get("X-Forwarded-Host"),
			r.Header.Get("X-Forwarded-Proto"), r.Header.Get("X-Forwarded-Prefix"))
	}))
	t.Cleanup(s.Close)
	return s
}

func backendOf(t testing.TB, s *httptest.Server) Backend {
	t.Helper()
	u, _ := url.Parse(s.URL)
	port, _ := strconv.Atoi(u.Port())
	return Backend{Host: u.Hostname(), Port: port}
}

func get(t *testing.T, c *http.Client, rawURL, host string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest("GET", rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestRouterPathMode(t *testing.T) {
	fe, web := echoApp(t, "fe"), echoApp(t, "web")
	rt := NewRouter(RouterOptions{})
	rt.SetTable(Table{Mode: ModePath, Domain: "localhost", Routes: []Route{
		{Slot: "dev1", App: "fe", Host: "localhost", Path: "/dev1/fe/", StripPrefix: true, Backend: backendOf(t, fe)},
		{Slot: "dev1", App: "web", Host: "localhost", Path: "/dev1/web/", Backend: backendOf(t, web)},
		{Slot: "dev2", App: "fe", Host: "localhost", Path: "/dev2/fe/", StripPrefix: true, Backend: Backend{"127.0.0.1", 1}},
	}})
	front := httptest.NewServer(rt)
	defer front.Close()
	fu, _ := url.Parse(front.URL)

	code, body, _ := get(t, noRedirect, front.URL+"/dev1/fe/a/b%2Fc?q=1", "")
	want := "app=fe method=GET uri=/a/b%2Fc?q=1 host=" + fu.Host + " xff=127.0.0.1 xfh=" + fu.Host + " xfp=http prefix=/dev1/fe"
	if code != 200 || body != want {
		t.Errorf("strip: %d %q\nwant %q", code, body, want)
	}
	// A proxy in front (an ALB) already set the chain and the scheme.
	req, _ := http.NewRequest("GET", front.URL+"/dev1/web/x", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := "app=web method=GET uri=/dev1/web/x host=" + fu.Host + " xff=203.0.113.9, 127.0.0.1 xfh=" + fu.Host + " xfp=https prefix="; string(b) != want {
		t.Errorf("keep prefix: %q\nwant %q", b, want)
	}
	if code, _, h := get(t, noRedirect, front.URL+"/dev1/fe?x=1", ""); code != http.StatusPermanentRedirect || h.Get("Location") != "/dev1/fe/?x=1" {
		t.Errorf("no trailing slash: %d %q", code, h.Get("Location"))
	}
	code, body, _ = get(t, noRedirect, front.URL+"/dev9/fe/", "")
	if code != 404 || !strings.Contains(body, "No slot app is routed at 127.0.0.1/dev9/fe/") ||
		!strings.Contains(body, `<a href="/dev1/fe/">fe</a>`) || !strings.Contains(body, `<a href="/dev2/fe/">fe</a>`) {
		t.Errorf("unknown route: %d %s", code, body)
	}
	code, body, _ = get(t, noRedirect, front.URL+"/dev2/fe/", "")
	if code != 502 || !strings.Contains(body, "Slot dev2, app fe is not answering on 127.0.0.1:1 (connect: connection refused)") {
		t.Errorf("down app: %d %s", code, body)
	}
	// Without a dashboard, / is the 404 page too; with one, what is not for a slot goes there.
	if code, _, _ := get(t, noRedirect, front.URL+"/", ""); code != 404 {
		t.Errorf("/ without dashboard: %d", code)
	}
	rt.Fallback = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "dashboard "+r.URL.Path) })
	if code, body, _ := get(t, noRedirect, front.URL+"/history", ""); code != 200 || body != "dashboard /history" {
		t.Errorf("dashboard: %d %q", code, body)
	}
	if code, _, _ := get(t, noRedirect, front.URL+"/dev1/nope/", ""); code != 404 {
		t.Errorf("unknown app of a known slot went to the dashboard: %d", code)
	}
}

func TestRouterHostMode(t *testing.T) {
	fe := echoApp(t, "fe")
	rt := NewRouter(RouterOptions{})
	rt.SetTable(Table{Mode: ModeHost, Domain: "localhost", Routes: []Route{
		{Slot: "dev3", App: "fe", Host: "dev3-fe.localhost", Backend: backendOf(t, fe)},
	}})
	rt.Describe = func(slot string) string { return "runs kickoff-240510-dashboard" }
	rt.Fallback = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "dashboard") })
	front := httptest.NewServer(rt)
	defer front.Close()
	port := strings.TrimPrefix(front.URL, "http://127.0.0.1:")

	code, body, _ := get(t, noRedirect, front.URL+"/dev3/fe/x", "DEV3-fe.localhost:"+port)
	if want := "app=fe method=GET uri=/dev3/fe/x host=DEV3-fe.localhost:" + port; code != 200 || !strings.HasPrefix(body, want) {
		t.Errorf("host route: %d %q", code, body)
	}
	code, body, _ = get(t, noRedirect, front.URL+"/", "dev9-fe.localhost:"+port)
	if code != 404 || !strings.Contains(body, `<a href="http://dev3-fe.localhost:`+port+`/">fe</a>`) || !strings.Contains(body, "runs kickoff-240510-dashboard") {
		t.Errorf("unknown host: %d %s", code, body)
	}
	if code, body, _ := get(t, noRedirect, front.URL+"/", "localhost:"+port); code != 200 || body != "dashboard" {
		t.Errorf("the bare domain is the dashboard's: %d %q", code, body)
	}
}

func TestRouterWebsocket(t *testing.T) {
	var path string
	ws := httptest.NewServer(websocket.Handler(func(c *websocket.Conn) {
		path = c.Request().URL.Path
		var msg string
		for websocket.Message.Receive(c, &msg) == nil {
			websocket.Message.Send(c, "echo:"+msg)
		}
	}))
	defer ws.Close()
	rt := NewRouter(RouterOptions{UpstreamTimeout: 200 * time.Millisecond})
	rt.SetTable(Table{Mode: ModePath, Domain: "localhost", Routes: []Route{
		{Slot: "dev1", App: "fe", Host: "localhost", Path: "/dev1/fe/", StripPrefix: true, Backend: backendOf(t, ws)},
	}})
	front := httptest.NewServer(rt)
	defer front.Close()

	conn, err := websocket.Dial("ws"+strings.TrimPrefix(front.URL, "http")+"/dev1/fe/_next/webpack-hmr", "", front.URL)
	if err != nil {
		t.Fatalf("websocket through the router: %v", err)
	}
	defer conn.Close()
	for i := range 3 {
		if i == 1 {
			time.Sleep(300 * time.Millisecond) // longer than the upstream timeout: open sockets stay open
		}
		if err := websocket.Message.Send(conn, fmt.Sprint("ping", i)); err != nil {
			t.Fatal(err)
		}
		var got string
		if err := websocket.Message.Receive(conn, &got); err != nil || got != fmt.Sprint("echo:ping", i) {
			t.Fatalf("receive: %q %v", got, err)
		}
	}
	if path != "/_next/webpack-hmr" {
		t.Errorf("upstream saw %q", path)
	}
}

func TestRouterStreamsServerSentEvents(t *testing.T) {
	release := make(chan struct{})
	sse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: first\n\n")
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		fmt.Fprint(w, "data: second\n\n")
	}))
	defer sse.Close()
	defer close(release)
	rt := NewRouter(RouterOptions{UpstreamTimeout: 200 * time.Millisecond})
	rt.SetTable(Table{Mode: ModePath, Domain: "localhost", Routes: []Route{
		{Slot: "dev1", App: "fe", Host: "localhost", Path: "/dev1/fe/", Backend: backendOf(t, sse)},
	}})
	front := httptest.NewServer(rt)
	defer front.Close()

	resp, err := http.Get(front.URL + "/dev1/fe/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	select {
	case l := <-lines:
		if l != "data: first" {
			t.Fatalf("first line %q", l)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first event did not come through while the upstream was still streaming")
	}
	time.Sleep(300 * time.Millisecond) // past the upstream timeout: a started stream is not cut
	release <- struct{}{}
	<-lines // blank line
	if l := <-lines; l != "data: second" {
		t.Fatalf("second event %q", l)
	}
}

func TestRouterSlowUpstreamIs504(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	rt := NewRouter(RouterOptions{UpstreamTimeout: 150 * time.Millisecond})
	rt.SetTable(Table{Mode: ModeHost, Domain: "dev.acme.io", Routes: []Route{
		{Slot: "dev2", App: "spring", Host: "dev2-spring.dev.acme.io", Backend: backendOf(t, slow)},
	}})
	front := httptest.NewServer(rt)
	defer front.Close()
	code, body, _ := get(t, noRedirect, front.URL+"/api", "dev2-spring.dev.acme.io")
	if code != http.StatusGatewayTimeout || !strings.Contains(body, "Slot dev2, app spring did not answer within 150ms") {
		t.Errorf("%d %s", code, body)
	}
}

var _ = net.JoinHostPort
