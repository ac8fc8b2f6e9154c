// Package githubtest is an in-process GitHub REST API for tests: an httptest server that
// speaks the request and response shapes of the endpoints kickoff uses (pull requests and
// the open ones listed,
// check runs, issue comments), checks every request's shape (token, JSON body, required
// fields) and records what was published. Unknown routes fail the test. Test code only.
package githubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Fake is the server and its state.
type Fake struct {
	URL   string // API base URL, ends with /
	Token string // the token requests must carry

	// Scopes, when not empty, is the X-OAuth-Scopes header of every answer, as GitHub sends
	// for a classic token ("repo, read:org"); "none" sends it empty (a token with no scope).
	Scopes string

	// Deny makes every write answer 403 "Resource not accessible by integration", as
	// GitHub does for a token without checks/pull-requests write permission.
	Deny bool

	mu        sync.Mutex
	t         testing.TB
	srv       *httptest.Server
	nextID    int64
	Pulls     map[int]PullRequest
	CheckRuns []*CheckRun
	Comments  []*Comment
	Requests  []string // "METHOD /path" in order
	problems  []string
}

// PullRequest is a pull request the fake knows.
type PullRequest struct {
	HeadSHA, HeadRef, BaseRef string
	Fork                      bool // the head is in another repository (acme-fork/shop)
	Closed                    bool
}

// CheckRun is a published check run as the fake stores it.
type CheckRun struct {
	ID          int64
	Name        string
	HeadSHA     string
	Status      string
	Conclusion  string
	Title       string
	Summary     string
	Annotations []Annotation
}

// Annotation is one annotation the fake received.
type Annotation struct {
	Path      string `json:"path"`
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line"`
	Level     string `json:"annotation_level"`
	Title     string `json:"title"`
	Message   string `json:"message"`
}

// Comment is an issue comment.
type Comment struct {
	ID     int64
	Issue  int
	Body   string
	Edited int // how many times it was updated
}

// New starts a fake that accepts token; a malformed request fails t, and the fake
// stops when the test ends.
func New(t testing.TB, token string) *Fake {
	f := Start(token)
	f.t = t
	t.Cleanup(f.Close)
	return f
}

// Start starts a fake outside a testing.T (e.g. for testscript, serving the kickoff
// binary in another process); Problems lists malformed requests. Close it when done.
func Start(token string) *Fake {
	f := &Fake{Token: token, nextID: 1000, Pulls: map[int]PullRequest{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL + "/"
	return f
}

// SetScopes sets Scopes while the fake serves.
func (f *Fake) SetScopes(scopes string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Scopes = scopes
}

// Close stops the server.
func (f *Fake) Close() { f.srv.Close() }

// Problems lists the malformed or unexpected requests seen so far.
func (f *Fake) Problems() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.problems)
}

func (f *Fake) problem(format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	f.problems = append(f.problems, msg)
	if f.t != nil {
		f.t.Errorf("githubtest: %s", msg)
	}
}

