package radar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// mergeTreeResult is what one `git merge-tree --write-tree -z --name-only` says.
type mergeTreeResult struct {
	Tree       string
	Conflicted []string // paths, as git lists them
	Messages   []mergeMessage
}

type mergeMessage struct {
	Paths []string
	Type  string // stable short type, e.g. "CONFLICT (contents)"
	Text  string
}

// mergeDir is where git merge-tree runs: the work tree, where git reads the attributes
// a user's merge would, or a folder standing in for one (see Engine.mergeDir).
type mergeDir struct {
	Dir string
	Env []string // GIT_DIR and GIT_WORK_TREE when Dir is not the repository's
	tmp bool     // Dir is ours to remove
}

// command is git run there.
func (d mergeDir) command(ctx context.Context, args ...string) *gitrepo.Cmd {
	cmd := gitrepo.Command(ctx, d.Dir, args...)
	withEnv(cmd.Cmd, d.Env)
	return cmd
}

func (d mergeDir) remove() {
	if d.tmp {
		os.RemoveAll(d.Dir)
	}
}

// mergeDir decides where j's merge runs. A bare or --mirror repository has no work tree,
// and git (2.39, as here and in CI) then reads no .gitattributes from the trees: a merge driver a tree sets
// (merge=union, binary, -merge) would be ignored, and the verdict differ from the merge
// a developer makes in a checkout of ours. So when ours' tree has attributes files above
// the paths both sides changed, they are written to a temporary folder that git uses as
// the work tree: the attributes come from the tree, as in a checkout. Called under e.mu.
func (e *Engine) mergeDir(j *job) (mergeDir, error) {
	plain := mergeDir{Dir: e.repo.Root}
	if !e.repo.Bare() {
		return plain, nil
	}
	files := map[string]plumbing.Hash{}
	for _, p := range j.sharedPaths() {
		for d := path.Dir(p); ; d = path.Dir(d) {
			f := path.Join(d, ".gitattributes")
			if _, done := files[f]; !done {
				ent, found, err := e.lookup(j.a, f)
				if err != nil {
					return plain, err
				}
				if found && ent.Mode.IsFile() {
					files[f] = ent.Hash
				} else {
					files[f] = plumbing.ZeroHash
				}
			}
			if d == "." {
				break
			}
		}
	}
	var dir string
	for f, h := range files {
		if h.IsZero() {
			continue
		}
		if dir == "" {
			var err error
			if dir, err = os.MkdirTemp("", "kickoff-attributes-"); err != nil {
				return plain, err
			}
		}
		b, err := e.blob(h)
		if err != nil {
			os.RemoveAll(dir)
			return plain, err
		}
		full := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			os.RemoveAll(dir)
			return plain, err
		}
		if err := os.WriteFile(full, []byte(b.Text), 0o644); err != nil {
			os.RemoveAll(dir)
			return plain, err
		}
	}
	if dir == "" {
		return plain, nil
	}
	// git reads attributes relative to where it runs: the stand-in work tree's top.
	return mergeDir{Dir: dir, Env: []string{"GIT_DIR=" + e.repo.GitDir, "GIT_WORK_TREE=" + dir}, tmp: true}, nil
}

// runMergeTree merges a and b in memory with git's merge-ort. It writes objects to the
// object database only: no work tree, index or ref is touched. It runs in the work tree
// (see mergeDir) as a user's git would, so it reads the same attributes.
func runMergeTree(ctx context.Context, dir mergeDir, env []string, a, b string) (*mergeTreeResult, error) {
	cmd := dir.command(ctx, "merge-tree", "--write-tree", "-z", "--name-only", "--messages", a, b)
	withEnv(cmd.Cmd, env)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil, errors.As(err, &ee) && ee.ExitCode() == 1:
	case errors.As(err, &ee):
		msg := strings.TrimSpace(errb.String())
		if strings.Contains(msg, "unrelated histories") {
			return nil, ErrUnrelated
		}
		return nil, fmt.Errorf("git merge-tree %s %s: %s", gitrepo.ShortID(a), gitrepo.ShortID(b), msg)
	default:
		return nil, fmt.Errorf("git merge-tree: %w", err)
	}
	r, perr := parseMergeTree(out.Bytes())
	if perr != nil {
		return nil, perr
	}
	if err == nil && len(r.Conflicted) > 0 || err != nil && len(r.Conflicted) == 0 {
		return nil, fmt.Errorf("git merge-tree %s %s: exit status and listed conflicts disagree", gitrepo.ShortID(a), gitrepo.ShortID(b))
	}
	return r, nil
}

// parseMergeTree reads the -z output of one merge (see parseMerge).
func parseMergeTree(out []byte) (*mergeTreeResult, error) {
	r, _, err := parseMerge(strings.Split(string(out), "\x00"), 0)
	return r, err
}

