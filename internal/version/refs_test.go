package version

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// publish is all or nothing: with a remote, one atomic push whose create leases fail when a
// ref exists (and then nothing changes there or here); mirrored locally when it succeeds.
func TestPublishAtomicOnRemote(t *testing.T) {
	ctx := context.Background()
	r := gittest.New(t)
	head := r.Git("rev-parse", "HEAD")
	s := open(t, r.Dir)
	err := publish(ctx, s.Repo, "origin", s.getenv, []refUpdate{
		{Ref: VersionRefPrefix + "1.0.0", New: head},
		{Ref: VersionOfRefPrefix + "kickoff-240510-alpha", New: head},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{r.Dir, r.Remote} {
		if got := git(t, dir, "for-each-ref", "--format=%(refname)", "refs/kickoff/"); got != "refs/kickoff/version-of/kickoff-240510-alpha\nrefs/kickoff/versions/1.0.0" {
			t.Errorf("%s has %q", dir, got)
		}
	}

	// 1.0.0 exists now: a second reservation of it (another object, as every reservation
	// is its own tag object) creates neither ref.
	other := r.Commit("b.txt", "b\n", "beta")
	err = publish(ctx, s.Repo, "origin", s.getenv, []refUpdate{
		{Ref: VersionRefPrefix + "1.0.0", New: other},
		{Ref: VersionOfRefPrefix + "kickoff-240511-beta", New: other},
	})
	if !errors.Is(err, gitrepo.ErrRefChanged) {
		t.Fatalf("second publish = %v, want ErrRefChanged", err)
	}
	for _, dir := range []string{r.Dir, r.Remote} {
		if got := git(t, dir, "for-each-ref", "refs/kickoff/version-of/kickoff-240511-beta"); got != "" {
			t.Errorf("%s got half a reservation: %s", dir, got)
		}
	}

	// Deleting with the right lease.
	err = publish(ctx, s.Repo, "origin", s.getenv, []refUpdate{{Ref: VersionRefPrefix + "1.0.0", Old: head}})
	if err != nil {
		t.Fatal(err)
	}
	if got := git(t, r.Remote, "for-each-ref", VersionRefPrefix); got != "" {
		t.Errorf("remote kept %s", got)
	}
}

// Without a remote, publish is one local transaction with the same leases.
func TestPublishLocal(t *testing.T) {
	ctx := context.Background()
	r := gittest.NewLocal(t)
	head := r.Git("rev-parse", "HEAD")
	s := open(t, r.Dir)
	up := []refUpdate{{Ref: VersionRefPrefix + "0.1.0", New: head}}
	if err := publish(ctx, s.Repo, "", s.getenv, up); err != nil {
		t.Fatal(err)
	}
	other := r.Commit("b.txt", "b\n", "beta")
	again := []refUpdate{{Ref: VersionRefPrefix + "0.1.0", New: other}, {Ref: VersionRefPrefix + "0.2.0", New: other}}
	if err := publish(ctx, s.Repo, "", s.getenv, again); !errors.Is(err, gitrepo.ErrRefChanged) {
		t.Fatalf("second publish = %v, want ErrRefChanged", err)
	}
	if got := r.Git("for-each-ref", "--format=%(refname)", "refs/kickoff/"); got != VersionRefPrefix+"0.1.0" {
		t.Errorf("refs = %q", got)
	}
}

// The remote's and the local reading keep reservations and tags only; the local one also
// has tag subjects, and both give the commit an annotated tag points at.
func TestRemoteAndLocalRefs(t *testing.T) {
	ctx := context.Background()
	r := gittest.New(t)
	head := r.Git("rev-parse", "HEAD")
	r.Git("tag", "-a", "-m", "Platform 1.2.0", "platform/v1.2.0")
	r.Git("update-ref", VersionRefPrefix+"1.3.0", head)
	r.Git("branch", "kickoff-240510-alpha")
	r.Git("push", "-q", "origin", "--tags", VersionRefPrefix+"1.3.0", "kickoff-240510-alpha")
	s := open(t, r.Dir)

	remote, err := remoteRefs(ctx, s.Repo, "origin", s.getenv)
	if err != nil {
		t.Fatal(err)
	}
	local, err := localRefs(ctx, s.Repo)
	if err != nil {
		t.Fatal(err)
	}
	tagOID := r.Git("rev-parse", "platform/v1.2.0")
	for name, refs := range map[string]map[string]refInfo{"remote": remote, "local": local} {
		if len(refs) != 2 {
			t.Errorf("%s: %d refs %v, want the tag and the reservation", name, len(refs), refs)
		}
		if tg := refs["refs/tags/platform/v1.2.0"]; tg.oid != tagOID || tg.commit != head {
			t.Errorf("%s tag = %+v, want oid %s commit %s", name, tg, tagOID, head)
		}
		if rv := refs[VersionRefPrefix+"1.3.0"]; rv.commit != head {
			t.Errorf("%s reservation = %+v", name, rv)
		}
	}
	if got := local["refs/tags/platform/v1.2.0"]; got.subject != "Platform 1.2.0" || got.date.IsZero() {
		t.Errorf("local tag details = %+v", got)
	}

	if _, err := remoteRefs(ctx, s.Repo, "nowhere", s.getenv); err == nil || !strings.Contains(err.Error(), `read versions from remote "nowhere"`) {
		t.Errorf("unknown remote: %v", err)
	}
}

// git runs git in dir (a work tree or the bare remote) and returns its trimmed output.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gittest.Env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}
