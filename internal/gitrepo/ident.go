package gitrepo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Ident is who the user is to git: the committer identity git itself would write, honouring
// GIT_COMMITTER_NAME/EMAIL, every config scope and includes.
type Ident struct {
	Name, Email string
	Line        string    // "Name <email> 1700000000 +0000", as a tag object's tagger line wants it
	When        time.Time // the line's time: now, or GIT_COMMITTER_DATE, in the user's zone
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
	out, err := r.run(ctx, "var", "GIT_COMMITTER_IDENT")
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
		id.When = parseIdentTime(strings.Fields(line[j+1:]))
	}
	return id
}

// parseIdentTime reads "1700000000 +0900" into a time in that zone, so that a tag written
// with it carries the same zone as one git writes.
func parseIdentTime(f []string) time.Time {
	if len(f) != 2 || len(f[1]) != 5 {
		return time.Time{}
	}
	sec, err := strconv.ParseInt(f[0], 10, 64)
	hh, err1 := strconv.Atoi(f[1][1:3])
	mm, err2 := strconv.Atoi(f[1][3:5])
	if err != nil || err1 != nil || err2 != nil {
		return time.Time{}
	}
	off := (hh*60 + mm) * 60
	if f[1][0] == '-' {
		off = -off
	}
	return time.Unix(sec, 0).In(time.FixedZone(f[1], off))
}
