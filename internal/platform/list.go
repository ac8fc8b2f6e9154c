package platform

import (
	"context"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// Row is one kickoff across the platform's repositories: in each, its detail or its
// absence (made with --repos elsewhere, or deleted there).
type Row struct {
	Name  kickoff.Name
	Cells []Cell // one per member, in the members' order
}

// Cell is a kickoff in one repository.
type Cell struct {
	Repo    string
	Via     Via
	Present bool           // the kickoff is in this repository
	Detail  kickoff.Detail // when Present
}

// First is the cell to show for the row as a whole: this repository's when the kickoff is
// here, else the first repository that has it.
func (r Row) First() Cell {
	for _, c := range r.Cells {
		if c.Present && c.Via == ViaHere {
			return c
		}
	}
	for _, c := range r.Cells {
		if c.Present {
			return c
		}
	}
	return Cell{}
}

// Finished reports whether the kickoff is finished in every repository that has it.
func (r Row) Finished() bool {
	for _, c := range r.Cells {
		if c.Present && !c.Detail.Finished {
			return false
		}
	}
	return true
}

// Refresh fetches the members with all, else only the bare clones never fetched yet (list
// and status read refs as last fetched, like git).
func Refresh(ctx context.Context, ms []Member, all bool) error {
	var todo []Member
	for _, m := range ms {
		if all || (m.Via == ViaCache && m.Repo.Ref(plumbing.NewRemoteReferenceName(m.Remote, m.Env.Main)).IsZero()) {
			todo = append(todo, m)
		}
	}
	return Connect(ctx, todo)
}

// List is the kickoffs of every member (with finished, the finished ones too), one row per
// kickoff, each described in every repository that has it (kickoff.Env.Describe); sorted
// by date then summary.
func List(ms []Member, finished bool, featurePrefix string, warn func(string)) ([]Row, error) {
	rows := map[string]*Row{}
	for i, m := range ms {
		ks, err := kickoff.ListWarn(m.Repo, m.Remote, finished, warn)
		if err != nil {
			return nil, m.Errorf(err)
		}
		ds, err := m.Env.Describe(ks, featurePrefix)
		if err != nil {
			return nil, m.Errorf(err)
		}
		for _, d := range ds {
			row := rows[d.Name.String()]
			if row == nil {
				row = &Row{Name: d.Name, Cells: make([]Cell, len(ms))}
				for j, mj := range ms {
					row.Cells[j] = Cell{Repo: mj.Name, Via: mj.Via}
				}
				rows[d.Name.String()] = row
			}
			row.Cells[i].Present, row.Cells[i].Detail = true, d
		}
	}
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Row) int {
		if c := a.Name.Date.Compare(b.Name.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Name.Summary, b.Name.Summary)
	})
	return out, nil
}
