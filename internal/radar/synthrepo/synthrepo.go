// Package synthrepo writes a synthetic repository as a git fast-import stream: a main
// branch of many files in nested folders and live kickoffs changing some of them, with
// overlaps and conflicts between neighbours. Benchmarks and scripts/bench-conflicts.sh
// build their repositories with it; nothing else uses it.
package synthrepo

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Options size the repository.
type Options struct {
	Services, Modules, Packages, FilesPerPackage int // Files = product of the four
	Kickoffs                                     int
	MinChanged, MaxChanged                       int // files changed per kickoff
	Lines                                        int // lines per file
	History                                      int // main commits before the kickoffs fork
	After                                        int // main commits after the first kickoff forked
}

// Default is at least 20,000 files and 20 kickoffs of 50 to 500 changed files.
var Default = Options{Services: 20, Modules: 10, Packages: 10, FilesPerPackage: 10, Kickoffs: 20, MinChanged: 50, MaxChanged: 500, Lines: 120}

// Files is how many files main has.
func (o Options) Files() int { return o.Services * o.Modules * o.Packages * o.FilesPerPackage }

// KickoffName is the branch of kickoff k.
func KickoffName(k int) string { return fmt.Sprintf("kickoff-2411%02d-area%d", 1+k%28, k) }

func (o Options) path(svc, i int) string {
	per := o.Packages * o.FilesPerPackage
	i %= o.Modules * per
	return fmt.Sprintf("svc%02d/mod%d/pkg%d/file%d.go", svc, i/per, (i%per)/o.FilesPerPackage, i%o.FilesPerPackage)
}

// own is the i-th file kickoff k owns. A kickoff cuts across the tree as features do
// (every service, in the module numbered k mod Modules), and two kickoffs never own the
// same file: kickoffs sharing a module use different halves of its files.
func (o Options) own(k, i int) string {
	per := o.Packages * o.FilesPerPackage
	half := per / 2
	idx := (k%o.Modules)*per + (k/o.Modules%2)*half + (i/o.Services)%half
	return o.path(i%o.Services, idx)
}

func content(path string, lines int, edits map[int]string) string {
	var b strings.Builder
	for l := 1; l <= lines; l++ {
		if s, ok := edits[l]; ok {
			b.WriteString(s)
			b.WriteByte('\n')
			continue
		}
		fmt.Fprintf(&b, "// %s line %d\n", path, l)
	}
	return b.String()
}

// withLine is a copy of edits with line set to text.
func withLine(edits map[int]string, line int, text string) map[int]string {
	out := make(map[int]string, len(edits)+1)
	for l, t := range edits {
		out[l] = t
	}
	out[line] = text
	return out
}

// deleted marks a file a commit removes.
const deleted = "\x00deleted"

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

type writer struct {
	w    *bufio.Writer
	mark int
	when int64
}

func (w *writer) commit(branch, from, msg string, files map[string]string) {
	w.mark++
	w.when += 60
	fmt.Fprintf(w.w, "commit refs/heads/%s\nmark :%d\n", branch, w.mark)
	fmt.Fprintf(w.w, "author Dev %d <dev%d@example.com> %d +0000\n", w.mark%7, w.mark%7, w.when)
	fmt.Fprintf(w.w, "committer Dev %d <dev%d@example.com> %d +0000\n", w.mark%7, w.mark%7, w.when)
	fmt.Fprintf(w.w, "data %d\n%s\n", len(msg), msg)
	if from != "" {
		fmt.Fprintf(w.w, "from %s\n", from)
	}
	for _, p := range sortedKeys(files) {
		if c := files[p]; c == deleted {
			fmt.Fprintf(w.w, "D %s\n", p)
		} else {
			fmt.Fprintf(w.w, "M 100644 inline %s\ndata %d\n%s\n", p, len(c), c)
		}
	}
	w.w.WriteString("\n")
}

