package radar

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// ByDisjoint marks a pair both sides of which changed some of the same files, but each
// at lines so far from the other's that git's merge provably takes both changes.
const ByDisjoint = "disjoint-lines"

// disjoint reports whether the pair is clean without running git although the prefilter
// could not clear it: one merge base, no interaction but files changed on both sides,
// and in each such file the two sides' changes provably apart (see apart). Anything it
// cannot prove (several merge bases, a folder clash, attributes or config that change
// how files merge, binary, huge, non-regular or mode-changed files) goes to git.
func (e *Engine) disjoint(ctx context.Context, j *job) (bool, error) {
	if len(j.bases) != 1 || folderClash(j.sideA, j.sideB) != "" || !e.plainMerges(ctx) {
		return false, nil
	}
	base := j.bases[0]
	for _, p := range j.sharedPaths() {
		if attributed, err := e.mergeAttributes(p, base, j.a, j.b); err != nil || attributed {
			return false, err
		}
		vs, err := e.filesAt(p, base, j.a, j.b)
		if err != nil {
			return false, err
		}
		fm, fa, fb := vs[0], vs[1], vs[2]
		if same(fm, fa) || same(fm, fb) {
			continue // one side never changed it (change sets may hold more paths than changed)
		}
		if !fm.Exists || !fa.Exists || !fb.Exists || fm.Skip || fa.Skip || fb.Skip ||
			fm.Mode != fa.Mode || fm.Mode != fb.Mode || !isRegular(fm.Mode) {
			return false, nil
		}
		if fa.Hash == fb.Hash {
			continue // the same change on both sides: git takes it
		}
		if !apart(e.linesOf(fm), e.linesOf(fa), e.linesOf(fb)) {
			return false, nil
		}
	}
	return true, nil
}

// same reports whether two versions of a path are the same entry (or both absent).
func same(x, y *fileVersion) bool {
	return x.Exists == y.Exists && (!x.Exists || x.Hash == y.Hash && x.Mode == y.Mode)
}

func isRegular(m filemode.FileMode) bool {
	return m == filemode.Regular || m == filemode.Executable
}

// mergeAttributes reports whether a .gitattributes file in any folder above p could
// change how git merges p (see affectsMerge): in any of the commits, or where git reads
// them when it merges (the work tree; in a bare repository, ours' tree). Files without such lines (text, eol, diff or
// linguist settings, as most repositories have) do not stop the proof.
func (e *Engine) mergeAttributes(p string, commits ...plumbing.Hash) (bool, error) {
	for d := path.Dir(p); ; d = path.Dir(d) {
		f := path.Join(d, ".gitattributes")
		if e.workTreeAttributes(f) {
			return true, nil
		}
		for _, c := range commits {
			ent, found, err := e.lookup(c, f)
			if err != nil {
				return false, err
			}
			if found {
				if affects, err := e.blobAffectsMerge(ent.Hash); err != nil || affects {
					return true, err
				}
			}
		}
		if d == "." {
			return false, nil
		}
	}
}

// workTreeAttributes reports whether the work tree's attributes file f affects merges
// (an unreadable one counts), reading each file once per run. A bare repository has no
// work tree: its merges read the attributes of ours' tree (see mergeDir), which
// mergeAttributes checks.
func (e *Engine) workTreeAttributes(f string) bool {
	if e.repo.Bare() {
		return false
	}
	if affects, ok := e.attrs[f]; ok {
		return affects
	}
	data, err := os.ReadFile(filepath.Join(e.repo.Root, filepath.FromSlash(f)))
	affects := err == nil && affectsMerge(string(data)) ||
		err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR)
	e.attrs[f] = affects
	return affects
}

// blobAffectsMerge is affectsMerge on an attributes file in the object database.
func (e *Engine) blobAffectsMerge(h plumbing.Hash) (bool, error) {
	f, err := e.blob(h)
	if err != nil {
		return false, err
	}
	return f.Skip || affectsMerge(f.Text), nil
}

// affectsMerge reports whether attributes text could change how git merges a file: a
// merge driver (merge, -merge, !merge, merge=NAME), the binary macro (which unsets
// merge), or a macro definition, which could expand to either. The others (text, eol,
// diff, filter, ...) convert contents on checkout and check-in, never in a merge
// without merge.renormalize, which plainMerges rules out. A word in a comment counts
// too: wrong only towards asking git.
func affectsMerge(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "[attr]") {
			return true
		}
		for _, f := range strings.Fields(line) {
			f = strings.TrimLeft(f, "-!")
			if f == "binary" || f == "merge" || strings.HasPrefix(f, "merge=") {
				return true
			}
		}
	}
	return false
}

