package gitrepo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ErrNotRepo is returned by Open outside a git repository.
var ErrNotRepo = errors.New("not a git repository (or any parent folder): run kickoff inside a repository, or create one with `git init`")

// Repo is an opened repository with a work tree (or a bare one, Root then being the git dir).
type Repo struct {
	Root      string // the work tree's top folder
	GitDir    string
	CommonDir string          // shared by every work tree of the repository
	repo      *git.Repository // go-git's handle: only gitrepo reads and writes through it

	mu      sync.Mutex
	commits map[plumbing.Hash]*object.Commit // see commit()
	ident   *Ident                           // see Identity

	githubHosts []string // see SetGitHubHosts

	// Progress, when set, is told when a conversation with a remote starts (what is
	// under way: "fetching from origin") and returns the function to call when it ends:
	// the CLI shows a spinner meanwhile.
	Progress func(what string) (done func())
}

// Open finds the repository containing dir.
func Open(dir string) (*Repo, error) {
	r, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) && isBare(dir) {
		// go-git's search upwards looks for a .git folder only: a bare repository (or a
		// --mirror clone, as CI servers and webhook services keep) is opened where it is.
		r, err = git.PlainOpen(dir)
	}
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, ErrNotRepo
	}
	if err != nil {
		return nil, fmt.Errorf("open repository at %s: %w", dir, err)
	}
	repo := &Repo{repo: r}
	if wt, err := r.Worktree(); err == nil {
		repo.Root = wt.Filesystem.Root()
		repo.GitDir = filepath.Join(repo.Root, ".git")
	} else {
		// Bare repository: the git dir is the root.
		abs, _ := filepath.Abs(dir)
		repo.Root, repo.GitDir = abs, abs
	}
	// The usual layouts (a plain clone, a linked work tree) need no git process.
	if gitDir, commonDir, ok := readGitDirs(repo.Root, repo.GitDir); ok {
		repo.GitDir, repo.CommonDir = gitDir, commonDir
		return repo, nil
	}
	// Others (submodules with odd layouts, bare repositories) ask git, once.
	if out, err := repo.run(context.Background(), "rev-parse", "--absolute-git-dir", "--git-common-dir"); err == nil {
		lines := strings.Split(strings.TrimSpace(out), "\n")
		repo.GitDir = strings.TrimSpace(lines[0])
		repo.CommonDir = repo.GitDir
		if len(lines) > 1 {
			d := strings.TrimSpace(lines[1])
			if !filepath.IsAbs(d) {
				d = filepath.Join(repo.Root, d)
			}
			repo.CommonDir = filepath.Clean(d)
		}
	} else {
		repo.CommonDir = repo.GitDir
	}
	return repo, nil
}

// isBare reports whether dir is a bare repository's folder: HEAD, objects and refs in it.
func isBare(dir string) bool {
	for _, f := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return false
		}
	}
	return true
}

// Bare reports whether the repository has no work tree (git clone --bare or --mirror).
func (r *Repo) Bare() bool { return r.Root == r.GitDir }

// readGitDirs finds the git dir and the common dir the way git does for the usual layouts:
// <root>/.git as a folder, or as a file "gitdir: PATH" (linked work trees, submodules) whose
// folder may hold a "commondir" file pointing at the shared repository.
func readGitDirs(root, guess string) (gitDir, commonDir string, ok bool) {
	dotGit := filepath.Join(root, ".git")
	fi, err := os.Stat(dotGit)
	switch {
	case err != nil:
		if guess != dotGit { // bare: the root is the git dir
			if _, err := os.Stat(filepath.Join(root, "HEAD")); err == nil {
				return root, root, true
			}
		}
		return "", "", false
	case fi.IsDir():
		gitDir = dotGit
	default:
		data, err := os.ReadFile(dotGit)
		if err != nil {
			return "", "", false
		}
		p, found := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir: ")
		if !found {
			return "", "", false
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		gitDir = filepath.Clean(p)
	}
	commonDir = gitDir
	if data, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		p := strings.TrimSpace(string(data))
		if !filepath.IsAbs(p) {
			p = filepath.Join(gitDir, p)
		}
		commonDir = filepath.Clean(p)
	}
	return gitDir, commonDir, true
}

