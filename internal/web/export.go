package web

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
)

// Export writes the dashboard as static files into dir, for a bucket or any static web host:
// index.html, history.html, kickoffs.html, slots/<slot>.html, kickoffs/<a>--<b>.html, the JSON of
// the API under api/ (slots.json, slots/<slot>.json, history.json, kickoffs.json) and
// static/style.css. Links between pages are relative. It returns the files written.
func (s *Server) Export(ctx context.Context, dir string) ([]string, error) {
	x := *s // a copy rendering static links, with providers called once
	x.static, x.pages = true, nil
	x.Kickoffs = once(s.Kickoffs)
	x.Matrix = once(s.Matrix)
	h, err := x.Handler()
	if err != nil {
		return nil, err
	}
	states, err := x.states(ctx)
	if err != nil {
		return nil, err
	}
	files := map[string]string{ // file -> request
		"index.html":        "/",
		"history.html":      "/history",
		"kickoffs.html":     "/kickoffs",
		"api/slots.json":    "/api/slots",
		"api/history.json":  "/api/history",
		"api/kickoffs.json": "/api/kickoffs",
	}
	for _, st := range states {
		files["slots/"+st.Slot+".html"] = "/slots/" + url.PathEscape(st.Slot)
		files["api/slots/"+st.Slot+".json"] = "/api/slots/" + url.PathEscape(st.Slot)
	}
	if x.Matrix != nil {
		if m, err := x.Matrix(ctx); err == nil && m != nil {
			for _, row := range m.Rows {
				for _, c := range row {
					if c.State != StateSelf {
						files["kickoffs/"+c.A+"--"+c.B+".html"] = "/kickoffs/pair?a=" + url.QueryEscape(c.A) + "&b=" + url.QueryEscape(c.B)
					}
				}
			}
		}
	}
	// Slot names come from the ledger, which others write: every file is written through an
	// os.Root of dir, so no name (../../x, a symlink planted in dir) can land outside it.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	defer root.Close()
	var written []string
	for file, target := range files {
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return written, fmt.Errorf("export %s: %s answered %d: %s", file, target, rec.Code, rec.Body.String())
		}
		if err := writeFile(root, file, rec.Body.Bytes()); err != nil {
			return written, err
		}
		written = append(written, file)
	}
	err = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		written = append(written, p)
		return writeFile(root, p, b)
	})
	return written, err
}

// writeFile writes name (slash-separated) under root.
func writeFile(root *os.Root, name string, b []byte) error {
	path := filepath.FromSlash(name)
	if err := root.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	if err := root.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	return nil
}

// once memoizes a provider for the length of an export.
func once[T any](f func(context.Context) (T, error)) func(context.Context) (T, error) {
	if f == nil {
		return nil
	}
	var (
		mu   sync.Mutex
		done bool
		v    T
		err  error
	)
	return func(ctx context.Context) (T, error) {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			v, err = f(ctx)
			done = true
		}
		return v, err
	}
}
