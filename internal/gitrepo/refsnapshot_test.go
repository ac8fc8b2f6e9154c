package gitrepo

import (
	"fmt"
	"os"
	"path/filepath"
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

	r, s := readRefs(t, dir)
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

// A snapshot answers for every ref git lists (`git for-each-ref`, and HEAD) what git
// says: hundreds of loose refs beside packed ones (the loose copy wins), nested names,
// symbolic refs, and in a linked work tree that tree's own HEAD and bisect refs; and
// nothing for what git does not list: a lock file of a ref being written, a broken loose
// file (its packed copy stays hidden), and names that would lead out of refs/.
func TestReadRefsIsGitsListing(t *testing.T) {
	dir := t.TempDir()
	git := func(dir string, args ...string) string {
		t.Helper()
		out, err := Command(t.Context(), dir, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	main := filepath.Join(dir, "main")
	git(dir, "init", "-q", "-b", "main", main)
	commit := func(msg string) string {
		git(main, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", msg)
		return git(main, "rev-parse", "HEAD")
	}
	one := commit("one")
	var in strings.Builder
	for i := range 300 {
		fmt.Fprintf(&in, "create refs/remotes/origin/pr/%d/head %s\n", i, one)
	}
	git(main, "tag", "-a", "-m", "v1", "platform/v1.0.0")
	git(main, "branch", "broken")
	git(main, "branch", "feature/PROJ-1-login")
	git(main, "pack-refs", "--all")
	two := commit("two")
	cmd := Command(t.Context(), main, "update-ref", "--stdin")
	cmd.Stdin = strings.NewReader(in.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("update-ref: %v\n%s", err, out)
	}
	git(main, "branch", "-f", "feature/PROJ-1-login", two) // loose now, stale copy packed
	git(main, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/pr/7/head")
	heads := filepath.Join(main, ".git", "refs", "heads")
	os.WriteFile(filepath.Join(heads, "main.lock"), []byte(two+"\n"), 0o644)
	os.WriteFile(filepath.Join(heads, "broken"), []byte("not an id\n"), 0o644)
	wt := filepath.Join(dir, "wt")
	git(main, "worktree", "add", "-q", "-b", "wt-branch", wt, one)
	git(wt, "update-ref", "refs/bisect/bad", one)

	for _, d := range []string{main, wt} {
		_, s := readRefs(t, d)
		want := gitRefs(t, d) // git warns of the broken ref and leaves it out
		want["HEAD"] = git(d, "rev-parse", "HEAD")
		if _, ok := want["refs/bisect/bad"]; ok != (d == wt) {
			t.Fatalf("%s: git lists refs/bisect/bad: %v", d, ok)
		}
		for n, id := range want {
			if got := s.Get(plumbing.ReferenceName(n)).String(); got != id {
				t.Errorf("%s: %s is %s, git says %s", d, n, got, id)
			}
		}
		for _, n := range []string{"refs/heads/broken", "refs/heads/main.lock", "refs/heads/nothing",
			"refs/../HEAD", "refs/heads/../../config", "refs/heads/./main", "refs//heads/main", "refs/heads/", "config", "../HEAD"} {
			if got := s.Get(plumbing.ReferenceName(n)); !got.IsZero() {
				t.Errorf("%s: %s names %s, git lists no such ref", d, n, got)
			}
		}
		if len(want) < 300 {
			t.Fatalf("%s: git lists %d refs", d, len(want))
		}
	}
}

// TestReadRefsOnRealRepository holds a snapshot of $RADAR_REPO (a public repository as
// fetched, bare or not) to `git for-each-ref` for every ref it lists. Skipped unless
// RADAR_REPO is set.
func TestReadRefsOnRealRepository(t *testing.T) {
	dir := os.Getenv("RADAR_REPO")
	if dir == "" {
		t.Skip("set RADAR_REPO to a repository to check every ref of")
	}
	_, s := readRefs(t, dir)
	want := gitRefs(t, dir)
	for name, id := range want {
		if got := s.Get(plumbing.ReferenceName(name)).String(); got != id {
			t.Errorf("%s is %s, git says %s", name, got, id)
		}
	}
	t.Logf("%d refs, each as git lists it", len(want))
}

// readRefs opens the repository at dir and takes its snapshot of refs.
func readRefs(t *testing.T, dir string) (*Repo, *Refs) {
	t.Helper()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.ReadRefs()
	if err != nil {
		t.Fatal(err)
	}
	return r, s
}

// gitRefs is every ref `git for-each-ref` lists in dir, name to id.
func gitRefs(t *testing.T, dir string) map[string]string {
	t.Helper()
	out, err := Command(t.Context(), dir, "for-each-ref", "--format=%(refname) %(objectname)").Output()
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, id, _ := strings.Cut(l, " ")
		refs[name] = id
	}
	return refs
}
