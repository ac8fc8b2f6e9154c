package jiratest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Default credentials the fake accepts (basic auth user + API token).
const (
	User  = "ann@example.com"
	Token = "s3cret-token"
)

// Issue is an issue held by the fake.
type Issue struct {
	ID      string
	Key     string
	Summary string
	Type    string // Story, Bug, Task...
	Status  string // current status name
	// Fields are extra fields merged into the issue's "fields" object (fixVersions, ...).
	Fields map[string]any
	// Comments are the issue's comments, oldest first (see comments.go).
	Comments []Comment
}

// Transition is a workflow transition offered on every issue.
type Transition struct {
	ID   string
	Name string
	To   string // status name after the transition
}

// Request is one request the fake received.
type Request struct {
	Method string
	Path   string
	Query  string
	Body   string
	Auth   string // the Authorization header
}

func (r Request) String() string {
	s := r.Method + " " + r.Path
	if r.Query != "" {
		s += "?" + r.Query
	}
	if r.Body != "" {
		s += " " + r.Body
	}
	return s
}

// Fake is a Jira site. Lock Mu when touching Issues or Transitions while it serves.
type Fake struct {
	*httptest.Server
	Mu          sync.Mutex
	User, Token string // accepted credentials; both empty accepts anything
	Issues      map[string]*Issue
	Transitions []Transition
	Versions    []*Version // project versions (see versions.go); lock Mu
	// Status, when non-zero, is answered to every request (e.g. 500, 503).
	Status int

	mux      *http.ServeMux
	requests []Request
	nextID   int
}

// New starts a fake with the default credentials and the usual workflow
// (To Do -> In Progress -> Done). It is closed when the test ends if t is non-nil.
func New(t interface{ Cleanup(func()) }) *Fake {
	f := &Fake{
		User: User, Token: Token,
		Issues: map[string]*Issue{},
		Transitions: []Transition{
			{ID: "11", Name: "To Do", To: "To Do"},
			{ID: "21", Name: "In Progress", To: "In Progress"},
			{ID: "31", Name: "Done", To: "Done"},
		},
		mux:    http.NewServeMux(),
		nextID: 10000,
	}
	f.mux.HandleFunc("GET /rest/api/2/issue/{key}", f.getIssue)
	f.mux.HandleFunc("GET /rest/api/2/issue/{key}/transitions", f.getTransitions)
	f.mux.HandleFunc("POST /rest/api/2/issue/{key}/transitions", f.doTransition)
	f.mux.HandleFunc("GET /rest/api/2/myself", f.getMyself)
	f.mux.HandleFunc("GET /rest/api/2/status", f.getStatuses)
	f.registerVersions()
	f.registerComments()
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		WriteError(w, http.StatusNotFound, "No route in the fake Jira for "+r.Method+" "+r.URL.Path)
	})
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	if t != nil {
		t.Cleanup(f.Close)
	}
	return f
}

// Handle adds a route (Go 1.22 pattern, e.g. "POST /rest/api/2/version"). Handlers run
// after authentication and recording; they lock Mu themselves.
func (f *Fake) Handle(pattern string, h http.HandlerFunc) { f.mux.HandleFunc(pattern, h) }

// AddIssue adds (or replaces) an issue in status "To Do" and returns it.
func (f *Fake) AddIssue(key, typ, summary string) *Issue {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.nextID++
	is := &Issue{ID: strconv.Itoa(f.nextID), Key: key, Summary: summary, Type: typ, Status: "To Do", Fields: map[string]any{}}
	f.Issues[key] = is
	return is
}

// Issue returns a copy of an issue's current state.
func (f *Fake) Issue(key string) (Issue, bool) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	is, ok := f.Issues[key]
	if !ok {
		return Issue{}, false
	}
	return *is, true
}

// Requests returns every request received so far.
func (f *Fake) Requests() []Request {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return slices.Clone(f.requests)
}

// Called reports whether a request with that method and path was received.
func (f *Fake) Called(method, path string) bool {
	for _, r := range f.Requests() {
		if r.Method == method && r.Path == path {
			return true
		}
	}
	return false
}

// Lookup finds an issue by key or id; the caller holds Mu.
func (f *Fake) Lookup(keyOrID string) *Issue {
	if is, ok := f.Issues[keyOrID]; ok {
		return is
	}
	if is, ok := f.Issues[strings.ToUpper(keyOrID)]; ok { // Jira matches keys case-insensitively
		return is
	}
	for _, is := range f.Issues {
		if is.ID == keyOrID {
			return is
		}
	}
	return nil
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	f.Mu.Lock()
	f.requests = append(f.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: strings.TrimSpace(string(body)), Auth: r.Header.Get("Authorization")})
	status, user, token := f.Status, f.User, f.Token
	f.Mu.Unlock()
	if status != 0 {
		WriteError(w, status, http.StatusText(status))
		return
	}
	if user != "" || token != "" {
		u, p, ok := r.BasicAuth()
		bearer := r.Header.Get("Authorization") == "Bearer "+token
		if !bearer && (!ok || u != user || p != token) {
			// Jira answers a bad login with 401 and a plain message.
			w.Header().Set("WWW-Authenticate", `Basic realm="protected-area"`)
			w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, "Client must be authenticated to access this resource.")
			return
		}
	}
	f.mux.ServeHTTP(w, r)
}

