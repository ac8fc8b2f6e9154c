package radar

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// A change set read back from the cache is the one written, whatever it holds.
func TestChangeSetCacheForm(t *testing.T) {
	for _, cs := range []ChangeSet{
		{Paths: []string{}},
		{Paths: []string{"a.txt", "dir/with space/b.go", "odd\nname"}},
		{Paths: []string{}, RemovedDirs: []string{"gone", "also/gone"}},
		{Paths: []string{"x"}, RemovedDirs: []string{"y"}},
	} {
		data, err := cs.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got ChangeSet
		if err := got.UnmarshalBinary(data); err != nil {
			t.Fatalf("%+v: %v", cs, err)
		}
		if !slices.Equal(got.Paths, cs.Paths) || !slices.Equal(got.RemovedDirs, cs.RemovedDirs) || got.Paths == nil {
			t.Errorf("read back %#v, wrote %#v", got, cs)
		}
	}
	var cs ChangeSet
	if cs.UnmarshalBinary([]byte("no terminator")) == nil {
		t.Error("a malformed entry was read as a change set")
	}
}

// computeChanges lists the paths git diff names (renames as a delete and an add, mode
// changes, files that became folders) and the folders that are gone.
func TestComputeChangesAgreesWithGit(t *testing.T) {
	r := gittest.NewLocal(t)
	r.Write("keep/same.txt", "same\n")
	r.Write("lib/one.txt", "1\n")
	r.Write("lib/deep/two.txt", "2\n")
	r.Write("conf", "a file\n")
	r.Write("run.sh", "echo\n")
	r.Git("add", "-A")
	base := plumbing.NewHash(r.Commit("edit.txt", "old\n", "base"))
	r.Git("mv", "lib", "pkg")
	r.Git("rm", "-q", "conf")
	r.Write("conf/app.yaml", "a folder\n")
	r.Write("edit.txt", "new\n")
	r.Git("update-index", "--chmod=+x", "run.sh")
	r.Git("add", "-A")
	r.Git("commit", "-q", "-m", "side")
	side := plumbing.NewHash(r.Git("rev-parse", "HEAD"))

	e := openEngine(t, r.Dir, "")
	cs, err := e.differ.computeChanges(context.Background(), base, side)
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(slices.Values(cs.Paths))
	want := strings.Fields(r.Git("diff", "--no-renames", "--name-only", base.String(), side.String()))
	if !slices.Equal(got, want) {
		t.Errorf("paths %q, git diff says %q", got, want)
	}
	// The top folder gone is enough: a change inside lib/deep is inside lib too.
	if !slices.Equal(cs.RemovedDirs, []string{"lib"}) {
		t.Errorf("removed folders %q, want lib", cs.RemovedDirs)
	}
	if none, err := e.differ.computeChanges(context.Background(), side, side); err != nil || len(none.Paths) != 0 {
		t.Errorf("a commit against itself: %v %v", none, err)
	}
}
