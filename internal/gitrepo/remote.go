package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/memory"
)

// NetworkTimeout bounds one fetch, push or ref listing, so an unreachable remote is reported instead of
// hanging. KICKOFF_NETWORK_TIMEOUT (a Go duration) overrides it.
var NetworkTimeout = 60 * time.Second

// ErrNoRemote is returned when the named remote is not configured.
var ErrNoRemote = errors.New("no such remote")

// RemoteError is a fetch or push that could not reach or convince the remote.
type RemoteError struct {
	Op     string // fetch, push
	Remote string
	URL    string
	Err    error
}

// Error names the remote and its URL, with any password in them shown as ***.
func (e *RemoteError) Error() string {
	if e.URL == e.Remote { // another repository, named by its URL
		return RedactURL(fmt.Sprintf("%s %s: %v", e.Op, e.URL, e.Err))
	}
	return RedactURL(fmt.Sprintf("%s %s (%s): %v", e.Op, e.Remote, e.URL, e.Err))
}
func (e *RemoteError) Unwrap() error { return e.Err }

// RemoteURL is the first URL of a remote.
func (r *Repo) RemoteURL(remote string) (string, error) {
	rem, err := r.repo.Remote(remote)
	if err != nil {
		return "", fmt.Errorf("%w %q", ErrNoRemote, remote)
	}
	if urls := rem.Config().URLs; len(urls) > 0 {
		return urls[0], nil
	}
	return "", fmt.Errorf("remote %q has no URL", remote)
}

// remoteAuth is the URL of a configured remote, the credentials for it (see Auth) and why
// the GitHub token was withheld from it, if it was; a failure to find credentials is a
// *RemoteError of op.
func (r *Repo) remoteAuth(ctx context.Context, op, remote string, getenv func(string) string) (string, transport.AuthMethod, string, error) {
	u, err := r.RemoteURL(remote)
	if err != nil {
		return "", nil, "", err
	}
	auth, withheld, err := r.auth(ctx, u, getenv)
	if err != nil {
		return "", nil, "", &RemoteError{Op: op, Remote: remote, URL: u, Err: err}
	}
	return u, auth, withheld, nil
}

// netCtx bounds one conversation with a remote by the network timeout.
func netCtx(ctx context.Context, getenv func(string) string) (context.Context, context.CancelFunc) {
	d := NetworkTimeout
	if v := getenv("KICKOFF_NETWORK_TIMEOUT"); v != "" {
		if pd, err := time.ParseDuration(v); err == nil && pd > 0 {
			d = pd
		}
	}
	return context.WithTimeout(ctx, d)
}

// remoteOp shows (Progress) and logs one conversation with a remote; call the returned
// function with its outcome when it ends. The URL is logged with any password hidden.
func (r *Repo) remoteOp(what, remote, url string) func(error) {
	done := func() {}
	if r.Progress != nil {
		done = r.Progress(what)
	}
	start := time.Now()
	return func(err error) {
		done()
		attrs := []any{"remote", remote, "url", RedactURL(url), "took", time.Since(start).Round(time.Millisecond)}
		if err != nil {
			attrs = append(attrs, "err", err)
		}
		slog.Debug(what, attrs...)
	}
}

// Fetch updates the remote-tracking branches of remote (pruning deleted ones; in a bare
// or --mirror clone, its branches: see TracksRemote) and the finished-kickoff records under refs/kickoff/ (never pruned: they are history).
func (r *Repo) Fetch(ctx context.Context, remote string, getenv func(string) string) error {
	if err := r.FetchRefs(ctx, remote, getenv, true, r.headsRefspec(remote)); err != nil {
		return err
	}
	return r.FetchRefs(ctx, remote, getenv, false, "+refs/kickoff/*:refs/kickoff/*")
}

// FetchRefs fetches refspecs from remote (no tags beyond those named); with prune, local
// refs the refspecs cover that the remote no longer has are deleted.
func (r *Repo) FetchRefs(ctx context.Context, remote string, getenv func(string) string, prune bool, refspecs ...string) (err error) {
	u, auth, withheld, err := r.remoteAuth(ctx, "fetch", remote, getenv)
	if err != nil {
		return err
	}
	nctx, cancel := netCtx(ctx, getenv)
	defer cancel()
	end := r.remoteOp("fetching from "+remote, remote, u)
	defer func() { end(err) }()
	err = r.repo.FetchContext(nctx, &git.FetchOptions{RemoteName: remote, RefSpecs: refSpecs(refspecs), Auth: auth, Prune: prune, Tags: git.NoTags})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) && !isNoMatch(err) {
		return &RemoteError{Op: "fetch", Remote: remote, URL: u, Err: refused(cleanErr(err), u, withheld)}
	}
	return nil
}

