package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/ledger"
	"github.com/kickoffhq/kickoff/internal/radar"
	"github.com/kickoffhq/kickoff/internal/term"
)

// DefaultRefresh is how often pages reload themselves (meta refresh), in seconds.
const DefaultRefresh = 30

//go:embed templates/*.html
var templatesFS embed.FS

//go:embed static
var staticFS embed.FS

// KickoffInfo is one live kickoff.
type KickoffInfo struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Head    string `json:"head,omitempty"`
}

// Heatmap is the pairwise conflict matrix of the trunk and the live kickoffs.
type Heatmap struct {
	Refs []string `json:"refs"`
	// Local are the refs compared at a local tip that has commits not pushed (the radar reads
	// the team's pushed refs otherwise): unpushed work, marked so nobody takes it for the team's.
	Local []string     `json:"local,omitempty"`
	Rows  [][]HeatCell `json:"rows"`
}

// IsLocal says whether ref was compared at its unpushed local tip.
func (h *Heatmap) IsLocal(ref string) bool { return slices.Contains(h.Local, ref) }

// HeatCell is one pair: State is clean, overlap or conflict ("self" on the diagonal).
type HeatCell struct {
	A         string     `json:"a"`
	B         string     `json:"b"`
	State     string     `json:"state"`
	Conflicts int        `json:"conflicts"`
	Overlaps  int        `json:"overlaps"`
	Paths     []PairPath `json:"paths,omitempty"`
}

// PairPath is a file two kickoffs both change: the lines each side changed there (A's are
// ours, B's theirs; none when git wrote no markers) and the commits that changed them.
type PairPath struct {
	Path     string        `json:"path"`
	Kind     string        `json:"kind"` // conflict kind (content, rename/delete...) or "overlap"
	Message  string        `json:"message,omitempty"`
	Ours     []radar.Range `json:"ours,omitempty"`
	Theirs   []radar.Range `json:"theirs,omitempty"`
	OursBy   []radar.Touch `json:"ours_by,omitempty"`
	TheirsBy []radar.Touch `json:"theirs_by,omitempty"`
}

// pairSide is what one side of a pair changed in a file, for the pair page.
type pairSide struct {
	Ranges []radar.Range
	By     []radar.Touch
}

// Heat-map states.
const (
	StateClean    = "clean"
	StateOverlap  = "overlap"
	StateConflict = "conflict"
	StateSelf     = "self"
)

// Server serves the dashboard. Ledger and Slots are required; the providers are optional and
// their parts of the pages say "not available" when nil or failing.
type Server struct {
	Ledger ledger.Store
	Slots  []string // configured slots, in board order
	Title  string   // page title; "kickoff"
	Now    func() time.Time
	Loc    *time.Location // for exact times; UTC when nil
	// Refresh is the meta-refresh interval in seconds; 0 means DefaultRefresh, <0 none.
	Refresh int

	// Health probes a slot: app or other service -> its health; apps it leaves out are not
	// checked, other services it names are shown beside the apps.
	Health func(ctx context.Context, slot string) map[string]ledger.Health
	// Kickoffs lists the live kickoffs with their versions.
	Kickoffs func(ctx context.Context) ([]KickoffInfo, error)
	// Matrix computes the conflict heat map.
	Matrix func(ctx context.Context) (*Heatmap, error)
	// Repos are the platform's repositories, this one first (repos:), and RepoMatrix the
	// heat map of one of them: the kickoffs page switches between them (?repo=NAME).
	Repos      []string
	RepoMatrix func(ctx context.Context, repo string) (*Heatmap, error)

	// JiraURL links issues whose record carries no URL (https://acme.atlassian.net).
	JiraURL string

	// Secret, when set, puts every page and /api/ behind it (basic-auth password or bearer
	// token), for a dashboard on a shared host. Export ignores it.
	Secret string

	static bool // rendering for `dashboard export`: relative links to .html files
	pages  map[string]*template.Template
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Handler returns the dashboard's routes.
func (s *Server) Handler() (http.Handler, error) {
	if err := s.parse(); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.board)
	mux.HandleFunc("GET /slots/{slot}", s.slotPage)
	mux.HandleFunc("GET /history", s.historyPage)
	mux.HandleFunc("GET /kickoffs", s.kickoffsPage)
	mux.HandleFunc("GET /kickoffs/pair", s.pairPage)
	mux.HandleFunc("GET /api/{$}", s.apiIndex)
	mux.HandleFunc("GET /api/slots", s.apiSlots)
	mux.HandleFunc("GET /api/slots/{slot}", s.apiSlot)
	mux.HandleFunc("GET /api/history", s.apiHistory)
	mux.HandleFunc("GET /api/kickoffs", s.apiKickoffs)
	mux.HandleFunc("GET /api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, apiError{Error: "no such API route: " + r.URL.Path + " (see /api/)"})
	})
	sub, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(sub)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.notFound(w, r, "Nothing is served at "+r.URL.Path+": it is neither a slot app nor a dashboard page.")
	})
	var h http.Handler = mux
	if s.Secret != "" && !s.static {
		h = requireSecret(h, s.Secret)
	}
	return SecurityHeaders(h, ContentSecurityPolicy), nil
}

