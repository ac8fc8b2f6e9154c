package kickoff

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// Errors users see; match them with errors.Is.
var (
	ErrNoMain    = errors.New("no main branch")
	ErrExists    = errors.New("branch already exists")
	ErrNoKickoff = errors.New("no kickoff given")
	ErrUnknown   = errors.New("no such kickoff")
	ErrUnmerged  = errors.New("commits not in main")
	ErrDirty     = errors.New("the work tree has uncommitted changes")
	ErrConflicts = errors.New("merge conflicts")
	ErrDiverged  = errors.New("local and remote branches have diverged")
)

// Env is the repository and settings every lifecycle operation works with.
type Env struct {
	Repo   *gitrepo.Repo
	Main   string              // trunk branch, "main"
	Remote string              // "origin"
	Getenv func(string) string // for credentials and timeouts
	// Notef receives messages for the user (stderr), e.g. "working locally". May be nil.
	Notef func(format string, a ...any)
	// StateDir is the state folder, where the journal is kept ("": the repository's).
	StateDir string
	// Observe runs one step of a journaled plan (a spinner, a log line); nil: do runs as is.
	Observe func(ctx context.Context, desc string, do func(context.Context) error) error
	// Strict makes an unreachable remote an error instead of working locally: one of a
	// platform's repositories, which must all move together.
	Strict bool
	// NoSwitch leaves the work tree where it is: new and feature make and push branches
	// without switching to them (another repository of the platform than the user's).
	NoSwitch bool

	connected  bool
	online     bool
	offline    string // why we work locally
	connectErr error  // why Connect failed
}

func (e *Env) note(format string, a ...any) {
	if e.Notef != nil {
		e.Notef(format, a...)
	}
}

func (e *Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// ErrUnknownRemote is a remote name that is not configured in a repository that has remotes
// (a mistyped --remote): an error, not "working locally".
var ErrUnknownRemote = errors.New("no such remote")

// Connect fetches from the remote once. With no remote at all, or one that cannot be
// reached, kickoff works with the local refs and says so (Offline). A remote that answers
// but refuses the credentials (gitrepo.ErrRefused), or a remote name that is not one of the
// repository's remotes (ErrUnknownRemote), is an error saying what to fix: working locally
// would hide it.
func (e *Env) Connect(ctx context.Context) error {
	if e.connected {
		return e.connectErr
	}
	e.connected = true
	if !e.Repo.HasRemote(e.Remote) {
		if e.Strict {
			e.connectErr = fmt.Errorf("%w %q", ErrUnknownRemote, e.Remote)
			return e.connectErr
		}
		if names := e.Repo.RemoteNames(); len(names) > 0 {
			e.connectErr = fmt.Errorf("%w %q: this repository's remotes are %s; fix --remote, `remote:` in .kickoff.yaml or KICKOFF_REMOTE",
				ErrUnknownRemote, e.Remote, strings.Join(names, ", "))
			return e.connectErr
		}
		e.offline = fmt.Sprintf("no remote %q: working locally (add one with `git remote add %s URL`)", e.Remote, e.Remote)
		e.note("%s\n", e.offline)
		return nil
	}
	if err := e.Repo.Fetch(ctx, e.Remote, e.getenv); err != nil {
		if ctx.Err() != nil {
			e.connectErr = ctx.Err()
			return e.connectErr
		}
		if errors.Is(err, gitrepo.ErrRefused) {
			e.connectErr = err
			return err
		}
		if e.Strict {
			e.connectErr = err
			return err
		}
		e.offline = fmt.Sprintf("remote %q is unreachable, working locally: %v", e.Remote, err)
		e.note("%s\n", e.offline)
		return nil
	}
	e.online = true
	return nil
}

// Offline says why kickoff works locally; "" when the remote answered (or Connect was not called).
func (e *Env) Offline() string { return e.offline }

// Online reports whether the remote answered Connect.
func (e *Env) Online() bool { return e.online }

func (e *Env) remoteRef(branch string) plumbing.ReferenceName {
	return plumbing.NewRemoteReferenceName(e.Remote, branch)
}

// refHash returns a ref's hash, or zero when it does not exist.
func (e *Env) refHash(name plumbing.ReferenceName) plumbing.Hash {
	return e.Repo.Ref(name)
}

// MainHead is the trunk to build on: the remote's main when known (fetched by Connect),
// else the local main.
func (e *Env) MainHead() (ref string, h plumbing.Hash, err error) {
	if h := e.refHash(e.remoteRef(e.Main)); !h.IsZero() {
		return e.Remote + "/" + e.Main, h, nil
	}
	if h := e.refHash(plumbing.NewBranchReferenceName(e.Main)); !h.IsZero() {
		return e.Main, h, nil
	}
	return "", plumbing.ZeroHash, fmt.Errorf("%w: neither %q nor %q exists here; create it, or set `main:` in .kickoff.yaml (KICKOFF_MAIN) to your trunk's name",
		ErrNoMain, e.Main, e.Remote+"/"+e.Main)
}

// BranchHeads returns the local and remote-tracking heads of a branch (zero when absent).
func (e *Env) BranchHeads(branch string) (local, remote plumbing.Hash) {
	return e.refHash(plumbing.NewBranchReferenceName(branch)), e.refHash(e.remoteRef(branch))
}

// newest picks the head to build on: the local one unless it is strictly behind the remote's.
func (e *Env) newest(local, remote plumbing.Hash) (plumbing.Hash, error) {
	switch {
	case local.IsZero():
		return remote, nil
	case remote.IsZero() || local == remote:
		return local, nil
	}
	behind, err := e.Repo.IsAncestor(local, remote)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if behind {
		return remote, nil
	}
	return local, nil
}

// exists reports whether a branch exists locally or on the remote (as last fetched).
func (e *Env) exists(branch string) (where string, ok bool) {
	l, r := e.BranchHeads(branch)
	switch {
	case !l.IsZero() && !r.IsZero():
		return "locally and on " + e.Remote, true
	case !l.IsZero():
		return "locally", true
	case !r.IsZero():
		return "on " + e.Remote, true
	}
	return "", false
}

// Short is the abbreviated commit id.
func Short(h plumbing.Hash) string { return gitrepo.ShortID(h.String()) }
