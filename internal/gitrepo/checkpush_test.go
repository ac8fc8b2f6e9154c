package gitrepo_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// CheckPush asks the remote without changing it; a remote that refuses pushes is named
// with git's reason.
func TestCheckPush(t *testing.T) {
	for _, kv := range gittest.Env() {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "GIT_") {
			t.Setenv(k, v)
		}
	}
	g := gittest.New(t)
	repo, err := gitrepo.Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, getenv := context.Background(), func(string) string { return "" }
	if err := repo.CheckPush(ctx, "origin", getenv); err != nil {
		t.Fatalf("CheckPush to a writable remote: %v", err)
	}
	if out := g.Git("ls-remote", "origin"); strings.Contains(out, "refs/kickoff/") {
		t.Errorf("the dry run pushed:\n%s", out)
	}

	// A hook that refuses every push, as a server refusing a read-only user does.
	hook := filepath.Join(g.Remote, "hooks", "pre-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\necho '읽기 전용 저장소입니다' >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A dry run stops before the hooks run: only the connection and credentials are tried.
	if err := repo.CheckPush(ctx, "origin", getenv); err != nil {
		t.Errorf("a dry run reached the pre-receive hook: %v", err)
	}

	g.Git("remote", "set-url", "origin", filepath.Join(t.TempDir(), "gone.git"))
	err = repo.CheckPush(ctx, "origin", getenv)
	var pr *gitrepo.PushRejectedError
	if !errors.As(err, &pr) || !strings.Contains(err.Error(), "gone.git") {
		t.Errorf("CheckPush to a missing remote: %v", err)
	}
}
