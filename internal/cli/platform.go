package cli

import (
	"errors"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/platform"
)

// platformOf opens the project's repositories (repos: in .kickoff.yaml) for a lifecycle
// command; without repos: it is this repository alone, and the command runs as it always did.
func platformOf(f *Factory, env *kickoff.Env, cfg *config.Config) (*platform.Platform, error) {
	return platform.Open(platform.Options{Here: env.Repo, Remote: env.Remote, Repos: cfg.Repos, Getenv: f.Getenv})
}

// platformMembers are the repositories a command works in (--repos, all for none) with
// their environments; an unknown name is a usage error listing the known ones.
func platformMembers(plat *platform.Platform, env *kickoff.Env, names []string) ([]platform.Member, error) {
	repos, err := plat.Select(names)
	if errors.Is(err, platform.ErrUnknownRepo) {
		return nil, FlagErrorf("--repos: %v", err)
	}
	if err != nil {
		return nil, err
	}
	return plat.Members(repos, env), nil
}

// repoResult is what a lifecycle command did in one repository of the platform (--json).
type repoResult struct {
	Repo   string `json:"repo"`
	Via    string `json:"via"` // here, clone, cache
	Base   string `json:"base,omitempty"`
	Commit string `json:"commit,omitempty"`
	Pushed bool   `json:"pushed"`
	// SwitchedTo is true when the work tree was switched to the branch (this repository's only).
	SwitchedTo bool     `json:"switched_to"`
	Notes      []string `json:"notes"`
}