// WriteJSON answers v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// WriteError answers Jira's error shape: {"errorMessages":[msg],"errors":{}}.
func WriteError(w http.ResponseWriter, status int, msg string) {
	WriteJSON(w, status, map[string]any{"errorMessages": []string{msg}, "errors": map[string]string{}})
}

const issueMissing = "Issue does not exist or you do not have permission to see it."

// IssueJSON is the REST v2 representation of an issue; the caller holds Mu.
func (f *Fake) IssueJSON(is *Issue) map[string]any {
	project, _, _ := strings.Cut(is.Key, "-")
	fields := map[string]any{
		"summary":   is.Summary,
		"issuetype": map[string]any{"id": "1000" + strconv.Itoa(len(is.Type)%10), "name": is.Type, "subtask": false},
		"project":   map[string]any{"id": "10000", "key": project, "name": project + " project", "self": f.URL + "/rest/api/2/project/10000"},
		"status":    map[string]any{"id": "1", "name": is.Status, "self": f.URL + "/rest/api/2/status/1"},
	}
	for k, v := range is.Fields {
		fields[k] = v
	}
	return map[string]any{
		"expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
		"id":     is.ID,
		"self":   f.URL + "/rest/api/2/issue/" + is.ID,
		"key":    is.Key,
		"fields": fields,
	}
}

// ofIssue is what read takes from the issue key, holding Mu; nil when there is no such
// issue.
func (f *Fake) ofIssue(key string, read func(is *Issue) []string) []string {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if is := f.Lookup(key); is != nil {
		return read(is)
	}
	return nil
}

// withIssue runs fn on the issue the request's {key} names, holding Mu; a missing issue is
// answered 404 as Jira does.
func (f *Fake) withIssue(w http.ResponseWriter, r *http.Request, fn func(is *Issue)) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	is := f.Lookup(r.PathValue("key"))
	if is == nil {
		WriteError(w, http.StatusNotFound, issueMissing)
		return
	}
	fn(is)
}

// decodeBody reads the request's JSON body into v; a body that does not decode is answered
// 400 as Jira does, and decodeBody returns false.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		WriteError(w, http.StatusBadRequest, "Can not deserialize the request body: "+err.Error())
		return false
	}
	return true
}

func (f *Fake) getIssue(w http.ResponseWriter, r *http.Request) {
	f.withIssue(w, r, func(is *Issue) { WriteJSON(w, http.StatusOK, f.IssueJSON(is)) })
}

func (f *Fake) getTransitions(w http.ResponseWriter, r *http.Request) {
	f.withIssue(w, r, func(is *Issue) {
		var ts []map[string]any
		for _, t := range f.Transitions {
			if t.To == is.Status {
				continue // Jira offers no transition to the current status in a simple workflow
			}
			ts = append(ts, map[string]any{
				"id": t.ID, "name": t.Name,
				"to":     map[string]any{"id": t.ID, "name": t.To},
				"fields": map[string]any{},
			})
		}
		WriteJSON(w, http.StatusOK, map[string]any{"expand": "transitions", "transitions": ts})
	})
}

func (f *Fake) doTransition(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Transition struct {
			ID string `json:"id"`
		} `json:"transition"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	f.withIssue(w, r, func(is *Issue) {
		for _, t := range f.Transitions {
			if t.ID == body.Transition.ID && t.To != is.Status {
				is.Status = t.To
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		WriteJSON(w, http.StatusBadRequest, map[string]any{
			"errorMessages": []string{fmt.Sprintf("Transition id '%s' is not valid for this issue.", body.Transition.ID)},
			"errors":        map[string]string{},
		})
	})
}

// getMyself answers the user the request logged in as.
func (f *Fake) getMyself(w http.ResponseWriter, r *http.Request) {
	f.Mu.Lock()
	user := f.User
	f.Mu.Unlock()
	if u, _, ok := r.BasicAuth(); ok {
		user = u
	}
	WriteJSON(w, http.StatusOK, map[string]any{"self": f.URL + "/rest/api/2/user?accountId=1", "accountId": "1", "emailAddress": user, "displayName": user, "active": true})
}

// getStatuses answers the statuses the workflow's transitions lead to.
func (f *Fake) getStatuses(w http.ResponseWriter, r *http.Request) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	var out []map[string]any
	var seen []string
	for _, t := range f.Transitions {
		if slices.Contains(seen, t.To) {
			continue
		}
		seen = append(seen, t.To)
		out = append(out, map[string]any{"self": f.URL + "/rest/api/2/status/" + t.ID, "id": t.ID, "name": t.To})
	}
	WriteJSON(w, http.StatusOK, out)
}