func refSpecs(specs []string) []gitconfig.RefSpec {
	out := make([]gitconfig.RefSpec, len(specs))
	for i, s := range specs {
		out[i] = gitconfig.RefSpec(s)
	}
	return out
}

// isNoMatch: fetching a refspec that matches nothing on the remote is not a failure.
func isNoMatch(err error) bool {
	return errors.Is(err, git.NoMatchingRefSpecError{}) || strings.Contains(err.Error(), "couldn't find remote ref")
}

// Push pushes refspecs ("refs/heads/x:refs/heads/x", ":refs/heads/x" to delete) to remote.
// It never forces: a rejected push (the remote moved) is an error.
func (r *Repo) Push(ctx context.Context, remote string, getenv func(string) string, refspecs ...string) (err error) {
	u, auth, withheld, err := r.remoteAuth(ctx, "push", remote, getenv)
	if err != nil {
		return err
	}
	nctx, cancel := netCtx(ctx, getenv)
	defer cancel()
	end := r.remoteOp("pushing to "+remote, remote, u)
	defer func() { end(err) }()
	err = r.repo.PushContext(nctx, &git.PushOptions{RemoteName: remote, RefSpecs: refSpecs(refspecs), Auth: auth})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return &RemoteError{Op: "push", Remote: remote, URL: u, Err: refused(cleanErr(err), u, withheld)}
	}
	return nil
}

// SetUpstream records remote/branch as the upstream of the local branch (git push -u).
func (r *Repo) SetUpstream(branch, remote string) error {
	cfg, err := r.repo.Config()
	if err != nil {
		return err
	}
	b := cfg.Branches[branch]
	if b == nil {
		b = &gitconfig.Branch{Name: branch}
		cfg.Branches[branch] = b
	}
	b.Remote = remote
	b.Merge = plumbing.NewBranchReferenceName(branch)
	return r.repo.SetConfig(cfg)
}

func cleanErr(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("no answer within the network timeout (KICKOFF_NETWORK_TIMEOUT): %w", err)
	}
	return err
}

// RemoteRef is a ref as a remote advertises it.
type RemoteRef struct {
	Hash   plumbing.Hash // what the ref points at: a tag object for annotated tags
	Commit plumbing.Hash // Hash peeled to its commit (Hash itself for other refs)
}

// RemoteRefs lists the refs of remote, a configured remote's name or the URL of another
// repository (git ls-remote), without changing local refs.
func (r *Repo) RemoteRefs(ctx context.Context, remote string, getenv func(string) string) (map[string]RemoteRef, error) {
	var rem *git.Remote
	u, err := r.RemoteURL(remote)
	if err == nil {
		rem, err = r.repo.Remote(remote)
	}
	if err != nil {
		if !errors.Is(err, ErrNoRemote) {
			return nil, err
		}
		u = remote
		rem = git.NewRemote(memory.NewStorage(), &gitconfig.RemoteConfig{Name: "origin", URLs: []string{u}})
	}
	auth, withheld, err := r.auth(ctx, u, getenv)
	if err != nil {
		return nil, &RemoteError{Op: "list", Remote: remote, URL: u, Err: err}
	}
	nctx, cancel := netCtx(ctx, getenv)
	defer cancel()
	end := r.remoteOp("listing the refs of "+remote, remote, u)
	refs, err := rem.ListContext(nctx, &git.ListOptions{Auth: auth, PeelingOption: git.AppendPeeled})
	end(err)
	if err != nil && !errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return nil, &RemoteError{Op: "list", Remote: remote, URL: u, Err: refused(cleanErr(err), u, withheld)}
	}
	out := make(map[string]RemoteRef, len(refs))
	peeled := map[string]plumbing.Hash{}
	for _, ref := range refs {
		if ref.Type() != plumbing.HashReference {
			continue
		}
		name := ref.Name().String()
		if base, ok := strings.CutSuffix(name, "^{}"); ok {
			peeled[base] = ref.Hash()
			continue
		}
		out[name] = RemoteRef{Hash: ref.Hash(), Commit: ref.Hash()}
	}
	for name, c := range peeled {
		if rr, ok := out[name]; ok {
			rr.Commit = c
			out[name] = rr
		}
	}
	return out, nil
}

// RemoteNames lists the configured remotes, sorted.
func (r *Repo) RemoteNames() []string {
	rems, err := r.repo.Remotes()
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(rems))
	for _, rem := range rems {
		names = append(names, rem.Config().Name)
	}
	slices.Sort(names)
	return names
}