var (
	reRepo      = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)$`)
	rePulls     = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls$`)
	rePull      = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls/(\d+)$`)
	reCheckRuns = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/check-runs$`)
	reCheckRun  = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/check-runs/(\d+)$`)
	reComments  = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/(\d+)/comments$`)
	reComment   = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/comments/(\d+)$`)
	levels      = []string{"notice", "warning", "failure"}
	conclusions = []string{"success", "failure", "neutral", "cancelled", "skipped", "timed_out", "action_required"}
)

func (f *Fake) fail(w http.ResponseWriter, code int, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"})
}

func (f *Fake) bad(w http.ResponseWriter, format string, a ...any) {
	f.problem("bad request: "+format, a...)
	f.fail(w, http.StatusUnprocessableEntity, format, a...)
}

func (f *Fake) reply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Requests = append(f.Requests, r.Method+" "+r.URL.Path)
	if got := r.Header.Get("Authorization"); got != "Bearer "+f.Token && got != "token "+f.Token {
		f.fail(w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	if !strings.Contains(r.Header.Get("Accept"), "application/vnd.github") {
		f.bad(w, "%s %s: Accept %q is not a GitHub media type", r.Method, r.URL.Path, r.Header.Get("Accept"))
		return
	}
	if r.Method != http.MethodGet {
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			f.bad(w, "%s %s: Content-Type %q, want application/json", r.Method, r.URL.Path, ct)
			return
		}
		if f.Deny {
			f.fail(w, http.StatusForbidden, "Resource not accessible by integration")
			return
		}
	}
	switch f.Scopes {
	case "":
	case "none":
		w.Header()["X-Oauth-Scopes"] = []string{""}
	default:
		w.Header().Set("X-OAuth-Scopes", f.Scopes)
	}
	p := r.URL.Path
	switch {
	case r.Method == http.MethodGet && reRepo.MatchString(p):
		m := reRepo.FindStringSubmatch(p)
		f.reply(w, http.StatusOK, map[string]any{"name": m[2], "full_name": m[1] + "/" + m[2], "owner": map[string]any{"login": m[1]}, "private": true})
	case r.Method == http.MethodGet && rePull.MatchString(p):
		n, _ := strconv.Atoi(rePull.FindStringSubmatch(p)[3])
		pr, ok := f.Pulls[n]
		if !ok {
			f.fail(w, http.StatusNotFound, "Not Found")
			return
		}
		f.reply(w, http.StatusOK, f.pullJSON(r, n, pr))
	case r.Method == http.MethodGet && rePulls.MatchString(p):
		if st := r.URL.Query().Get("state"); st != "open" {
			f.bad(w, "list pull requests: state %q, kickoff asks for open ones", st)
			return
		}
		var ns []int
		for n, pr := range f.Pulls {
			if !pr.Closed {
				ns = append(ns, n)
			}
		}
		slices.Sort(ns)
		lo, hi, next := page(r, len(ns))
		if next != "" {
			w.Header().Set("Link", fmt.Sprintf(`<%s%s?state=open&%s>; rel="next"`, f.srv.URL, p, next))
		}
		all := []map[string]any{}
		for _, n := range ns[lo:hi] {
			all = append(all, f.pullJSON(r, n, f.Pulls[n]))
		}
		f.reply(w, http.StatusOK, all)
	case r.Method == http.MethodPost && reCheckRuns.MatchString(p):
		var body checkRunBody
		if !f.decode(w, r, &body) {
			return
		}
		if body.Name == "" || len(body.HeadSHA) != 40 {
			f.bad(w, "create check run: name %q and a 40-character head_sha %q are required", body.Name, body.HeadSHA)
			return
		}
		if !f.validRun(w, body) {
			return
		}
		f.nextID++
		run := &CheckRun{ID: f.nextID, Name: body.Name, HeadSHA: body.HeadSHA, Status: body.Status, Conclusion: body.Conclusion}
		f.apply(run, body)
		f.CheckRuns = append(f.CheckRuns, run)
		f.reply(w, http.StatusCreated, f.runJSON(r, run))
	case r.Method == http.MethodPatch && reCheckRun.MatchString(p):
		id, _ := strconv.ParseInt(reCheckRun.FindStringSubmatch(p)[3], 10, 64)
		var body checkRunBody
		if !f.decode(w, r, &body) {
			return
		}
		if !f.validRun(w, body) {
			return
		}
		i := slices.IndexFunc(f.CheckRuns, func(c *CheckRun) bool { return c.ID == id })
		if i < 0 {
			f.fail(w, http.StatusNotFound, "Not Found")
			return
		}
		f.apply(f.CheckRuns[i], body)
		f.reply(w, http.StatusOK, f.runJSON(r, f.CheckRuns[i]))
	case r.Method == http.MethodGet && reComments.MatchString(p):
		n, _ := strconv.Atoi(reComments.FindStringSubmatch(p)[3])
		var all []map[string]any
		for _, c := range f.Comments {
			if c.Issue == n {
				all = append(all, f.commentJSON(r, c))
			}
		}
		lo, hi, next := page(r, len(all))
		if next != "" {
			w.Header().Set("Link", fmt.Sprintf(`<%s%s?%s>; rel="next"`, f.srv.URL, p, next))
		}
		if all == nil {
			all = []map[string]any{}
		}
		f.reply(w, http.StatusOK, all[lo:hi])
	case r.Method == http.MethodPost && reComments.MatchString(p):
		n, _ := strconv.Atoi(reComments.FindStringSubmatch(p)[3])
		var body struct {
			Body string `json:"body"`
		}
		if !f.decode(w, r, &body) {
			return
		}
		if body.Body == "" {
			f.bad(w, "create comment: body is required")
			return
		}
		f.nextID++
		c := &Comment{ID: f.nextID, Issue: n, Body: body.Body}
		f.Comments = append(f.Comments, c)
		f.reply(w, http.StatusCreated, f.commentJSON(r, c))
	case r.Method == http.MethodPatch && reComment.MatchString(p):
		id, _ := strconv.ParseInt(reComment.FindStringSubmatch(p)[3], 10, 64)
		var body struct {
			Body string `json:"body"`
		}
		if !f.decode(w, r, &body) {
			return
		}
		i := slices.IndexFunc(f.Comments, func(c *Comment) bool { return c.ID == id })
		if i < 0 {
			f.fail(w, http.StatusNotFound, "Not Found")
			return
		}
		f.Comments[i].Body = body.Body
		f.Comments[i].Edited++
		f.reply(w, http.StatusOK, f.commentJSON(r, f.Comments[i]))
	default:
		f.problem("unexpected request %s %s", r.Method, p)
		f.fail(w, http.StatusNotFound, "Not Found")
	}
}

// page is the slice of n items the request's page and per_page ask for, and the query
// of the next page ("" on the last).
func page(r *http.Request, n int) (lo, hi int, next string) {
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	pg, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if per <= 0 {
		per = 30
	}
	if pg <= 0 {
		pg = 1
	}
	lo, hi = min((pg-1)*per, n), min(pg*per, n)
	if hi < n {
		next = fmt.Sprintf("page=%d&per_page=%d", pg+1, per)
	}
	return lo, hi, next
}

func (f *Fake) pullJSON(r *http.Request, n int, pr PullRequest) map[string]any {
	parts := strings.Split(r.URL.Path, "/")
	base := parts[2] + "/" + parts[3]
	head := base
	if pr.Fork {
		head = parts[2] + "-fork/" + parts[3]
	}
	state := "open"
	if pr.Closed {
		state = "closed"
	}
	return map[string]any{
		"number": n, "state": state,
		"head": map[string]any{"sha": pr.HeadSHA, "ref": pr.HeadRef, "repo": map[string]any{"full_name": head, "fork": pr.Fork}},
		"base": map[string]any{"ref": pr.BaseRef, "repo": map[string]any{"full_name": base}},
	}
}

type checkRunBody struct {
	Name        string `json:"name"`
	HeadSHA     string `json:"head_sha"`
	Status      string `json:"status"`
	Conclusion  string `json:"conclusion"`
	CompletedAt string `json:"completed_at"`
	Output      *struct {
		Title       string       `json:"title"`
		Summary     string       `json:"summary"`
		Annotations []Annotation `json:"annotations"`
	} `json:"output"`
}

func (f *Fake) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		f.bad(w, "%s %s: body is not JSON: %v", r.Method, r.URL.Path, err)
		return false
	}
	return true
}

// validRun checks what GitHub checks: a completed run has a conclusion and a completion
// time, output has title and summary, annotations are at most 50 with path, lines,
// level and message.
func (f *Fake) validRun(w http.ResponseWriter, b checkRunBody) bool {
	if b.Status == "completed" && (!slices.Contains(conclusions, b.Conclusion) || b.CompletedAt == "") {
		f.bad(w, "check run: completed needs a conclusion (got %q) and completed_at", b.Conclusion)
		return false
	}
	if b.Output == nil {
		return true
	}
	if b.Output.Title == "" || b.Output.Summary == "" {
		f.bad(w, "check run output needs title and summary")
		return false
	}
	if len(b.Output.Annotations) > 50 {
		f.bad(w, "check run: %d annotations in one request, GitHub takes 50", len(b.Output.Annotations))
		return false
	}
	for _, a := range b.Output.Annotations {
		if a.Path == "" || a.StartLine < 1 || a.EndLine < a.StartLine || !slices.Contains(levels, a.Level) || a.Message == "" {
			f.bad(w, "annotation %+v: needs path, 1 <= start_line <= end_line, level notice|warning|failure, message", a)
			return false
		}
	}
	return true
}

func (f *Fake) apply(run *CheckRun, b checkRunBody) {
	if b.Status != "" {
		run.Status = b.Status
	}
	if b.Conclusion != "" {
		run.Conclusion = b.Conclusion
	}
	if b.Output != nil {
		run.Title, run.Summary = b.Output.Title, b.Output.Summary
		run.Annotations = append(run.Annotations, b.Output.Annotations...)
	}
}

func (f *Fake) runJSON(r *http.Request, c *CheckRun) map[string]any {
	return map[string]any{
		"id": c.ID, "name": c.Name, "head_sha": c.HeadSHA, "status": c.Status, "conclusion": c.Conclusion,
		"html_url": fmt.Sprintf("https://github.example/%s/runs/%d", strings.Split(r.URL.Path, "/")[3], c.ID),
		"output":   map[string]any{"title": c.Title, "summary": c.Summary, "annotations_count": len(c.Annotations)},
	}
}

func (f *Fake) commentJSON(r *http.Request, c *Comment) map[string]any {
	return map[string]any{
		"id": c.ID, "body": c.Body,
		"html_url": fmt.Sprintf("https://github.example/pull/%d#issuecomment-%d", c.Issue, c.ID),
		"user":     map[string]any{"login": "github-actions[bot]"},
	}
}

// Snapshot returns copies of the published runs and comments, safe to read.
func (f *Fake) Snapshot() ([]CheckRun, []Comment) {
	f.mu.Lock()
	defer f.mu.Unlock()
	runs := make([]CheckRun, len(f.CheckRuns))
	for i, r := range f.CheckRuns {
		runs[i] = *r
	}
	cs := make([]Comment, len(f.Comments))
	for i, c := range f.Comments {
		cs[i] = *c
	}
	return runs, cs
}

// AddPull registers a pull request.
func (f *Fake) AddPull(n int, pr PullRequest) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Pulls[n] = pr
}

// EditComment changes the body of the first comment on issue n as a person would, with
// edit; false when there is none.
func (f *Fake) EditComment(n int, edit func(body string) string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.Comments {
		if c.Issue == n {
			c.Body = edit(c.Body)
			return true
		}
	}
	return false
}