func (s *Server) parse() error {
	if s.pages != nil {
		return nil
	}
	funcs := template.FuncMap{
		"ago":      func(t time.Time) string { return term.Ago(t, s.now()) },
		"exact":    s.exact,
		"lines":    radar.FormatRanges,
		"pairSide": func(rs []radar.Range, by []radar.Touch) pairSide { return pairSide{rs, by} },
		"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"short":    gitrepo.ShortID,
		"href":     s.href,
		"dur":      func(ms int64) string { return (time.Duration(ms) * time.Millisecond).Round(time.Second).String() },
		"health":   func(h map[string]string, app string) string { return orUnknown(h[app]) },
		"failed":   func(r ledger.Record) bool { return r.Outcome != ledger.OutcomeSucceeded },
		"tail":     tailLines,
		"static":   func() bool { return s.static },
		"contains": slices.Contains[[]string],
		"issueURL": s.issueURL,
		"cardArgs": func(depth int, v SlotView, link bool) cardArgs { return cardArgs{Depth: depth, Slot: v, Link: link} },
		"recordArgs": func(depth int, recs []ledger.Record) recordArgs {
			return recordArgs{Depth: depth, Records: recs}
		},
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templatesFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, p := range []string{"board", "slot", "history", "kickoffs", "pair", "notfound"} {
		t, err := template.Must(layout.Clone()).ParseFS(templatesFS, "templates/"+p+".html")
		if err != nil {
			return fmt.Errorf("template %s: %w", p, err)
		}
		s.pages[p] = t
	}
	return nil
}

type cardArgs struct {
	Depth int
	Slot  SlotView
	Link  bool
}

type recordArgs struct {
	Depth   int
	Records []ledger.Record
}

func (s *Server) issueURL(is ledger.Issue) string {
	switch {
	case is.URL != "":
		return is.URL
	case s.JiraURL != "":
		return strings.TrimRight(s.JiraURL, "/") + "/browse/" + url.PathEscape(is.Key)
	}
	return ""
}

func orUnknown(h string) string {
	if h == "" {
		return ledger.NotChecked.Summary()
	}
	return h
}

func (s *Server) exact(t time.Time) string {
	loc := s.Loc
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04:05 MST")
}

// tailLines keeps the last n lines of logs.
func tailLines(n int, logs string) string {
	lines := strings.Split(strings.TrimRight(logs, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// href links to a page: absolute paths when served, relative .html files when exported.
// depth is how many folders deep the current page is (exports only).
func (s *Server) href(depth int, page string, args ...string) string {
	if !s.static {
		u := "/"
		switch page {
		case "board":
		case "slot":
			u = "/slots/" + url.PathEscape(args[0])
		case "pair":
			u = "/kickoffs/pair?a=" + url.QueryEscape(args[0]) + "&b=" + url.QueryEscape(args[1])
		case "history":
			u = "/history"
			if len(args) == 2 && args[1] != "" {
				u += "?" + args[0] + "=" + url.QueryEscape(args[1])
			}
		case "style":
			u = "/static/style.css"
		default:
			u = "/" + page
		}
		return u
	}
	up := strings.Repeat("../", depth)
	switch page {
	case "board":
		return up + "index.html"
	case "slot":
		return up + "slots/" + url.PathEscape(args[0]) + ".html"
	case "pair":
		return up + "kickoffs/" + url.PathEscape(args[0]) + "--" + url.PathEscape(args[1]) + ".html"
	case "history":
		if len(args) == 2 && args[0] == "slot" && args[1] != "" {
			return up + "slots/" + url.PathEscape(args[1]) + ".html"
		}
		return up + "history.html"
	case "style":
		return up + "static/style.css"
	}
	return up + page + ".html"
}

// page is what every template gets.
type page struct {
	Title   string
	Nav     string
	Refresh int
	Depth   int
	Now     time.Time
	Data    any
}

func (s *Server) render(w http.ResponseWriter, status int, name, nav string, depth int, data any) {
	if err := s.parse(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	refresh := s.Refresh
	if refresh == 0 {
		refresh = DefaultRefresh
	}
	title := s.Title
	if title == "" {
		title = "kickoff"
	}
	var b strings.Builder
	if err := s.pages[name].ExecuteTemplate(&b, "layout.html", page{Title: title, Nav: nav, Refresh: refresh, Depth: depth, Now: s.now(), Data: data}); err != nil {
		http.Error(w, "render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, msg string) {
	s.render(w, http.StatusNotFound, "notfound", "", 0, notFoundData{Message: msg, Slots: s.Slots})
}

type notFoundData struct {
	Message string
	Slots   []string
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	s.render(w, http.StatusInternalServerError, "notfound", "", 0, notFoundData{Message: "The ledger could not be read: " + err.Error(), Slots: s.Slots})
}
