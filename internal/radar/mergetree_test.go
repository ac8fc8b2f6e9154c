package radar

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// The output of git merge-tree --stdin (as git 2.47 writes it): a conflicted merge with
// its messages, then a clean one.
func TestParseMergeTreesStdin(t *testing.T) {
	tree1, tree2 := strings.Repeat("a", 40), strings.Repeat("b", 40)
	out := "0\x00" + tree1 + "\x00app.txt\x00\x00" +
		"1\x00app.txt\x00Auto-merging\x00Auto-merging app.txt\n\x00" +
		"1\x00app.txt\x00CONFLICT (contents)\x00CONFLICT (content): Merge conflict in app.txt\n\x00\x00" +
		"1\x00" + tree2 + "\x00\x00\x00"
	pairs := [][2]string{{"a1", "b1"}, {"a2", "b2"}}
	rs, err := parseMergeTrees(out, pairs)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Tree != tree1 || !slices.Equal(rs[0].Conflicted, []string{"app.txt"}) ||
		len(rs[0].Messages) != 2 || kindOf(rs[0].Messages[1]) != KindContent ||
		rs[1].Tree != tree2 || len(rs[1].Conflicted) != 0 || len(rs[1].Messages) != 0 {
		t.Fatalf("parsed %+v %+v", rs[0], rs[1])
	}
	if _, err := parseMergeTrees(out, append(pairs, [2]string{"a3", "b3"})); err == nil {
		t.Error("output for two merges was read as three")
	}
	if _, err := parseMergeTrees(strings.Replace(out, "0\x00", "1\x00", 1), pairs); err == nil {
		t.Error("a clean status with a conflicted file was accepted")
	}
}

// In a bare or --mirror clone (no work tree) the radar's verdicts are those of a merge in
// a checkout of ours: the attributes a tree sets (here a union merge driver, which takes
// both sides of a line both changed) are honoured, where plain git merge-tree in a bare
// repository ignores them. Without them the pair would conflict.
func TestBareRepositoryReadsAttributesFromTheTrees(t *testing.T) {
	r := gittest.NewLocal(t)
	r.Write(".gitattributes", "*.txt merge=union\n")
	r.Write("list.txt", "a\nb\nc\n")
	r.Git("add", "-A")
	r.Git("commit", "-q", "-m", "a union-merged list")
	branch(t, r, "kickoff-241101-x", "main", "x", func() { r.Write("list.txt", "a\nX\nc\n") })
	branch(t, r, "kickoff-241102-y", "main", "y", func() { r.Write("list.txt", "a\nY\nc\n") })
	branch(t, r, "kickoff-241103-plain", "main", "plain", func() {
		r.Write("list.txt", "a\nZ\nc\n")
		r.Write(".gitattributes", "# no driver\n") // ours without the driver: a conflict
	})
	// In the work tree (main checked out, with the driver) x and y merge cleanly.
	if w := compare(t, r.Dir, "", "kickoff-241101-x", "kickoff-241102-y"); !w.Pairs[0].Clean {
		t.Fatalf("in the work tree x and y conflict: the fixture does not use the union driver")
	}
	for _, kind := range []string{"--bare", "--mirror"} {
		dir := filepath.Join(t.TempDir(), "clone.git")
		r.Git("clone", "-q", kind, r.Dir, dir)
		// Pairs: plain x x, plain x y (ours is plain: no driver, a conflict as in a
		// checkout of plain), x x y (ours has the driver: clean).
		rep := compare(t, dir, "", "kickoff-241103-plain", "kickoff-241101-x", "kickoff-241102-y")
		for i, want := range []bool{false, false, true} {
			if p := rep.Pairs[i]; p.Clean != want {
				t.Errorf("%s clone: %s x %s clean=%v, want %v", kind, p.A, p.B, p.Clean, want)
			}
		}
	}
}

