package route

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkRouter measures one GET of a 4 KiB page straight from the app and through the
// built-in router (both over loopback with keep-alive); scripts/bench-router.sh compares them.
func BenchmarkRouter(b *testing.B) {
	page := make([]byte, 4096)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(page) }))
	defer app.Close()
	rt := NewRouter(RouterOptions{})
	port := backendOf(b, app).Port
	rt.SetTable(Table{Mode: ModePath, Domain: "localhost", Routes: []Route{
		{Slot: "dev1", App: "fe", Host: "localhost", Path: "/dev1/fe/", StripPrefix: true, Backend: Backend{"127.0.0.1", port}},
		{Slot: "dev1", App: "be", Host: "localhost", Path: "/dev1/be/", StripPrefix: true, Backend: Backend{"127.0.0.1", port}},
		{Slot: "dev2", App: "fe", Host: "localhost", Path: "/dev2/fe/", StripPrefix: true, Backend: Backend{"127.0.0.1", port}},
		{Slot: "dev2", App: "be", Host: "localhost", Path: "/dev2/be/", StripPrefix: true, Backend: Backend{"127.0.0.1", port}},
	}})
	front := httptest.NewServer(rt)
	defer front.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	get := func(b *testing.B, url string) {
		for b.Loop() {
			resp, err := client.Get(url)
			if err != nil {
				b.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || n != int64(len(page)) {
				b.Fatalf("%d, %d bytes", resp.StatusCode, n)
			}
		}
	}
	b.Run("direct", func(b *testing.B) { get(b, app.URL+"/x") })
	b.Run("router", func(b *testing.B) { get(b, front.URL+"/dev2/be/x") })
}
