package radar

import (
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

// TestApartAgreesWithGit is the proof's check against git itself: hundreds of random
// three-way file merges, every one also merged by git merge-tree (merge-ort). Whenever
// apart says a file merges cleanly, git must agree. The files are full of repeated lines,
// where git's diff slides changes around, and of changes next to each other.
func TestApartAgreesWithGit(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 3000
	type merge struct{ base, a, b string }
	cases := make([]merge, n)
	for i := range cases {
		base := randomText(rng, 4+rng.IntN(20))
		a, b := randomEdit(rng, base, "ours"), randomEdit(rng, base, "theirs")
		c := merge{strings.Join(base, ""), strings.Join(a, ""), strings.Join(b, "")}
		if rng.IntN(8) == 0 { // a last line without its newline
			c.base, c.a, c.b = strings.TrimSuffix(c.base, "\n"), strings.TrimSuffix(c.a, "\n"), strings.TrimSuffix(c.b, "\n")
		}
		cases[i] = c
	}
	r := gittest.NewLocal(t)
	file := func(i int) string { return fmt.Sprintf("f/%03d.txt", i) }
	// One fast-import stream writes the three commits: a base, and a and b on top of it.
	var stream strings.Builder
	commit := func(branch, from string, text func(merge) string) {
		fmt.Fprintf(&stream, "commit refs/heads/%s\ncommitter T <t@example.com> 1700000000 +0000\ndata 1\nx\n", branch)
		if from != "" {
			fmt.Fprintf(&stream, "from %s\n", from)
		}
		for i, c := range cases {
			fmt.Fprintf(&stream, "M 100644 inline %s\ndata %d\n%s\n", file(i), len(text(c)), text(c))
		}
	}
	commit("base", "main", func(c merge) string { return c.base })
	commit("a", "refs/heads/base", func(c merge) string { return c.a })
	commit("b", "refs/heads/base", func(c merge) string { return c.b })
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir, cmd.Env, cmd.Stdin = r.Dir, gittest.Env(), strings.NewReader(stream.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fast-import: %v\n%s", err, out)
	}
	conflicted := map[string]bool{}
	for _, p := range gitConflicts(t, r.Dir, "a", "b") {
		conflicted[p] = true
	}
	proven, clean := 0, 0
	for i, c := range cases {
		if c.a == c.base || c.b == c.base || c.a == c.b {
			continue
		}
		if !conflicted[file(i)] {
			clean++
		}
		if apart(splitLines(c.base), splitLines(c.a), splitLines(c.b)) {
			proven++
			if conflicted[file(i)] {
				t.Errorf("%s: apart says clean, git conflicts\nbase:\n%s\nours:\n%s\ntheirs:\n%s", file(i), c.base, c.a, c.b)
			}
		}
	}
	t.Logf("%d of %d files git merges cleanly were proven clean in process", proven, clean)
	if proven < clean/4 {
		t.Errorf("only %d of %d clean merges proven: the proof has stopped working", proven, clean)
	}
}
