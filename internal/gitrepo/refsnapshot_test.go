package gitrepo

import (
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// TestReadRefsAnswersAsRef checks the snapshot against Ref, name by name, in a clone with
// loose and packed refs, a packed ref overridden by a newer loose one, symbolic refs
// (HEAD, origin/HEAD) and names that do not exist.
func TestReadRefsAnswersAsRef(t *testing.T) {
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		out, err := Command(t.Context(), dir, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q", "-b", "main")
	git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "one")
	git("branch", "kickoff-241101-packed")
	git("tag", "-a", "-m", "v1", "platform/v1.0.0")
	git("update-ref", "refs/remotes/origin/main", "HEAD")
	git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
	git("pack-refs", "--all")
	git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "two")
	git("branch", "-f", "kickoff-241101-packed", "HEAD") // loose now, stale copy still packed
	git("branch", "kickoff-241102-loose")

	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.ReadRefs()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"HEAD", "refs/heads/main", "refs/heads/kickoff-241101-packed",
		"refs/heads/kickoff-241102-loose", "refs/tags/platform/v1.0.0", "refs/remotes/origin/main",
		"refs/remotes/origin/HEAD", "refs/heads/nothing", "refs/tags/nothing", "main"} {
		name := plumbing.ReferenceName(n)
		if got, want := s.Get(name), r.Ref(name); got != want {
			t.Errorf("%s: snapshot says %s, Ref says %s", n, got, want)
		}
	}
	if got := s.Get("refs/heads/kickoff-241101-packed").String(); got != git("rev-parse", "HEAD") {
		t.Errorf("a loose ref must win over its packed copy: got %s", got)
	}
}
