package version

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

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
func remoteRefs(ctx context.Context, repo *gitrepo.Repo, remote string, getenv func(string) string) (map[string]refInfo, error) {
	all, err := repo.RemoteRefs(ctx, remote, getenv)
	if err != nil {
		return nil, fmt.Errorf("read versions from remote %q: %w", remote, err)
	}
	refs := map[string]refInfo{}
	for name, r := range all {
		if strings.HasPrefix(name, "refs/kickoff/") || strings.HasPrefix(name, "refs/tags/") {
			refs[name] = refInfo{oid: r.Hash.String(), commit: r.Commit.String()}
		}
	}
	return refs, nil
}

// localRefs reads the same refs from the local repository, with dates and subjects.
func localRefs(ctx context.Context, repo *gitrepo.Repo) (map[string]refInfo, error) {
	details, err := repo.RefDetails(ctx, "refs/kickoff/", "refs/tags/")
	if err != nil {
		return nil, fmt.Errorf("read local versions: %w", err)
	}
	refs := make(map[string]refInfo, len(details))
	for _, d := range details {
		refs[string(d.Name)] = refInfo{oid: d.Hash.String(), commit: d.Commit.String(), date: d.Date, subject: d.Subject}
	}
	return refs, nil
}

// refUpdate changes one ref if and only if it still has Old ("" = must not exist);
// New "" deletes it.
type refUpdate struct {
	Ref, New, Old string
}

// publish applies all updates or none: on the remote with one atomic push whose leases
// make every create fail when the ref exists; without a remote with one local ref
// transaction. It returns gitrepo.ErrRefChanged when the leases did not hold, and a
// *gitrepo.PushRejectedError when the remote refused for another reason.
func publish(ctx context.Context, repo *gitrepo.Repo, remote string, getenv func(string) string, updates []refUpdate) error {
	ups := make([]gitrepo.RefUpdate, len(updates))
	for i, u := range updates {
		ups[i] = gitrepo.RefUpdate{Name: plumbing.ReferenceName(u.Ref), New: hash(u.New), Old: hash(u.Old)}
	}
	if remote == "" {
		return repo.UpdateRefs(ctx, ups)
	}
	if err := repo.PushAtomic(ctx, remote, getenv, ups); err != nil {
		return err
	}
	// Mirror what the remote now has, so local commands see it without a fetch. Best effort:
	// a failure here loses nothing, the remote is the truth.
	_ = repo.ForceRefs(ctx, ups)
	return nil
}

// hash reads an object id, "" being none.
func hash(oid string) plumbing.Hash {
	if oid == "" {
		return plumbing.ZeroHash
	}
	return plumbing.NewHash(oid)
}
