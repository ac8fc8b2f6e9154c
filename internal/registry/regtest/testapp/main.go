// Command testapp is the tiny HTTP server inside kickoff's test images. It answers
// /health (failing when APP_HEALTHY=0), and / with who it is and, when BACKEND_URL is
// set, what the backend answered, so tests see a frontend reach its backend by service name.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
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
