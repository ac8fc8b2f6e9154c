// Command testapp is the tiny HTTP server inside kickoff's test images. It answers
// /health (failing when APP_HEALTHY=0), and / with who it is and, when BACKEND_URL is
// set, what the backend answered, so tests see a frontend reach its backend by service name.
// As a stand-in for a database or an app reading its settings it also answers /env?name=X
// (a variable), /file?path=P (a file: secrets, mounts) and /rows, /rows/add?row=R (lines kept
// in $DATA_DIR/rows, default /data: a volume's data); `/app get PATH` asks its own server.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

type reply struct {
	App     string          `json:"app"`
	Version string          `json:"version"`
	Slot    string          `json:"slot"`
	Kickoff string          `json:"kickoff"`
	Backend json.RawMessage `json:"backend,omitempty"`
	Error   string          `json:"error,omitempty"`
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	client := &http.Client{Timeout: 3 * time.Second}
	// `/app get PATH` prints what the server answers on PATH: a test writes a row in a
	// database stand-in that publishes no port (`docker exec CONTAINER /app get /rows/add?row=R`).
	if len(os.Args) > 2 && os.Args[1] == "get" {
		// A story's read waits longer than a healthcheck: on a loaded CI machine a container
		// that has just been started again can take seconds to answer its first request.
		client.Timeout = 30 * time.Second
		resp, err := client.Get("http://127.0.0.1:" + port + os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		io.Copy(os.Stdout, resp.Body)
		if resp.StatusCode != http.StatusOK {
			os.Exit(1)
		}
		os.Exit(0)
	}
	// `/app health` is a Compose healthcheck for images without a shell or curl.
	// Under another name (mysqladmin, mongo) it is that image's healthcheck tool.
	if (len(os.Args) > 1 && os.Args[1] == "health") || filepath.Base(os.Args[0]) != "app" {
		resp, err := client.Get("http://127.0.0.1:" + port + "/health")
		if err != nil || resp.StatusCode != http.StatusOK {
			os.Exit(1)
		}
		os.Exit(0)
	}
	http.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		if os.Getenv("APP_HEALTHY") == "0" {
			fmt.Println("health check failed: this build is broken on purpose")
			http.Error(w, "unhealthy", http.StatusServiceUnavailable)
			return
		}
		if want := os.Getenv("APP_HOST"); want != "" && !strings.HasPrefix(r.Host, want) {
			http.Error(w, "unknown host "+r.Host, http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	http.HandleFunc("/env", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, os.Getenv(r.URL.Query().Get("name")))
	})
	http.HandleFunc("/file", func(w http.ResponseWriter, r *http.Request) {
		b, err := os.ReadFile(r.URL.Query().Get("path"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		w.Write(b)
	})
	rows := func() string {
		dir := os.Getenv("DATA_DIR")
		if dir == "" {
			dir = "/data"
		}
		return dir + "/rows"
	}
	http.HandleFunc("/rows", func(w http.ResponseWriter, r *http.Request) {
		b, _ := os.ReadFile(rows())
		fmt.Fprintf(w, "rows:\n%s", b)
	})
	http.HandleFunc("/rows/add", func(w http.ResponseWriter, r *http.Request) {
		os.MkdirAll(strings.TrimSuffix(rows(), "/rows"), 0o755)
		f, err := os.OpenFile(rows(), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(f, r.URL.Query().Get("row"))
		f.Close()
		fmt.Fprintln(w, "added")
	})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		rep := reply{App: os.Getenv("APP_NAME"), Version: os.Getenv("APP_VERSION"),
			Slot: os.Getenv("KICKOFF_SLOT"), Kickoff: os.Getenv("KICKOFF_KICKOFF")}
		if be := os.Getenv("BACKEND_URL"); be != "" {
			resp, err := client.Get(be)
			if err != nil {
				rep.Error = err.Error()
			} else {
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if json.Valid(body) {
					rep.Backend = body
				} else {
					rep.Error = fmt.Sprintf("backend said %d: %s", resp.StatusCode, body)
				}
			}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(rep)
	})
	fmt.Printf("%s %s listening on :%s\n", os.Getenv("APP_NAME"), os.Getenv("APP_VERSION"), port)
	if err := http.ListenAndServe(":"+port, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
