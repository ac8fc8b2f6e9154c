package gitrepo_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// Settings lists what git reads: the user's file, then the repository's, in that order
// (the later wins); outside a repository the user's alone.
func TestSettings(t *testing.T) {
	global := filepath.Join(t.TempDir(), "gitconfig")
	if err := os.WriteFile(global, []byte("[kickoff \"jira\"]\n\tuser = 김철수@acme.io\n\tfix-version\n[kickoff]\n\tmain = trunk\n[user]\n\tname = Ann\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", global)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	ctx := context.Background()

	outside, err := gitrepo.Settings(ctx, t.TempDir(), "kickoff")
	want := []gitrepo.Setting{{"kickoff.jira.user", "김철수@acme.io"}, {"kickoff.jira.fix-version", "true"}, {"kickoff.main", "trunk"}}
	if err != nil || !reflect.DeepEqual(outside, want) {
		t.Errorf("outside a repository: %q, %v; want %q", outside, err, want)
	}

	g := gittest.NewLocal(t)
	g.Git("config", "kickoff.jira.user", "local@acme.io")
	inside, err := gitrepo.Settings(ctx, g.Dir, "kickoff")
	want = append(want, gitrepo.Setting{Name: "kickoff.jira.user", Value: "local@acme.io"})
	if err != nil || !reflect.DeepEqual(inside, want) {
		t.Errorf("in a repository: %q, %v; want %q", inside, err, want)
	}

	if none, err := gitrepo.Settings(ctx, g.Dir, "nothing-here"); err != nil || none != nil {
		t.Errorf("no entries: %q, %v", none, err)
	}
}
