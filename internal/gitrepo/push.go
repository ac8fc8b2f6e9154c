package gitrepo

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// PushRejectedError is an atomic push the remote refused for another reason than a lost
// race (a hook, permissions, a protected namespace, an unreachable remote).
type PushRejectedError struct {
	Remote string
	Output string // why, condensed from git's per-ref status and the remote's messages
	// Refused: the remote refused the credentials (then the error matches ErrRefused).
	Refused  bool
	Withheld string // why the GitHub token was not sent, if it was not
}

func (e *PushRejectedError) Error() string {
	msg := fmt.Sprintf("remote %q rejected the push: %s", e.Remote, RedactURL(e.Output))
	if e.Refused && e.Withheld != "" {
		msg += " (" + e.Withheld + ")"
	}
	return msg
}

// Unwrap makes a refusal of the credentials match ErrRefused.
func (e *PushRejectedError) Unwrap() error {
	if e.Refused {
		return ErrRefused
	}
	return nil
}

// PushAtomic publishes updates on remote all or none, each only while the remote's ref
// still has Old (zero: only while it does not exist), so that of several processes
// racing for the same refs exactly one wins. The loser gets an error wrapping
// ErrRefChanged; any other refusal is a *PushRejectedError.
//
// go-git cannot do this (one lease per push, and no per-ref status to tell a lost race
// from a refusal), so it is `git push --atomic --force-with-lease`, given the credentials
// and the timeout that Fetch and Push use.
func (r *Repo) PushAtomic(ctx context.Context, remote string, getenv func(string) string, ups []RefUpdate) error {
	args := []string{"--atomic"}
	for _, up := range ups {
		args = append(args, "--force-with-lease="+string(up.Name)+":"+hashOrEmpty(up.Old))
	}
	args = append(args, remote)
	for _, up := range ups {
		args = append(args, hashOrEmpty(up.New)+":"+string(up.Name))
	}
	out, stderr, withheld, err := r.gitPush(ctx, "pushing to "+remote, remote, getenv, args)
	switch {
	case err == nil:
		return nil
	case stderr == "" && out == "":
		return err
	case lostRace(out, stderr):
		return fmt.Errorf("%w: %s", ErrRefChanged, firstLines(out+"\n"+stderr, 3))
	}
	return &PushRejectedError{Remote: remote, Output: pushReason(out, stderr), Refused: gitRefused(stderr), Withheld: withheld}
}

// CheckPush asks remote whether it takes a push with these credentials, pushing nothing:
// `git push --dry-run` of HEAD's commit to refs/kickoff/doctor. git authenticates to the
// remote's receive-pack as for a real push, then stops before sending objects.
func (r *Repo) CheckPush(ctx context.Context, remote string, getenv func(string) string) error {
	head := r.Ref(plumbing.HEAD)
	if head.IsZero() {
		return errors.New("the repository has no commit yet: nothing to try a push with")
	}
	out, stderr, withheld, err := r.gitPush(ctx, "trying a push to "+remote, remote, getenv, []string{"--dry-run", remote, head.String() + ":refs/kickoff/doctor"})
	if err == nil || (stderr == "" && out == "") {
		return err
	}
	return &PushRejectedError{Remote: remote, Output: pushReason(out, stderr), Refused: gitRefused(stderr), Withheld: withheld}
}

