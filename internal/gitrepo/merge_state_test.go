package gitrepo_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// A merge that stops on conflicts: seen (MERGE_HEAD, unmerged paths, markers left after
// `git add`), committed, or abandoned.
func TestMergeState(t *testing.T) {
	ctx := context.Background()
	g := gittest.NewLocal(t)
	g.Git("switch", "-q", "-c", "kickoff")
	g.Commit("공유.txt", "킥오프 쪽\n", "kickoff side")
	g.Git("switch", "-q", "main")
	mainTip := g.Commit("공유.txt", "main 쪽\n", "main side")
	g.Git("switch", "-q", "kickoff")
	before := g.Git("rev-parse", "HEAD")
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if repo.MergeInProgress() {
		t.Fatal("merge in progress before any merge")
	}
	conflicts, err := repo.Merge(ctx, mainTip, "Merge main into kickoff")
	if err != nil || !slices.Equal(conflicts, []string{"공유.txt"}) {
		t.Fatalf("Merge = %q, %v", conflicts, err)
	}
	if !repo.MergeInProgress() {
		t.Error("MergeInProgress = false after a stopped merge")
	}
	if u, err := repo.Unmerged(ctx); err != nil || !slices.Equal(u, []string{"공유.txt"}) {
		t.Errorf("Unmerged = %q, %v", u, err)
	}
	g.Git("add", "공유.txt")
	if u, _ := repo.Unmerged(ctx); len(u) != 0 {
		t.Errorf("Unmerged after git add = %q", u)
	}
	if m := repo.ConflictMarkers([]string{"공유.txt", "gone.txt"}); !slices.Equal(m, []string{"공유.txt"}) {
		t.Errorf("ConflictMarkers = %q", m)
	}
	if err := repo.AbortMerge(ctx); err != nil || repo.MergeInProgress() || g.Git("rev-parse", "HEAD") != before {
		t.Fatalf("AbortMerge: %v (in progress %v)", err, repo.MergeInProgress())
	}
	if err := repo.AbortMerge(ctx); err != nil {
		t.Errorf("AbortMerge with no merge: %v", err)
	}

	if _, err := repo.Merge(ctx, mainTip, "Merge main into kickoff"); err != nil {
		t.Fatal(err)
	}
	g.Write("공유.txt", "둘 다\n")
	g.Git("add", "공유.txt")
	if m := repo.ConflictMarkers([]string{"공유.txt"}); len(m) != 0 {
		t.Errorf("ConflictMarkers after editing = %q", m)
	}
	if err := repo.CommitMerge(ctx); err != nil {
		t.Fatal(err)
	}
	if got := g.Git("log", "-1", "--format=%P%n%s"); got != before+" "+mainTip+"\nMerge main into kickoff" {
		t.Errorf("merge commit:\n%s", got)
	}
	c, err := repo.Commit(plumbing.NewHash(g.Git("rev-parse", "HEAD")))
	if err != nil || len(c.Parents) != 2 || c.Parents[0].String() != before || c.Parents[1].String() != mainTip {
		t.Errorf("Commit parents = %v, %v", c.Parents, err)
	}
}

// Changes tells tracked changes from untracked files (each file, not its folder); InTree
// finds the untracked files a switch to a commit would overwrite.
func TestChangesAndInTree(t *testing.T) {
	ctx := context.Background()
	g := gittest.NewLocal(t)
	other := g.Commit("docs/계획.md", "plan\n", "plan")
	g.Git("rm", "-q", "docs/계획.md")
	g.Git("commit", "-q", "-m", "drop plan")
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	g.Write("README.md", "changed\n")
	g.Write("docs/계획.md", "my own plan\n")
	g.Write("docs/notes/a.txt", "a\n")
	tracked, untracked, err := repo.Changes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tracked, []string{"README.md"}) || !slices.Equal(untracked, []string{"docs/notes/a.txt", "docs/계획.md"}) {
		t.Errorf("Changes = %q, %q", tracked, untracked)
	}
	in, err := repo.InTree(plumbing.NewHash(other), untracked)
	if err != nil || !slices.Equal(in, []string{"docs/계획.md"}) {
		t.Errorf("InTree = %q, %v", in, err)
	}
}

// A stash found and popped by its message; untracked files go with it.
func TestStashByMessage(t *testing.T) {
	ctx := context.Background()
	g := gittest.NewLocal(t)
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	const msg = "kickoff sync kickoff-240510-dash: changes on main"
	if has, err := repo.HasStash(ctx, msg); err != nil || has {
		t.Fatalf("HasStash with no stash = %v, %v", has, err)
	}
	g.Write("README.md", "고침\n")
	g.Write("메모.txt", "memo\n")
	if err := repo.Stash(ctx, msg); err != nil {
		t.Fatal(err)
	}
	if d, _ := repo.Dirty(ctx); len(d) != 0 {
		t.Fatalf("after Stash the work tree has %q", d)
	}
	g.Write("other.txt", "o\n")
	g.Git("stash", "push", "-q", "-u", "-m", "someone else's")
	if has, err := repo.HasStash(ctx, msg); err != nil || !has {
		t.Fatalf("HasStash = %v, %v", has, err)
	}
	if err := repo.PopStash(ctx, msg); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(g.Dir, "메모.txt")); string(data) != "memo\n" {
		t.Errorf("메모.txt after pop = %q", data)
	}
	if got := g.Git("stash", "list", "--format=%gs"); !strings.HasSuffix(got, "someone else's") || strings.Count(got, "\n") != 0 {
		t.Errorf("stash list after pop = %q", got)
	}
	if err := repo.PopStash(ctx, msg); err != gitrepo.ErrNoStash {
		t.Errorf("second pop = %v, want ErrNoStash", err)
	}
}

// A push the remote refuses carries what the remote said (a pre-receive hook's message).
func TestPushKeepsTheRemotesWords(t *testing.T) {
	g := gittest.New(t)
	hook := filepath.Join(g.Remote, "hooks", "pre-receive")
	script := "#!/bin/sh\necho '거부: PROJ 키가 없는 커밋입니다' >&2\necho 'see https://wiki.example.com/branches' >&2\nexit 1\n"
	if err := os.WriteFile(hook, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	g.Git("branch", "kickoff-240510-dash")
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	err = repo.Push(context.Background(), "origin", func(string) string { return "" }, "refs/heads/kickoff-240510-dash:refs/heads/kickoff-240510-dash")
	if err == nil || !strings.Contains(err.Error(), "the remote said: 거부: PROJ 키가 없는 커밋입니다 | see https://wiki.example.com/branches") {
		t.Fatalf("push error = %v", err)
	}
}
