package gitrepo

import (
	"context"
	"errors"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// The work tree and the index are left to the git binary: it refuses a checkout that would
// overwrite staged changes or untracked files, runs the user's hooks and filters (LFS), and
// reads the index stat cache, where go-git's Worktree.Checkout and Status do none of these.

// Dirty lists the changed, staged and untracked (not ignored) paths; empty means clean.
func (r *Repo) Dirty(ctx context.Context) ([]string, error) {
	return r.dirty(ctx, "--untracked-files=normal")
}

// dirty is Dirty with git's untracked option: normal names an untracked folder as one
// entry ("dir/"), all names every file in it.
func (r *Repo) dirty(ctx context.Context, untracked string) ([]string, error) {
	if r.Bare() {
		return nil, nil // no work tree, nothing uncommitted (a platform's cached clone)
	}
	out, err := r.run(ctx, "status", "--porcelain", "-z", untracked)
	if err != nil {
		return nil, err
	}
	var paths []string
	entries := strings.Split(out, "\x00")
	for i := 0; i < len(entries); i++ {
		e := entries[i]
		if len(e) < 4 {
			continue
		}
		paths = append(paths, e[3:])
		if e[0] == 'R' || e[0] == 'C' {
			i++ // a rename or copy is followed by its source path
		}
	}
	return paths, nil
}

// Switch checks a local branch out (git switch).
func (r *Repo) Switch(ctx context.Context, branch string) error {
	_, err := r.run(ctx, "switch", "--quiet", branch)
	return err
}

// SwitchTrack creates the local branch from remote's branch of the same name, with it as
// upstream, and checks it out (git switch -c BRANCH --track REMOTE/BRANCH).
func (r *Repo) SwitchTrack(ctx context.Context, branch, remote string) error {
	_, err := r.run(ctx, "switch", "--quiet", "-c", branch, "--track", remote+"/"+branch)
	return err
}

// Overwritten lists the uncommitted paths (changed, staged or untracked) that checking out
// rev would overwrite: those that differ between HEAD and rev. Empty when the switch is safe.
func (r *Repo) Overwritten(ctx context.Context, rev string) ([]string, error) {
	dirty, err := r.dirty(ctx, "--untracked-files=all")
	if err != nil || len(dirty) == 0 {
		return nil, err
	}
	out, err := r.run(ctx, "diff", "--name-only", "--no-renames", "-z", "HEAD", rev, "--")
	if err != nil {
		return nil, err
	}
	differ := map[string]bool{}
	for _, p := range strings.Split(out, "\x00") {
		differ[p] = p != ""
	}
	var hit []string
	for _, p := range dirty {
		if differ[p] {
			hit = append(hit, p)
		}
	}
	return hit, nil
}

// MergeResult is the outcome of a merge attempt.
type MergeResult struct {
	Tree      string   // the merged tree (merge-tree), when clean
	Conflicts []string // conflicted paths; empty when clean
}

// MergeTree merges two commits in memory, touching neither refs nor the work tree.
// go-git has no three-way merge, so this is `git merge-tree --write-tree` (git >= 2.38).
func (r *Repo) MergeTree(ctx context.Context, ours, theirs string) (MergeResult, error) {
	out, err := r.run(ctx, "merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", ours, theirs)
	var ge *GitError
	if err != nil && !(errors.As(err, &ge) && ge.ExitCode() == 1) {
		return MergeResult{}, err
	}
	parts := strings.Split(strings.TrimRight(out, "\x00"), "\x00")
	res := MergeResult{Tree: parts[0]}
	if err != nil { // exit 1: conflicts, listed after the tree id
		seen := map[string]bool{}
		for _, p := range parts[1:] {
			if p != "" && !seen[p] {
				seen[p] = true
				res.Conflicts = append(res.Conflicts, p)
			}
		}
		if len(res.Conflicts) == 0 {
			res.Conflicts = []string{"(unknown)"}
		}
	}
	return res, nil
}

// CommitTree writes a commit of tree with parents and message, returning its id
// (git commit-tree: go-git can write commits, but the binary applies the user's identity and
// signing configuration exactly as `git merge` would).
func (r *Repo) CommitTree(ctx context.Context, tree, message string, parents ...string) (string, error) {
	args := []string{"commit-tree", tree, "-m", message}
	for _, p := range parents {
		args = append(args, "-p", p)
	}
	out, err := r.run(ctx, args...)
	return strings.TrimSpace(out), err
}

// Merge merges rev into the checked-out branch with a merge commit (git merge --no-ff).
// On conflicts it leaves the work tree as git does and returns the conflicted paths.
func (r *Repo) Merge(ctx context.Context, rev, message string) (conflicts []string, err error) {
	_, err = r.run(ctx, "merge", "--no-ff", "--no-edit", "-m", message, rev)
	if err == nil {
		return nil, nil
	}
	if conflicts, _ = r.Unmerged(ctx); len(conflicts) > 0 {
		return conflicts, nil
	}
	return nil, err
}

// FastForward moves the checked-out branch and the work tree to rev, which must contain
// it (git merge --ff-only).
func (r *Repo) FastForward(ctx context.Context, rev string) error {
	_, err := r.run(ctx, "merge", "--quiet", "--ff-only", rev)
	return err
}

// ResetKeep moves the checked-out branch and the work tree back to rev, keeping local
// changes and refusing when they would be lost (git reset --keep).
func (r *Repo) ResetKeep(ctx context.Context, rev string) error {
	_, err := r.run(ctx, "reset", "--quiet", "--keep", rev)
	return err
}

// Index reads the index (the staging area) as go-git parses it.
func (r *Repo) Index() (*index.Index, error) {
	return r.repo.Storer.Index()
}
