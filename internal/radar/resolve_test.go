package radar

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// TestTeamRefs: two clones of one remote. Ann pushes; Bob's clone has fetched but not
// pulled. What Bob's radar reads is what the team pushed, except his own unpushed work,
// which is marked local.
func TestTeamRefs(t *testing.T) {
	ann := gittest.New(t)
	bob := *ann
	bob.Dir = filepath.Join(t.TempDir(), "bob")
	ann.Git("clone", "-q", ann.Remote, bob.Dir)

	// Ann: main moves on; her kickoff is pushed and never fetched by Bob as a branch;
	// the shared kickoff moves on after Bob checked it out.
	ann.Git("checkout", "-q", "-b", "kickoff-241101-shared")
	ann.Commit("s.txt", "1\n", "shared 1")
	ann.Git("push", "-q", "origin", "kickoff-241101-shared")
	bob.Git("fetch", "-q")
	bob.Git("branch", "-q", "kickoff-241101-shared", "origin/kickoff-241101-shared")
	sharedTip := ann.Commit("s.txt", "2\n", "shared 2")
	ann.Git("push", "-q", "origin", "kickoff-241101-shared")
	ann.Git("checkout", "-q", "-b", "kickoff-241102-anns", "main")
	ann.Commit("a.txt", "a\n", "ann's kickoff")
	ann.Git("push", "-q", "origin", "kickoff-241102-anns")
	ann.Git("checkout", "-q", "main")
	mainTip := ann.Commit("m.txt", "m\n", "main moves on")
	ann.Git("push", "-q", "origin", "main")

	// Bob: his own kickoff, pushed, then one more commit not pushed.
	bob.Git("checkout", "-q", "-b", "kickoff-241103-bobs")
	bob.Commit("b.txt", "1\n", "bob 1")
	bob.Git("push", "-q", "origin", "kickoff-241103-bobs")
	bobsTip := bob.Commit("b.txt", "2\n", "bob 2 (not pushed)")
	bob.Git("fetch", "-q")

	repo, err := gitrepo.Open(bob.Dir)
	if err != nil {
		t.Fatal(err)
	}
	refs, err := Selection(repo, "main", "origin", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Ref{
		{Name: "main", Rev: "refs/remotes/origin/main"},
		{Name: "kickoff-241101-shared", Rev: "refs/remotes/origin/kickoff-241101-shared", Listed: true},
		{Name: "kickoff-241102-anns", Rev: "refs/remotes/origin/kickoff-241102-anns", Listed: true},
		{Name: "kickoff-241103-bobs", Rev: "refs/heads/kickoff-241103-bobs", Local: true, Listed: true},
	}
	if !reflect.DeepEqual(refs, want) {
		t.Fatalf("Selection in the stale clone =\n%v\nwant\n%v", refs, want)
	}
	e := openEngine(t, bob.Dir, "")
	infos, err := e.ResolveRefs(refs)
	if err != nil {
		t.Fatal(err)
	}
	for i, tip := range map[int]string{0: mainTip, 1: sharedTip, 3: bobsTip} {
		if infos[i].Commit != tip {
			t.Errorf("%s read at %s, want %s", infos[i].Name, infos[i].Commit, tip)
		}
	}
	// Named explicitly, a branch reads the same copy.
	if got := TeamRefs(repo, "main", "origin", []string{"main", "kickoff-241101-shared", "v-no-such"}); got[0].Rev != want[0].Rev || got[1].Rev != want[1].Rev || got[2].Rev != "v-no-such" {
		t.Errorf("TeamRefs = %v", got)
	}

	// A ref listed, then deleted before it is read (a fetch --prune meanwhile).
	if err := repo.DeleteRef(plumbing.ReferenceName("refs/remotes/origin/kickoff-241102-anns")); err != nil {
		t.Fatal(err)
	}
	_, err = e.ResolveRefs(refs)
	if err == nil || !strings.Contains(err.Error(), "kickoff-241102-anns was deleted while kickoff read it") || !strings.Contains(err.Error(), "run the command again") {
		t.Errorf("a ref deleted meanwhile: %v", err)
	}
	// Named by the user, the same absence is an unknown ref.
	if _, err := e.ResolveRefs([]Ref{{Name: "x", Rev: "kickoff-241102-anns"}}); !errors.Is(err, gitrepo.ErrUnknownRef) {
		t.Errorf("an unknown name: %v", err)
	}

	// A --mirror clone has no remote-tracking branches: its branches are the team's.
	mirror := filepath.Join(t.TempDir(), "mirror.git")
	ann.Git("clone", "-q", "--mirror", ann.Remote, mirror)
	mrepo, err := gitrepo.Open(mirror)
	if err != nil {
		t.Fatal(err)
	}
	mrefs, err := Selection(mrepo, "main", "origin", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(mrefs) != 4 || mrefs[0].Rev != "refs/heads/main" || mrefs[3].Local {
		t.Errorf("Selection in a mirror = %v", mrefs)
	}
}

// A name that is no ref is an error naming it.
func TestResolveUnknownRef(t *testing.T) {
	t.Run("unknown ref", func(t *testing.T) {
		r := gittest.NewLocal(t)
		e := openEngine(t, r.Dir, "")
		_, err := e.Resolve([]string{"main", "no-such-branch"})
		if err == nil || !strings.Contains(err.Error(), `unknown ref "no-such-branch"`) {
			t.Errorf("err = %v", err)
		}
	})
}