// StateDir is where kickoff keeps its local state (ledger file, slot locks, caches):
// override when set (config state_dir), else <git common dir>/kickoff, which every work
// tree of the repository shares.
func (r *Repo) StateDir(override string) string {
	if override != "" {
		if !filepath.IsAbs(override) {
			override = filepath.Join(r.Root, override)
		}
		return override
	}
	return filepath.Join(r.CommonDir, "kickoff")
}

// Command returns a git binary command to run in dir (a work tree's top folder, or a
// bare repository's folder). It is the one place kickoff starts git: every other package
// asks gitrepo. The radar uses it directly for git merge-tree, whose output it streams.
func Command(ctx context.Context, dir string, args ...string) *Cmd {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	return &Cmd{Cmd: cmd}
}

// Cmd is a git process (an exec.Cmd) that logs itself at debug level when it ends: its
// arguments with credentials redacted, how long it took and how it ended. Only the
// arguments: its environment carries the credentials (see authEnv) and is never logged.
type Cmd struct {
	*exec.Cmd
	started time.Time
}

// Start starts the process (see exec.Cmd.Start).
func (c *Cmd) Start() error {
	c.started = time.Now()
	err := c.Cmd.Start()
	if err != nil {
		c.log(err)
	}
	return err
}

// Wait waits for the process started by Start and logs it.
func (c *Cmd) Wait() error {
	err := c.Cmd.Wait()
	c.log(err)
	return err
}

// Run starts the process and waits for it.
func (c *Cmd) Run() error {
	if err := c.Start(); err != nil {
		return err
	}
	return c.Wait()
}

// Output runs the process and returns its standard output.
func (c *Cmd) Output() ([]byte, error) {
	c.started = time.Now()
	out, err := c.Cmd.Output()
	c.log(err)
	return out, err
}

// CombinedOutput runs the process and returns its standard output and error together.
func (c *Cmd) CombinedOutput() ([]byte, error) {
	c.started = time.Now()
	out, err := c.Cmd.CombinedOutput()
	c.log(err)
	return out, err
}

func (c *Cmd) log(err error) {
	if !slog.Default().Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	attrs := []any{"args", redactArgs(c.Args[1:]), "took", time.Since(c.started).Round(time.Millisecond)}
	if err != nil {
		attrs = append(attrs, "err", err)
	}
	slog.Debug("git", attrs...)
}

// redactArgs hides credentials in git arguments: passwords in URLs, and the values of
// settings that carry them (-c http.extraHeader=Authorization: ...).
func redactArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if k, _, ok := strings.Cut(a, "="); ok && strings.Contains(strings.ToLower(a), "authorization") {
			a = k + "=***"
		}
		out[i] = RedactURL(a)
	}
	return strings.Join(out, " ")
}

// run runs the git binary in the repository and returns its stdout, for what go-git
// cannot do; gitrepo's methods say why they use it. Other packages call those named
// methods instead (the last two callers outside, in the CLI, are being moved to them).
func (r *Repo) run(ctx context.Context, args ...string) (string, error) {
	return r.runInput(ctx, "", args...)
}

// runInput is run with stdin (mktag, update-ref --stdin).
func (r *Repo) runInput(ctx context.Context, stdin string, args ...string) (string, error) {
	out, stderr, err := run(Command(ctx, r.Root, args...), stdin)
	if err != nil {
		return out, &GitError{Args: args, Stderr: stderr, Err: err}
	}
	return out, nil
}

// run runs a git command with stdin ("" for none). stderr is trimmed, or the error's text
// when git printed nothing.
func run(cmd *Cmd, stdin string) (stdout, stderr string, err error) {
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return out.String(), msg, err
	}
	return out.String(), "", nil
}

// GitError is a failed git binary call.
type GitError struct {
	Args   []string
	Stderr string
	Err    error
}

func (e *GitError) Error() string { return fmt.Sprintf("git %s: %s", e.Args[0], e.Stderr) }
func (e *GitError) Unwrap() error { return e.Err }

// ExitCode is the git process's exit status, or -1.
func (e *GitError) ExitCode() int {
	var ee *exec.ExitError
	if errors.As(e.Err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// CurrentBranch is the checked-out branch's short name, "" when HEAD is detached.
func (r *Repo) CurrentBranch() string {
	h, err := r.repo.Head()
	if err != nil || !h.Name().IsBranch() {
		return ""
	}
	return h.Name().Short()
}

// HasRemote reports whether the named remote is configured.
func (r *Repo) HasRemote(name string) bool {
	_, err := r.repo.Remote(name)
	return err == nil
}