// plainMerges reports, once per engine, that nothing outside the trees changes how git
// merges a text file: no attributes that affect merging in the repository's info
// folder, its index, the user's or the system's attributes file, and no
// merge.renormalize, merge.default or core.attributesFile setting.
func (e *Engine) plainMerges(ctx context.Context) bool {
	e.plainOnce.Do(func() {
		files := []string{filepath.Join(e.repo.CommonDir, "info", "attributes"), "/etc/gitattributes"}
		if x := os.Getenv("XDG_CONFIG_HOME"); x != "" {
			files = append(files, filepath.Join(x, "git", "attributes"))
		}
		if h, err := os.UserHomeDir(); err == nil {
			files = append(files, filepath.Join(h, ".config", "git", "attributes"))
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err == nil && affectsMerge(string(data)) || err != nil && !errors.Is(err, fs.ErrNotExist) {
				return
			}
		}
		// git also reads attributes files from the index (where the work tree lacks
		// them): check those the index holds, if any (a cheap look for the name first).
		if idx, err := os.ReadFile(filepath.Join(e.repo.GitDir, "index")); err == nil && bytes.Contains(idx, []byte("attributes")) {
			index, err := e.repo.Index()
			if err != nil {
				return
			}
			for _, ent := range index.Entries {
				if path.Base(ent.Name) == ".gitattributes" {
					if affects, err := e.blobAffectsMerge(ent.Hash); err != nil || affects {
						return
					}
				}
			}
		}
		select {
		case e.plain = <-e.mergeSettings(ctx):
		case <-ctx.Done():
		}
	})
	return e.plain
}

// mergeSettings is the answer of askMergeConfig, asked once per engine.
func (e *Engine) mergeSettings(ctx context.Context) <-chan bool {
	if e.mergeConfig == nil {
		e.mergeConfig = askMergeConfig(ctx, e.repo.Root)
	}
	return e.mergeConfig
}

// askMergeConfig asks git, in the background, whether merge.renormalize, merge.default
// or core.attributesFile is set in dir (see plainMerges): the prefilter starts it at the
// first pair in contact, so that the line proof finds the answer ready.
func askMergeConfig(ctx context.Context, dir string) <-chan bool {
	ch := make(chan bool, 1)
	go func() {
		out, err := gitrepo.Command(ctx, dir, "config", "--get-regexp", `^(merge\.(renormalize|default)|core\.attributesfile)$`).Output()
		// Exit status 1 with no output: none of them is set.
		ee, ok := err.(*exec.ExitError)
		ch <- ok && ee.ExitCode() == 1 && len(out) == 0
	}()
	return ch
}

// apart reports whether git's three-way merge of a text file provably takes both sides'
// changes, because some line of the base lies between them that neither side's diff can
// ever mark as changed. The argument follows xdiff, git's diff and merge engine:
//
//  1. xdiff first trims the lines a side shares with the base at the start and the end
//     (exact line equality, newline included); only the middle is diffed, so every line
//     it marks as changed lies in the middle of the base or the side.
//  2. It then slides groups of changed lines up or down over neighbouring lines, but only
//     over a line equal to one of the group's own: a line whose content is in neither
//     middle is never crossed, so it stays unchanged and matched to its copy on the side.
//  3. Its merge takes both sides' changes whenever every change of one side ends before
//     the other's starts with at least one unchanged base line between (a change ending
//     at base line g and one starting at g+1 merge cleanly; touching changes conflict).
//
// So if base line g lies in one side's trimmed end and in the other's trimmed start,
// and its content is in neither side's middle (base or side lines), every change of the
// first side ends at or before g and every change of the second starts after it: clean.
// Files where no such line exists are left to git.
func apart(bl, al, cl []string) bool {
	pa, ea, ma := middle(bl, al)
	pb, eb, mb := middle(bl, cl)
	between := func(lo, hi int) bool { // is some base line in [lo, hi) in neither middle?
		for g := lo; g < hi; g++ {
			if _, in := ma[bl[g]]; in {
				continue
			}
			if _, in := mb[bl[g]]; in {
				continue
			}
			return true
		}
		return false
	}
	return between(ea, pb) || between(eb, pa)
}

// middle trims the lines side shares with base at the start, then at the end, as
// xdiff does, and returns the base's middle [start, end) and the set of every line in
// either middle.
func middle(base, side []string) (start, end int, lines map[string]struct{}) {
	n := min(len(base), len(side))
	for start < n && base[start] == side[start] {
		start++
	}
	suffix := 0
	for suffix < n-start && base[len(base)-1-suffix] == side[len(side)-1-suffix] {
		suffix++
	}
	end = len(base) - suffix
	lines = map[string]struct{}{}
	for _, l := range base[start:end] {
		lines[l] = struct{}{}
	}
	for _, l := range side[start : len(side)-suffix] {
		lines[l] = struct{}{}
	}
	return start, end, lines
}
