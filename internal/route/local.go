package route

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// TableFile is the local routing table in kickoff's state folder; `kickoff serve` reloads it
// whenever it changes.
const TableFile = "routes.json"

// Table is the local routing table as stored.
type Table struct {
	Mode   string  `json:"mode"`
	Domain string  `json:"domain"`
	Routes []Route `json:"routes"`
}

// Local is the driver of the built-in router: its routes live in a table file.
type Local struct {
	Path   string // the table file
	Mode   string
	Domain string
}

// NewLocal returns the local driver keeping its table in stateDir.
func NewLocal(stateDir, mode, domain string) *Local {
	return &Local{Path: filepath.Join(stateDir, TableFile), Mode: mode, Domain: domain}
}

func (l *Local) Name() string { return "local" }

// ReadTable reads a table file; a missing file is an empty table.
func ReadTable(path string) (Table, error) {
	var t Table
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return t, fmt.Errorf("read routing table: %w", err)
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return t, fmt.Errorf("routing table %s is damaged (%v): delete it and run `kickoff route apply`", path, err)
	}
	return t, nil
}

func (l *Local) Plan(ctx context.Context, desired []Route) (*Plan, error) {
	t, err := ReadTable(l.Path)
	if err != nil {
		return nil, err
	}
	changes, unchanged := Diff(desired, t.Routes)
	return &Plan{Driver: l.Name(), Mode: l.Mode, Changes: changes, Unchanged: unchanged, desired: desired}, nil
}

// Apply writes the table with the plan's changes, atomically (a reader sees the old table
// or the new one, never half of it).
func (l *Local) Apply(ctx context.Context, p *Plan) error {
	// Releases of two slots may apply at once: the read-modify-write is under a lock, so
	// neither loses the other's routes.
	lock, err := gitrepo.StateLock(filepath.Dir(l.Path), filepath.Base(l.Path)+".lock")
	if err != nil {
		return fmt.Errorf("routing table: %w", err)
	}
	lctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if ok, err := lock.TryLockContext(lctx, 5*time.Millisecond); err != nil || !ok {
		if err == nil {
			err = lctx.Err()
		}
		return fmt.Errorf("lock routing table %s (another kickoff is writing it; retry): %w", l.Path, err)
	}
	defer lock.Unlock()
	t, err := ReadTable(l.Path)
	if err != nil {
		return err
	}
	if p.Empty() && t.Mode == l.Mode && t.Domain == l.Domain {
		return nil
	}
	t.Mode, t.Domain = l.Mode, l.Domain
	t.Routes = applyToTable(t.Routes, p.Changes)
	sortLike(t.Routes, p.desired)
	if err := writeFileAtomic(l.Path, t); err != nil {
		if len(p.Changes) == 0 {
			return err
		}
		return &ApplyError{Failed: p.Changes[0], Pending: p.Changes[1:], Err: err}
	}
	return nil
}

// sortLike orders routes as in desired (slot then app, in configuration order), the others
// after them by key.
func sortLike(routes, desired []Route) {
	pos := map[string]int{}
	for i, d := range desired {
		pos[d.Key()] = i
	}
	at := func(r Route) int {
		if i, ok := pos[r.Key()]; ok {
			return i
		}
		return len(desired)
	}
	slices.SortStableFunc(routes, func(a, b Route) int {
		if d := at(a) - at(b); d != 0 {
			return d
		}
		return strings.Compare(a.Key(), b.Key())
	})
}

// writeFileAtomic replaces the table file through the state folder's rules: a temporary
// file with an unpredictable name, renamed over, never through a symbolic link.
func writeFileAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := gitrepo.WriteStateFile(filepath.Dir(path), filepath.Base(path), append(data, '\n')); err != nil {
		return fmt.Errorf("write routing table: %w", err)
	}
	return nil
}
