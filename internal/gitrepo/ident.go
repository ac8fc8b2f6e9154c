package gitrepo

import (
	"context"
	"fmt"
	"strings"
)

// Ident is who the user is to git: the committer identity git itself would write, honouring
// GIT_COMMITTER_NAME/EMAIL, every config scope and includes.
type Ident struct {
	Name, Email string
	Line        string // "Name <email> 1700000000 +0000", as a tag object's tagger line wants it
}

// Identity asks git once per repository (`git var GIT_COMMITTER_IDENT`: go-git's config
// reader misses includes and the environment). It fails when git has no identity to give,
// telling the user what to set.
func (r *Repo) Identity(ctx context.Context) (Ident, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ident != nil {
		return *r.ident, nil
	}
	out, err := r.Run(ctx, "var", "GIT_COMMITTER_IDENT")
	if err != nil {
		return Ident{}, fmt.Errorf("who are you: %w (set user.name and user.email with git config)", err)
	}
	id := parseIdent(strings.TrimSpace(out))
	r.ident = &id
	return id, nil
}

// parseIdent reads "Name <email> time zone".
func parseIdent(line string) Ident {
	id := Ident{Line: line}
	if i := strings.Index(line, " <"); i > 0 {
		id.Name = line[:i]
	}
	if i, j := strings.Index(line, "<"), strings.Index(line, ">"); i >= 0 && j > i {
		id.Email = line[i+1 : j]
	}
	return id
}
