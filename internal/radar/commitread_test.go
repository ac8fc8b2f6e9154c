package radar

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// readCommit reads what go-git's full decode reads of tree, parents and committer time,
// for commits git makes (a merge among them, packed and loose) and for odd headers
// others write: a signature whose continuation lines look like parent lines, a merge
// tag, a name with '>' in it, a committer with no time (left to go-git's decode).
func TestReadCommitAgreesWithGoGit(t *testing.T) {
	r := gittest.NewLocal(t)
	base := r.Git("rev-parse", "HEAD")
	r.Git("checkout", "-q", "-b", "side")
	r.Commit("side.txt", "side\n", "side")
	r.Git("checkout", "-q", "main")
	r.Commit("main.txt", "main\n", "main")
	r.Git("merge", "-q", "--no-edit", "side")
	tree := r.Git("rev-parse", "HEAD^{tree}")
	odd := map[string]string{
		"signed": "tree " + tree + "\nparent " + base + "\nauthor A <a@x> 1700000000 +0100\ncommitter C <c@x> 1700000500 -0230\n" +
			"gpgsig -----BEGIN PGP SIGNATURE-----\n parent 0123456789012345678901234567890123456789\n committer X <x@x> 1 +0000\n -----END PGP SIGNATURE-----\n\nsigned\n",
		"mergetag": "tree " + tree + "\nparent " + base + "\nparent " + base + "\nauthor A <a@x> 1600000000 +0000\ncommitter C <c@x> 1600000001 +0000\n" +
			"mergetag object " + base + "\n type commit\n tag v1\n\nmerged\n",
		"odd name":  "tree " + tree + "\nauthor A <a@x> 1 +0000\ncommitter A>B <ab@x> 1650000000 +0000\n\nodd\n",
		"no time":   "tree " + tree + "\nauthor A <a@x> 1 +0000\ncommitter Nobody <n@x>\n\nno time\n",
		"bad time":  "tree " + tree + "\nauthor A <a@x> 1 +0000\ncommitter Nobody <n@x> soon +0000\n\nbad time\n",
		"no header": "\nonly a message\n",
		// past the first bytes readCommit inflates (commitHead): read whole
		"octopus": "tree " + tree + strings.Repeat("\nparent "+base, 12) + "\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1700000009 +0000\n\nocto\n",
	}
	var ids []string
	for name, body := range odd {
		f := filepath.Join(t.TempDir(), "commit")
		os.WriteFile(f, []byte(body), 0o644)
		id := r.Git("hash-object", "-t", "commit", "--literally", "-w", f)
		ids = append(ids, id)
		if name != "no header" { // packed too (see below): git's rev-list needs a tree
			r.Git("update-ref", "refs/odd/"+strings.ReplaceAll(name, " ", "-"), id)
		}
	}
	check := func(where string) {
		t.Helper()
		st := openStorage(filepath.Join(r.Dir, ".git"))
		defer st.(interface{ Close() error }).Close()
		all := append(slices.Clone(ids), strings.Fields(r.Git("rev-list", "--all"))...)
		if where == "packed" && len(all) == len(ids) {
			t.Fatal("nothing listed")
		}
		for _, id := range all {
			{
				h := plumbing.NewHash(id)
				got, err := readCommit(st, h)
				c, gerr := object.GetCommit(st, h)
				if (err != nil) != (gerr != nil) {
					t.Fatalf("%s %s: read: %v, go-git: %v", where, h, err, gerr)
				}
				if gerr != nil {
					continue
				}
				if got.tree != c.TreeHash || !slices.Equal(got.parents, c.ParentHashes) || got.when != c.Committer.When.Unix() {
					t.Errorf("%s %s: read %v, go-git reads tree %s, parents %v, time %d", where, h, got, c.TreeHash, c.ParentHashes, c.Committer.When.Unix())
				}
			}
		}
	}
	check("loose")
	r.Git("repack", "-adq")
	check("packed")
}

// commitStart reads a commit's start as git does (tree, parents, author, committer in
// that order; the first committer line counts), and gives up when the start has another
// shape or ends before the committer line does: then readCommit reads the whole commit.
func TestCommitStart(t *testing.T) {
	r := gittest.NewLocal(t)
	tree := r.Git("rev-parse", "HEAD^{tree}")
	parent := r.Git("rev-parse", "HEAD")
	twice := "tree " + tree + "\nparent " + parent + "\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1700000000 +0000\ncommitter D <d@x> 1800000000 +0000\n\ntwice\n"
	f := filepath.Join(t.TempDir(), "commit")
	os.WriteFile(f, []byte(twice), 0o644)
	id := r.Git("hash-object", "-t", "commit", "--literally", "-w", f)
	ci, ok := commitStart([]byte(twice))
	if !ok || ci.tree.String() != tree || len(ci.parents) != 1 || ci.parents[0].String() != parent || ci.when != 1700000000 {
		t.Errorf("a commit with two committer lines: %+v ok %v", ci, ok)
	}
	// The date git's walks order commits by (its --since filter reads the same): the first
	// committer line's, where `git show --format=%ct` prints the last one's.
	if r.Git("rev-list", "--no-walk", "--since=1750000000", id) != "" || r.Git("rev-list", "--no-walk", "--since=1650000000", id) != id {
		t.Errorf("git does not date the commit by its first committer line")
	}
	for name, data := range map[string]string{
		"ends in the committer line": twice[:strings.Index(twice, "1700000000")+4],
		"ends before it":             twice[:strings.Index(twice, "committer")],
		"author after committer":     "tree " + tree + "\ncommitter C <c@x> 1 +0000\nauthor A <a@x> 1 +0000\n\n",
		"short tree id":              "tree " + tree[:39] + "\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1 +0000\n\n",
		"a header between":           "tree " + tree + "\nencoding utf-8\nauthor A <a@x> 1 +0000\ncommitter C <c@x> 1 +0000\n\n",
		"no time":                    "tree " + tree + "\nauthor A <a@x> 1 +0000\ncommitter C <c@x>\n\n",
	} {
		if ci, ok := commitStart([]byte(data)); ok {
			t.Errorf("%s: read as %+v", name, ci)
		}
	}
}
