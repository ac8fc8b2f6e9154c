package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// What an interrupted or stopped merge leaves in the work tree, and the git binary's ways
// to finish or abandon it (go-git knows nothing of MERGE_HEAD, the index's conflict stages
// or the stash).

// MergeInProgress reports whether this work tree is in the middle of a merge (git wrote
// MERGE_HEAD: the merge stopped on conflicts and is neither committed nor aborted).
func (r *Repo) MergeInProgress() bool {
	_, err := os.Stat(filepath.Join(r.GitDir, "MERGE_HEAD"))
	return err == nil
}

// Unmerged lists the paths still in conflict (unmerged in the index).
func (r *Repo) Unmerged(ctx context.Context) ([]string, error) {
	out, err := r.run(ctx, "diff", "--name-only", "--diff-filter=U", "-z")
	if err != nil {
		return nil, err
	}
	return splitZ(out), nil
}

// ConflictMarkers lists which of paths (relative to the top of the work tree) still hold
// a conflict marker line ("<<<<<<< " or ">>>>>>> "): marked resolved with `git add`, but not
// edited. Missing files are skipped.
func (r *Repo) ConflictMarkers(paths []string) []string {
	var marked []string
	for _, p := range paths {
		data, err := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(p)))
		if err != nil {
			continue
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			if bytes.HasPrefix(line, []byte("<<<<<<< ")) || bytes.HasPrefix(line, []byte(">>>>>>> ")) {
				marked = append(marked, p)
				break
			}
		}
	}
	return marked
}

// CommitMerge commits a merge whose conflicts were resolved, with the message git prepared
// (git commit --no-edit).
func (r *Repo) CommitMerge(ctx context.Context) error {
	_, err := r.run(ctx, "commit", "--quiet", "--no-edit")
	return err
}

// AbortMerge abandons a merge in progress, putting the work tree and the index back as
// they were before it (git merge --abort). With no merge in progress it does nothing.
func (r *Repo) AbortMerge(ctx context.Context) error {
	if !r.MergeInProgress() {
		return nil
	}
	_, err := r.run(ctx, "merge", "--abort")
	return err
}

// Changes splits the work tree's changes into tracked paths (modified, staged, deleted,
// in conflict) and untracked files (not ignored; each file, not only its folder).
func (r *Repo) Changes(ctx context.Context) (tracked, untracked []string, err error) {
	out, err := r.run(ctx, "status", "--porcelain", "-z", "--untracked-files=all")
	if err != nil {
		return nil, nil, err
	}
	entries := strings.Split(out, "\x00")
	for i := 0; i < len(entries); i++ {
		e := entries[i]
		if len(e) < 4 {
			continue
		}
		if e[:2] == "??" {
			untracked = append(untracked, e[3:])
			continue
		}
		tracked = append(tracked, e[3:])
		if e[0] == 'R' || e[0] == 'C' {
			i++ // a rename or copy is followed by its source path
		}
	}
	return tracked, untracked, nil
}

// InTree returns which of paths are files (or links) in commit's tree: an untracked file at
// such a path would be overwritten by switching to that commit, so git refuses the switch.
func (r *Repo) InTree(commit plumbing.Hash, paths []string) ([]string, error) {
	c, err := r.commit(commit)
	if err != nil {
		return nil, err
	}
	tree, err := c.Tree()
	if err != nil {
		return nil, err
	}
	var in []string
	for _, p := range paths {
		if e, err := tree.FindEntry(p); err == nil && e.Mode.IsFile() {
			in = append(in, p)
		}
	}
	return in, nil
}

// ErrNoStash is a stash entry that is not (or no longer) there.
var ErrNoStash = errors.New("no such stash entry")

// Stash saves the work tree's changes, untracked files included, as a stash entry with
// message (git stash push --include-untracked), leaving the work tree clean.
func (r *Repo) Stash(ctx context.Context, message string) error {
	_, err := r.run(ctx, "stash", "push", "--quiet", "--include-untracked", "--message", message)
	return err
}

// HasStash reports whether a stash entry with message exists.
func (r *Repo) HasStash(ctx context.Context, message string) (bool, error) {
	ref, err := r.findStash(ctx, message)
	return ref != "", err
}

// PopStash applies the stash entry with message to the work tree and drops it (git stash
// pop); ErrNoStash when there is none. When applying it conflicts, git keeps the entry.
func (r *Repo) PopStash(ctx context.Context, message string) error {
	ref, err := r.findStash(ctx, message)
	if err != nil {
		return err
	}
	if ref == "" {
		return ErrNoStash
	}
	_, err = r.run(ctx, "stash", "pop", "--quiet", "--index", ref)
	return err
}

// findStash is the stash@{n} whose message is message ("" when none). git records it as
// "On <branch>: <message>".
func (r *Repo) findStash(ctx context.Context, message string) (string, error) {
	out, err := r.run(ctx, "stash", "list", "-z", "--format=%gd%x01%gs")
	if err != nil {
		return "", err
	}
	for _, e := range splitZ(out) {
		ref, subject, ok := strings.Cut(e, "\x01")
		if ok && (subject == message || strings.HasSuffix(subject, ": "+message)) {
			return ref, nil
		}
	}
	return "", nil
}

func splitZ(out string) []string {
	var parts []string
	for _, p := range strings.Split(out, "\x00") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}