// kindOf reads git's stable message types (merge-ort's type_short_descriptions) (and, for contents, the text) as a kind.
func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		typ, text, want string
	}{
		{"CONFLICT (contents)", "CONFLICT (content): Merge conflict in a.txt", KindContent},
		{"CONFLICT (contents)", "CONFLICT (add/add): Merge conflict in a.txt", KindAddAdd},
		{"CONFLICT (contents)", "CONFLICT (submodule): Merge conflict in sub", KindSubmodule},
		{"CONFLICT (binary)", "", KindBinary},
		{"CONFLICT (file/directory)", "", KindFileDirectory},
		{"CONFLICT (distinct modes)", "", KindMode},
		{"CONFLICT (modify/delete)", "", KindModifyDelete},
		{"CONFLICT (rename/rename)", "", KindRenameRename},
		{"CONFLICT (rename involved in collision)", "", KindRenameAdd},
		{"CONFLICT (rename/delete)", "", KindRenameDelete},
		{"CONFLICT (submodule not initialized)", "", KindSubmodule},
		{"CONFLICT (directory rename suggested)", "", KindDirectoryRename},
		{"CONFLICT (file in way of directory rename)", "", KindDirectoryRename},
		{"CONFLICT(directory rename collision)", "", KindDirectoryRename},
		{"CONFLICT (file location)", "", KindDirectoryRename},
		{"CONFLICT (upgrade your version of git)", "", KindOther},
	} {
		if got := kindOf(mergeMessage{Type: tc.typ, Text: tc.text}); got != tc.want {
			t.Errorf("%s %q: kind %q, want %q", tc.typ, tc.text, got, tc.want)
		}
	}
}

// Each path takes the most specific CONFLICT message naming it; information messages
// (Auto-merging) name no kind.
func TestKindsByPath(t *testing.T) {
	r := &mergeTreeResult{Messages: []mergeMessage{
		{Paths: []string{"a.txt"}, Type: "Auto-merging"},
		{Paths: []string{"a.txt"}, Type: "CONFLICT (contents)", Text: "CONFLICT (content): Merge conflict in a.txt"},
		{Paths: []string{"a.txt", "b.txt"}, Type: "CONFLICT (rename/delete)"},
		{Paths: []string{"b.txt"}, Type: "CONFLICT (contents)"},
		{Paths: []string{"c.txt"}, Type: "Auto-merging"},
	}}
	got := map[string]string{}
	for p, m := range kindsByPath(r) {
		got[p] = kindOf(m)
	}
	want := map[string]string{"a.txt": KindRenameDelete, "b.txt": KindRenameDelete}
	if !maps.Equal(got, want) {
		t.Errorf("kinds = %v, want %v", got, want)
	}
}

// The -z output of one git merge-tree: conflicted paths once each, messages with their
// paths, free text after a message folded into it, and output that is not a merge refused.
func TestParseMergeTree(t *testing.T) {
	tree := strings.Repeat("c", 40)
	out := tree + "\x00sub\x00sub\x00a.txt\x00\x00" +
		"1\x00sub\x00CONFLICT (submodule not initialized)\x00Failed to merge submodule sub\n\x00" +
		"advice: run git submodule update\x00" +
		"2\x00a.txt\x00b.txt\x00CONFLICT (rename/delete)\x00CONFLICT (rename/delete): a.txt renamed to b.txt\nmore\x00"
	r, err := parseMergeTree([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if r.Tree != tree || !slices.Equal(r.Conflicted, []string{"sub", "a.txt"}) {
		t.Errorf("tree %s conflicted %q", r.Tree, r.Conflicted)
	}
	if len(r.Messages) != 2 || kindOf(r.Messages[0]) != KindSubmodule ||
		!slices.Equal(r.Messages[1].Paths, []string{"a.txt", "b.txt"}) || r.Messages[1].Text != "CONFLICT (rename/delete): a.txt renamed to b.txt" {
		t.Errorf("messages %+v", r.Messages)
	}
	for _, bad := range []string{"", "fatal: not a tree\n", tree + "\x00\x00x\x00"} {
		if _, err := parseMergeTree([]byte(bad)); err == nil {
			t.Errorf("%q was read as a merge", bad)
		}
	}
}