// Write emits the stream: main (two commits: everything, then a few edits), and
// o.Kickoffs kickoffs cut from main's first commit. Kickoff k changes files across every
// service (edits, and one in twenty each new, deleted, renamed); every other kickoff also
// edits a few files of kickoff k+1, which k+1 edits too (some on the same line, a
// conflict, some two lines away, an overlap); every fourth kickoff edits shared/routes.go.
func Write(out io.Writer, o Options) error {
	w := &writer{w: bufio.NewWriterSize(out, 1<<20), when: 1_700_000_000}
	all := map[string]string{}
	for s := 0; s < o.Services; s++ {
		for i := 0; i < o.Modules*o.Packages*o.FilesPerPackage; i++ {
			p := o.path(s, i)
			all[p] = content(p, o.Lines, nil)
		}
	}
	all["shared/routes.go"] = content("shared/routes.go", 200, nil)
	w.commit("main", "", "initial import", all)
	// A kickoff forks at a main commit and sees the lines main had changed by then.
	type fork struct {
		mark  string
		state map[string]map[int]string
	}
	first := fork{mark: fmt.Sprintf(":%d", w.mark)}
	// state is every line main changed so far, per file: each edit builds on what the
	// file holds at that point, as a developer's would, instead of reverting earlier ones.
	state := map[string]map[int]string{}
	change := func(p string, line int, text string) string {
		state[p] = withLine(state[p], line, text)
		return content(p, o.Lines, state[p])
	}
	mainEdits := map[string]string{}
	for s := 0; s < o.Services; s += 5 {
		p := o.path(s, 7)
		mainEdits[p] = change(p, 20, "// main hotfix")
	}
	w.commit("main", "", "OPS-1 hotfix on main", mainEdits)
	// History: small edits on main, one file each, as a team's trunk grows; kickoffs
	// fork at different points of it and main goes on after they forked.
	snapshot := func() fork {
		st := make(map[string]map[int]string, len(state))
		for p, e := range state {
			st[p] = e // change replaces a file's edits, never writes into them
		}
		return fork{fmt.Sprintf(":%d", w.mark), st}
	}
	var forks []fork
	edit := func(i int) {
		p := o.path(i%o.Services, (i*7919)%(o.Modules*o.Packages*o.FilesPerPackage))
		w.commit("main", "", fmt.Sprintf("OPS-%d small fix", i+2), map[string]string{p: change(p, 100+i%15, fmt.Sprintf("// fix %d", i))})
	}
	for i := 0; i < o.History; i++ {
		edit(i)
	}
	for i := 0; i < o.After; i++ {
		if o.Kickoffs > 0 && i%(o.After/o.Kickoffs+1) == 0 {
			forks = append(forks, snapshot())
		}
		edit(o.History + i)
	}
	if len(forks) > 0 {
		first = forks[0]
	}

	for k := 0; k < o.Kickoffs; k++ {
		fk := first
		if k < len(forks) {
			fk = forks[k]
		}
		at := func(p string, line int, text string) string {
			return content(p, o.Lines, withLine(fk.state[p], line, text))
		}
		n := o.MinChanged
		if o.Kickoffs > 1 {
			n += k * (o.MaxChanged - o.MinChanged) / (o.Kickoffs - 1)
		}
		files := map[string]string{}
		for i := 0; i < n; i++ {
			p := o.own(k, i)
			switch {
			case i%20 == 7: // a new file
				np := strings.TrimSuffix(p, ".go") + fmt.Sprintf("_new%d.go", k)
				files[np] = content(np, o.Lines, nil)
			case i%20 == 13: // a deleted file
				files[p] = deleted
			case i%20 == 17: // a renamed file, lightly edited
				files[p] = deleted
				np := strings.TrimSuffix(p, ".go") + "_renamed.go"
				files[np] = at(p, 1, "// renamed")
			default:
				files[p] = at(p, 5+i%30, fmt.Sprintf("// kickoff %d change %d", k, i))
			}
		}
		// Every other kickoff reaches into files of the next service, which the next
		// kickoff changes too (at i*3+1).
		for i := 0; i < 4 && k%2 == 0 && k+1 < o.Kickoffs; i++ {
			j := i * o.Services // the next kickoff edits its file j at line 5 + j%30
			p := o.own(k+1, j)
			line := 5 + j%30 // the same line: a conflict
			if i%2 == 1 {
				line += 2 // two lines away: merges, but overlaps
			}
			files[p] = at(p, line, fmt.Sprintf("// kickoff %d reaches into %d", k, k+1))
		}
		if k%4 == 0 {
			files["shared/routes.go"] = content("shared/routes.go", 200, map[int]string{10 + k*2: fmt.Sprintf("route /k%d", k)})
		}
		// Three commits per kickoff, each with its own Jira key.
		parts := []map[string]string{{}, {}, {}}
		for i, p := range sortedKeys(files) {
			parts[i%3][p] = files[p]
		}
		from := fk.mark
		for c, part := range parts {
			w.commit(KickoffName(k), from, fmt.Sprintf("AREA%d-%d work on area %d", k, c+1, k), part)
			from = ""
		}
	}
	return w.w.Flush()
}