// gitPush runs `git push --porcelain --no-verify args...` with the credentials Auth chose
// for remote and the timeout of Fetch and Push, shown and logged as what (remoteOp). A failure to start or a timeout is err with
// empty output; git's refusals come back with its output, for the caller to read.
//
// go-git cannot push atomically with leases, nor dry-run, so these pushes are the git binary.
func (r *Repo) gitPush(ctx context.Context, what, remote string, getenv func(string) string, args []string) (out, stderr, withheld string, err error) {
	u, auth, withheld, err := r.remoteAuth(ctx, "push", remote, getenv)
	if err != nil {
		return "", "", "", err
	}
	nctx, cancel := netCtx(ctx, getenv)
	defer cancel()
	cmd := Command(nctx, r.Root, append([]string{"push", "--porcelain", "--no-verify"}, args...)...)
	cmd.Env = authEnv(os.Environ(), auth)
	// On a timeout git is killed, but its transport helper (git-remote-https) may still hold
	// the output pipes: stop waiting for them soon after.
	cmd.WaitDelay = time.Second
	end := r.remoteOp(what, remote, u)
	out, stderr, err = run(cmd, "")
	end(err)
	switch {
	case err == nil:
		return out, stderr, withheld, nil
	case ctx.Err() != nil:
		return "", "", withheld, ctx.Err()
	case nctx.Err() != nil:
		return "", "", withheld, &RemoteError{Op: "push", Remote: remote, URL: u, Err: cleanErr(nctx.Err())}
	}
	return out, stderr, withheld, err
}

// hashOrEmpty spells a hash for a refspec or a lease: "" for none.
func hashOrEmpty(h plumbing.Hash) string {
	if h.IsZero() {
		return ""
	}
	return h.String()
}

// authEnv gives the git binary the credentials Auth chose, the way go-git uses them: an
// HTTP Authorization header passed in GIT_CONFIG_* variables, never on a command line
// other users can read. SSH needs nothing: git's ssh finds the same agent and keys. As
// with go-git, git never prompts for a password.
func authEnv(environ []string, auth transport.AuthMethod) []string {
	env := append(slices.Clip(environ), "GIT_TERMINAL_PROMPT=0")
	basic, ok := auth.(*githttp.BasicAuth)
	if !ok || basic == nil {
		return env
	}
	n := 0
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, "GIT_CONFIG_COUNT="); ok {
			n, _ = strconv.Atoi(v)
		}
	}
	header := "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(basic.Username+":"+basic.Password))
	return append(env,
		"GIT_CONFIG_COUNT="+strconv.Itoa(n+1),
		"GIT_CONFIG_KEY_"+strconv.Itoa(n)+"=http.extraHeader",
		"GIT_CONFIG_VALUE_"+strconv.Itoa(n)+"="+header)
}

// lostRace tells a push refused because a ref changed meanwhile (our lease failed on the
// client, or the remote's compare-and-swap or ref lock did) from any other refusal. Only
// git's own per-ref status and error lines count, not what a hook printed ("remote:").
func lostRace(out, stderr string) bool {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 3 || f[0] != "!" {
			continue
		}
		r := f[2]
		if strings.Contains(r, "(stale info)") || strings.Contains(r, "already exists") ||
			strings.Contains(r, "lock") || strings.Contains(r, "failed to update ref") ||
			strings.Contains(r, "(fetch first)") || strings.Contains(r, "atomic transaction failed") {
			return true
		}
	}
	for _, line := range strings.Split(stderr, "\n") {
		line = strings.TrimPrefix(line, "remote: ") // receive-pack reports its ref errors this way
		if strings.HasPrefix(line, "error: cannot lock ref") || strings.HasPrefix(line, "fatal: cannot lock ref") {
			return true
		}
	}
	return false
}

// pushReason condenses a failed push: why each ref was refused (porcelain "!" lines) and
// what the remote said ("remote:" lines, e.g. from a hook), else git's own error.
func pushReason(out, stderr string) string {
	var reasons, said []string
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Split(line, "\t"); len(f) >= 3 && f[0] == "!" && !slices.Contains(reasons, f[2]) {
			reasons = append(reasons, f[2])
		}
	}
	for _, line := range strings.Split(stderr, "\n") {
		if m, ok := strings.CutPrefix(line, "remote: "); ok && strings.TrimSpace(m) != "" {
			said = append(said, strings.TrimSpace(m))
		}
	}
	msg := strings.Join(reasons, ", ")
	if len(said) > 0 {
		msg = strings.TrimSpace(msg + ": " + strings.Join(said, " "))
	}
	if msg == "" {
		msg = firstLines(stderr, 4)
	}
	return msg
}

func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "; ")
}
