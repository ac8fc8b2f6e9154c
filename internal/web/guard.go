package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// ContentSecurityPolicy is the dashboard's CSP: its pages load their one stylesheet and
// nothing else (no script at all, inline or not), submit forms only to themselves and are
// never framed by another site.
const ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// SecurityHeaders sets the headers every page kickoff serves itself carries, before h
// writes: CSP, no MIME sniffing, no framing, no referrer to the apps and sites it links.
func SecurityHeaders(h http.Handler, csp string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SetSecurityHeaders(w.Header(), csp)
		h.ServeHTTP(w, r)
	})
}

// SetSecurityHeaders is SecurityHeaders for a page written directly.
func SetSecurityHeaders(hdr http.Header, csp string) {
	hdr.Set("Content-Security-Policy", csp)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("X-Frame-Options", "DENY") // frame-ancestors for browsers without CSP level 2
	hdr.Set("Referrer-Policy", "same-origin")
}

// AuthUser is the user name the dashboard's basic-auth prompt suggests; any name is
// accepted, only the secret counts.
const AuthUser = "kickoff"

// requireSecret lets a request through to h only when it presents secret, as the password
// of HTTP basic auth (a browser prompts for it) or as a bearer token (scripts reading
// /api/). It compares in constant time and never echoes what was sent.
func requireSecret(h http.Handler, secret string) http.Handler {
	want := sha256.Sum256([]byte(secret))
	ok := func(got string) bool {
		g := sha256.Sum256([]byte(got))
		return subtle.ConstantTimeCompare(g[:], want[:]) == 1
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pw, has := r.BasicAuth(); has && ok(pw) {
			h.ServeHTTP(w, r)
			return
		}
		if tok, has := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); has && ok(tok) {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="kickoff dashboard", charset="UTF-8"`)
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "401 Unauthorized: this dashboard needs the password of KICKOFF_SERVE_SECRET (basic auth) or Authorization: Bearer <it>", http.StatusUnauthorized)
	})
}
