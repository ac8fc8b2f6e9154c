package version

import (
	"context"
	"errors"

	"github.com/kickoffhq/kickoff/internal/retry"
)

// Tagged is a release-candidate or final tag on the remote.
type Tagged struct {
	Kickoff string
	Version Version
	Tag     string
	Commit  string
	N       int  // candidate number; 0 for the final tag
	Created bool // false when the tag was already there on that commit
	// Repos is each repository's copy, in a platform of several; Skipped the repositories
	// without the kickoff, which get none.
	Repos   []RepoTag
	Skipped []string
}

// TagCandidate tags commit, in this repository, as the next release candidate of the
// kickoff's version (see TagBuildCandidate).
func (s *Store) TagCandidate(ctx context.Context, kickoffName, commit string) (Tagged, error) {
	return s.TagBuildCandidate(ctx, kickoffName, Build{Commits: map[string]string{s.members()[0].Name: commit}})
}

// lastRace is the error of the last lost race when every attempt lost one.
func lastRace(err error) error {
	var ex *retry.ExhaustedError
	if errors.As(err, &ex) {
		return ex.Err
	}
	return err
}

// TagFinal puts the annotated final tag platform/vX.Y.Z, its message naming the kickoff,
// on the commit of this repository that shipped and pushes it (see TagBuildFinal). An
// existing final tag is never moved: on the same commit this is a no-op, on another commit
// an error.
func (s *Store) TagFinal(ctx context.Context, kickoffName, commit string) (Tagged, error) {
	return s.TagBuildFinal(ctx, kickoffName, Build{Commits: map[string]string{s.members()[0].Name: commit}})
}
