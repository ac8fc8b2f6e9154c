package version

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// Where reservations live. A reservation is one annotated tag object (its message names
// the kickoff) that two refs point at, both created in one atomic push so that a version
// has at most one kickoff and a kickoff at most one version.
const (
	VersionRefPrefix   = "refs/kickoff/versions/"   // + X.Y.Z
	VersionOfRefPrefix = "refs/kickoff/version-of/" // + kickoff name
)

// remoteRefs lists reservations and tags on the remote without touching local refs, so
// that many assigners can run at once in one clone. Dates and messages are not read.
func remoteRefs(ctx context.Context, repo *gitrepo.Repo, remote string) (map[string]refInfo, error) {
	out, err := repo.Run(ctx, "ls-remote", remote, "refs/kickoff/*", "refs/tags/*")
	if err != nil {
		return nil, fmt.Errorf("read versions from remote %q: %w", remote, err)
	}
	refs := map[string]refInfo{}
	peeled := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		oid, ref, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		if base, isPeeled := strings.CutSuffix(ref, "^{}"); isPeeled {
			peeled[base] = oid
			continue
		}
		refs[ref] = refInfo{oid: oid, commit: oid}
	}
	for ref, c := range peeled {
		if ri, ok := refs[ref]; ok {
			ri.commit = c
			refs[ref] = ri
		}
	}
	return refs, nil
}

// localRefs reads the same refs from the local repository, with dates and subjects.
func localRefs(ctx context.Context, repo *gitrepo.Repo) (map[string]refInfo, error) {
	const format = "%(refname)%00%(objectname)%00%(*objectname)%00%(creatordate:unix)%00%(contents:subject)"
	out, err := repo.Run(ctx, "for-each-ref", "--format="+format, "refs/kickoff/", "refs/tags/")
	if err != nil {
		return nil, fmt.Errorf("read local versions: %w", err)
	}
	refs := map[string]refInfo{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, "\x00")
		if len(f) != 5 {
			continue
		}
		ri := refInfo{oid: f[1], commit: f[1], subject: f[4]}
		if f[2] != "" {
			ri.commit = f[2]
		}
		if sec, err := strconv.ParseInt(f[3], 10, 64); err == nil {
			ri.date = time.Unix(sec, 0).UTC()
		}
		refs[f[0]] = ri
	}
	return refs, nil
}

// refUpdate changes one ref if and only if it still has Old ("" = must not exist);
// New "" deletes it.
type refUpdate struct {
	Ref, New, Old string
}

// errStale means another process changed one of the refs first.
var errStale = errors.New("a ref changed meanwhile")

// RejectedError is a push the remote refused for another reason than a lost race
// (a hook, permissions, a protected namespace).
type RejectedError struct {
	Remote string
	Output string
}

func (e *RejectedError) Error() string {
	return fmt.Sprintf("remote %q rejected the push: %s", e.Remote, e.Output)
}

// publish applies all updates or none: on the remote with one atomic push whose leases
// make every create fail when the ref exists; without a remote with one update-ref
// transaction. It returns errStale when the leases did not hold.
func publish(ctx context.Context, repo *gitrepo.Repo, remote string, ups []refUpdate) error {
	if remote == "" {
		return localTransaction(ctx, repo, ups)
	}
	args := []string{"push", "--atomic", "--porcelain", "--no-verify", remote}
	for _, u := range ups {
		args = append(args, "--force-with-lease="+u.Ref+":"+u.Old)
	}
	for _, u := range ups {
		args = append(args, u.New+":"+u.Ref)
	}
	out, err := repo.Run(ctx, args...)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		stderr := err.Error()
		var ge *gitrepo.GitError
		if errors.As(err, &ge) {
			stderr = ge.Stderr
		}
		if lostRace(out, stderr) {
			return fmt.Errorf("%w: %s", errStale, firstLines(out+"\n"+stderr, 3))
		}
		return &RejectedError{Remote: remote, Output: pushReason(out, stderr)}
	}
	// Mirror what the remote now has, so local commands see it without a fetch. Best effort:
	// a failure here loses nothing, the remote is the truth.
	mirror(ctx, repo, ups)
	return nil
}

// mirror sets local refs to what was just published, whatever they held before.
func mirror(ctx context.Context, repo *gitrepo.Repo, ups []refUpdate) {
	var b strings.Builder
	for _, u := range ups {
		if u.New == "" {
			fmt.Fprintf(&b, "delete %s\n", u.Ref)
		} else {
			fmt.Fprintf(&b, "update %s %s\n", u.Ref, u.New)
		}
	}
	_, _ = runInput(ctx, repo, b.String(), "update-ref", "--stdin")
}

func localTransaction(ctx context.Context, repo *gitrepo.Repo, ups []refUpdate) error {
	var b strings.Builder
	b.WriteString("start\n")
	for _, u := range ups {
		switch {
		case u.New == "":
			fmt.Fprintf(&b, "delete %s %s\n", u.Ref, u.Old)
		case u.Old == "":
			fmt.Fprintf(&b, "create %s %s\n", u.Ref, u.New)
		default:
			fmt.Fprintf(&b, "update %s %s %s\n", u.Ref, u.New, u.Old)
		}
	}
	b.WriteString("commit\n")
	if _, err := runInput(ctx, repo, b.String(), "update-ref", "--stdin"); err != nil {
		return fmt.Errorf("%w: %v", errStale, err)
	}
	return nil
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

// makeTag writes an annotated tag object (no ref) pointing at commit and returns its id.
func makeTag(ctx context.Context, repo *gitrepo.Repo, ident, name, commit, message string) (string, error) {
	body := fmt.Sprintf("object %s\ntype commit\ntag %s\ntagger %s\n\n%s", commit, name, strings.TrimSpace(ident), message)
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	out, err := runInput(ctx, repo, body, "mktag")
	if err != nil {
		return "", fmt.Errorf("create tag object %s: %w", name, err)
	}
	return strings.TrimSpace(out), nil
}

// runInput runs git with stdin (mktag, update-ref --stdin), which gitrepo.Run lacks.
func runInput(ctx context.Context, repo *gitrepo.Repo, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = repo.Root
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return out.String(), &gitrepo.GitError{Args: args, Stderr: msg, Err: err}
	}
	return out.String(), nil
}