// parseMerge reads one merge's -z output from fields[i:]: tree id, conflicted paths each
// NUL-terminated, an empty field, then messages as <n> NUL <path>... NUL <type> NUL
// <text> NUL, up to an empty field (the end of a merge in --stdin output) or the end. It
// returns the index after that empty field.
func parseMerge(fields []string, i int) (*mergeTreeResult, int, error) {
	if i >= len(fields) || len(fields[i]) < 40 {
		rest := ""
		if i < len(fields) {
			rest = strings.Join(fields[i:], "\x00")
		}
		return nil, 0, fmt.Errorf("git merge-tree: unexpected output %q", truncate(rest, 80))
	}
	r := &mergeTreeResult{Tree: strings.TrimSpace(fields[i])}
	i++
	for ; i < len(fields) && fields[i] != ""; i++ {
		r.Conflicted = append(r.Conflicted, fields[i])
	}
	i++ // the empty field between sections
	for i < len(fields) && fields[i] != "" {
		n, err := strconv.Atoi(fields[i])
		if err != nil && len(r.Messages) > 0 {
			// Free text git appends after a message (e.g. the submodule advice):
			// part of the previous message, not a new one.
			i++
			continue
		}
		if err != nil || i+n+2 >= len(fields) {
			return nil, 0, fmt.Errorf("git merge-tree: cannot read messages near %q", truncate(fields[i], 80))
		}
		text, _, _ := strings.Cut(strings.TrimSpace(fields[i+2+n]), "\n")
		m := mergeMessage{Paths: fields[i+1 : i+1+n], Type: fields[i+1+n], Text: text}
		r.Messages = append(r.Messages, m)
		i += n + 3
	}
	r.Conflicted = dedupe(r.Conflicted)
	return r, i + 1, nil
}

// runMergeTrees merges many pairs with one `git merge-tree --stdin` (git 2.40 and later).
// Its output per merge is a status first (1 clean, 0 conflicted: the reverse of a single
// merge's exit status), then the sections of a single merge, then an empty field. git
// writes it all when it exits, so callers send batches rather than a stream.
func runMergeTrees(ctx context.Context, dir mergeDir, env []string, pairs [][2]string) ([]*mergeTreeResult, error) {
	var in strings.Builder
	for _, p := range pairs {
		in.WriteString(p[0] + " " + p[1] + "\n")
	}
	cmd := dir.command(ctx, "merge-tree", "--stdin", "--write-tree", "-z", "--name-only", "--messages")
	withEnv(cmd.Cmd, env)
	cmd.Stdin = strings.NewReader(in.String())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("git merge-tree --stdin: %v: %s", err, strings.TrimSpace(errb.String()))
	}
	return parseMergeTrees(out.String(), pairs)
}

// parseMergeTrees reads the output of git merge-tree --stdin for pairs.
func parseMergeTrees(out string, pairs [][2]string) ([]*mergeTreeResult, error) {
	fields := strings.Split(out, "\x00")
	results := make([]*mergeTreeResult, 0, len(pairs))
	for i := 0; len(results) < len(pairs); {
		if i+1 >= len(fields) || (fields[i] != "0" && fields[i] != "1") {
			return nil, fmt.Errorf("git merge-tree --stdin: %d of %d merges in the output", len(results), len(pairs))
		}
		clean := fields[i] == "1"
		r, next, err := parseMerge(fields, i+1)
		if err != nil {
			return nil, err
		}
		if clean != (len(r.Conflicted) == 0) {
			p := pairs[len(results)]
			return nil, fmt.Errorf("git merge-tree --stdin %s %s: status and listed conflicts disagree", gitrepo.ShortID(p[0]), gitrepo.ShortID(p[1]))
		}
		results = append(results, r)
		i = next
	}
	return results, nil
}

// Conflict kinds reported; the first nine are the ones users meet most.
const (
	KindContent         = "content"
	KindAddAdd          = "add/add"
	KindModifyDelete    = "modify/delete"
	KindRenameRename    = "rename/rename"
	KindRenameDelete    = "rename/delete"
	KindFileDirectory   = "file/directory"
	KindBinary          = "binary"
	KindMode            = "mode"
	KindSubmodule       = "submodule"
	KindRenameAdd       = "rename/add"       // a rename collides with another path
	KindDirectoryRename = "directory-rename" // a directory rename moved a path into a conflict
	KindOther           = "other"
)

// kindOf maps git's stable message type (and its text) to a conflict kind.
func kindOf(m mergeMessage) string {
	t := m.Type
	switch {
	case t == "CONFLICT (contents)":
		if strings.Contains(m.Text, "(submodule)") {
			return KindSubmodule
		}
		if strings.Contains(m.Text, "(add/add)") {
			return KindAddAdd
		}
		return KindContent
	case t == "CONFLICT (binary)":
		return KindBinary
	case t == "CONFLICT (file/directory)":
		return KindFileDirectory
	case t == "CONFLICT (distinct modes)":
		return KindMode
	case t == "CONFLICT (modify/delete)":
		return KindModifyDelete
	case t == "CONFLICT (rename/rename)":
		return KindRenameRename
	case t == "CONFLICT (rename involved in collision)":
		return KindRenameAdd
	case t == "CONFLICT (rename/delete)":
		return KindRenameDelete
	case strings.Contains(t, "submodule"):
		return KindSubmodule
	case strings.Contains(t, "directory rename") || strings.Contains(t, "file location"):
		return KindDirectoryRename
	}
	return KindOther
}

// kindsByPath gives each conflicted path the most specific kind any CONFLICT message
// names it with (a rename or delete explains more than the content conflict it causes).
func kindsByPath(r *mergeTreeResult) map[string]mergeMessage {
	out := map[string]mergeMessage{}
	for _, m := range r.Messages {
		if !strings.HasPrefix(m.Type, "CONFLICT") {
			continue
		}
		for _, p := range m.Paths {
			prev, ok := out[p]
			if !ok || (kindOf(prev) == KindContent && kindOf(m) != KindContent) {
				out[p] = m
			}
		}
	}
	return out
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// withEnv adds variables to the environment git inherits (the process's, or what an
// earlier withEnv set).
func withEnv(cmd *exec.Cmd, env []string) {
	if len(env) == 0 {
		return
	}
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Env = append(cmd.Env, env...)
}
