package main

import (
	"net/http"
	"net/http/httptest"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	scriptCmds["refusing-git-server"] = cmdRefusingGitServer
}

// cmdRefusingGitServer starts a git remote over HTTP on loopback that refuses every
// request's credentials (401, as a host does for a wrong or missing token) and puts its
// base URL in $VAR: refusing-git-server VAR.
func cmdRefusingGitServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: refusing-git-server VAR")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
		http.Error(w, "authentication required", http.StatusUnauthorized)
	}))
	ts.Defer(srv.Close)
	ts.Setenv(args[0], srv.URL)
}
