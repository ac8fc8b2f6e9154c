// Package web is the dashboard: server-rendered pages (slot board, history, kickoffs with the
// conflict heat map) and a JSON API under /api/, from embedded templates and a stylesheet, no
// JavaScript. It reads the ledger (slot state from its one replay, ledger.States) and optional
// providers (health in ledger's words, kickoffs, conflict matrix) given by the caller; it knows
// nothing of cobra, Docker or git.
package web
