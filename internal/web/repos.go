package web

import (
	"context"
	"slices"
)

// The heat map of a platform of several repositories (repos:): one per repository, this
// one's by default, another's with ?repo=NAME.

// knownRepo reports whether repo may be asked for: "" (this repository) or one of Repos.
func (s *Server) knownRepo(repo string) bool {
	return repo == "" || (s.RepoMatrix != nil && slices.Contains(s.Repos, repo))
}

// matrixOf is the heat map of repo: this repository's (Matrix) for "" or the first of
// Repos, else RepoMatrix's.
func (s *Server) matrixOf(ctx context.Context, repo string) (*Heatmap, error) {
	if repo == "" || (len(s.Repos) > 0 && repo == s.Repos[0]) || s.RepoMatrix == nil {
		return s.Matrix(ctx)
	}
	return s.RepoMatrix(ctx, repo)
}

// hasMatrix says whether any heat map is available.
func (s *Server) hasMatrix() bool { return s.Matrix != nil }

// repoSwitch is the list of repositories to switch the heat map between, with the one
// shown; none for a single repository or the static export.
func (s *Server) repoSwitch(repo string) ([]string, string) {
	if s.static || s.RepoMatrix == nil || len(s.Repos) < 2 {
		return nil, ""
	}
	if repo == "" {
		repo = s.Repos[0]
	}
	return s.Repos, repo
}
