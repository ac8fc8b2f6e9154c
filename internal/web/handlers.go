package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/kickoffhq/kickoff/internal/ledger"
)

type boardData struct {
	Slots []SlotView
}

func (s *Server) board(w http.ResponseWriter, r *http.Request) {
	states, err := s.states(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	s.render(w, http.StatusOK, "board", "board", 0, boardData{Slots: s.slotViews(r.Context(), states)})
}

type slotData struct {
	Slot    SlotView
	History []ledger.Record
}

func (s *Server) slotPage(w http.ResponseWriter, r *http.Request) {
	slot := r.PathValue("slot")
	states, err := s.states(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	st, ok := ledger.State(states, slot)
	if !ok {
		s.notFound(w, r, "There is no slot called "+slot+".")
		return
	}
	hist, err := s.Ledger.List(r.Context(), ledger.Filter{Slot: slot})
	if err != nil {
		s.fail(w, err)
		return
	}
	s.render(w, http.StatusOK, "slot", "board", 1, slotData{Slot: s.slotViews(r.Context(), []ledger.SlotState{st})[0], History: hist})
}

// filter reads ?slot=&kickoff=&app=&n= .
func filter(r *http.Request) (ledger.Filter, error) {
	q := r.URL.Query()
	f := ledger.Filter{Slot: q.Get("slot"), Kickoff: q.Get("kickoff"), App: q.Get("app")}
	if n := q.Get("n"); n != "" {
		v, err := strconv.Atoi(n)
		if err != nil || v < 1 {
			return f, errBadN
		}
		f.Limit = v
	}
	return f, nil
}

type badRequest string

func (e badRequest) Error() string { return string(e) }

const errBadN = badRequest("n must be a positive number of records")

func (s *Server) historyPage(w http.ResponseWriter, r *http.Request) {
	f, err := filter(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if f.Slot != "" && !s.slotKnown(r, f.Slot) {
		s.notFound(w, r, "There is no slot called "+f.Slot+".")
		return
	}
	v, err := s.history(r.Context(), f)
	if err != nil {
		s.fail(w, err)
		return
	}
	s.render(w, http.StatusOK, "history", "history", 0, v)
}

// slotKnown reports whether the board has the slot: configured, or known to the ledger.
func (s *Server) slotKnown(r *http.Request, slot string) bool {
	states, err := s.states(r.Context())
	_, ok := ledger.State(states, slot)
	return err == nil && ok
}

func (s *Server) kickoffsPage(w http.ResponseWriter, r *http.Request) {
	states, err := s.states(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	repo := r.URL.Query().Get("repo")
	if !s.knownRepo(repo) {
		s.notFound(w, r, "There is no repository called "+repo+" in the platform.")
		return
	}
	s.render(w, http.StatusOK, "kickoffs", "kickoffs", 0, s.kickoffsIn(r.Context(), states, repo))
}

type pairData struct {
	Cell  HeatCell
	Error string
}

func (s *Server) pairPage(w http.ResponseWriter, r *http.Request) {
	a, b, repo := r.URL.Query().Get("a"), r.URL.Query().Get("b"), r.URL.Query().Get("repo")
	if !s.hasMatrix() {
		s.notFound(w, r, "The conflict matrix is not available here.")
		return
	}
	if !s.knownRepo(repo) {
		s.notFound(w, r, "There is no repository called "+repo+" in the platform.")
		return
	}
	m, err := s.matrixOf(r.Context(), repo)
	if err != nil {
		s.render(w, http.StatusOK, "pair", "kickoffs", 1, pairData{Cell: HeatCell{A: a, B: b}, Error: err.Error()})
		return
	}
	c, ok := m.pair(a, b)
	if !ok {
		s.notFound(w, r, "No pair "+a+" / "+b+" in the conflict matrix.")
		return
	}
	s.render(w, http.StatusOK, "pair", "kickoffs", 1, pairData{Cell: c})
}

// API.

type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// APIRoutes lists the JSON API, served at /api/.
var APIRoutes = []struct {
	Path, Description string
}{
	{"/api/slots", "every slot: apps (kickoff, version, commit, image, digest, who, when), issues, claim, health, last record and failure"},
	{"/api/slots/{slot}", "one slot as in /api/slots, plus its last 100 records as history; 404 for an unknown slot"},
	{"/api/history?slot=&kickoff=&app=&n=", "ledger records, newest first (default n=100), same schema as kickoff history --json"},
	{"/api/kickoffs", "live kickoffs with versions and slots, and the conflict matrix (?repo=NAME: of that repository, in a platform of several)"},
}

func (s *Server) apiIndex(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"routes": APIRoutes})
}

func (s *Server) apiSlots(w http.ResponseWriter, r *http.Request) {
	states, err := s.states(r.Context())
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, s.slotViews(r.Context(), states))
}

// SlotDetail is /api/slots/{slot}.
type SlotDetail struct {
	SlotView
	History []ledger.Record `json:"history"`
}

func (s *Server) apiSlot(w http.ResponseWriter, r *http.Request) {
	slot := r.PathValue("slot")
	states, err := s.states(r.Context())
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: err.Error()})
		return
	}
	st, ok := ledger.State(states, slot)
	if !ok {
		writeJSON(w, http.StatusNotFound, apiError{Error: "unknown slot " + strconv.Quote(slot)})
		return
	}
	hist, err := s.Ledger.List(r.Context(), ledger.Filter{Slot: slot})
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: err.Error()})
		return
	}
	if hist == nil {
		hist = []ledger.Record{}
	}
	writeJSON(w, http.StatusOK, SlotDetail{SlotView: s.slotViews(r.Context(), []ledger.SlotState{st})[0], History: hist})
}

func (s *Server) apiHistory(w http.ResponseWriter, r *http.Request) {
	f, err := filter(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	if f.Slot != "" && !s.slotKnown(r, f.Slot) {
		writeJSON(w, http.StatusNotFound, apiError{Error: "unknown slot " + strconv.Quote(f.Slot)})
		return
	}
	v, err := s.history(r.Context(), f)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, v.Records)
}

func (s *Server) apiKickoffs(w http.ResponseWriter, r *http.Request) {
	states, err := s.states(r.Context())
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: err.Error()})
		return
	}
	repo := r.URL.Query().Get("repo")
	if !s.knownRepo(repo) {
		writeJSON(w, http.StatusNotFound, apiError{Error: "unknown repository " + strconv.Quote(repo)})
		return
	}
	writeJSON(w, http.StatusOK, s.kickoffsIn(r.Context(), states, repo))
}
