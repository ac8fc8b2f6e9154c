package gitrepo

import (
	gitconfig "github.com/go-git/go-git/v5/config"
)

// BranchOption reads branch.<branch>.<key> from the repository's config ("" when unset).
func (r *Repo) BranchOption(branch, key string) string {
	cfg, err := r.repo.Config()
	if err != nil {
		return ""
	}
	if !cfg.Raw.Section("branch").HasSubsection(branch) {
		return ""
	}
	return cfg.Raw.Section("branch").Subsection(branch).Option(key)
}

// SetBranchOption writes branch.<branch>.<key> = value (like `git config`).
func (r *Repo) SetBranchOption(branch, key, value string) error {
	cfg, err := r.repo.Config()
	if err != nil {
		return err
	}
	if _, ok := cfg.Branches[branch]; !ok {
		// go-git drops branch sections it has no Branch for when it writes the config.
		cfg.Branches[branch] = &gitconfig.Branch{Name: branch}
		if err := r.repo.SetConfig(cfg); err != nil {
			return err
		}
		if cfg, err = r.repo.Config(); err != nil {
			return err
		}
	}
	cfg.Raw.Section("branch").Subsection(branch).SetOption(key, value)
	return r.repo.SetConfig(cfg)
}

// DeleteBranchConfig removes the branch.<branch> section (upstream and kickoff's options).
func (r *Repo) DeleteBranchConfig(branch string) error {
	cfg, err := r.repo.Config()
	if err != nil {
		return err
	}
	if _, ok := cfg.Branches[branch]; !ok && !cfg.Raw.Section("branch").HasSubsection(branch) {
		return nil
	}
	delete(cfg.Branches, branch)
	cfg.Raw.Section("branch").RemoveSubsection(branch)
	return r.repo.SetConfig(cfg)
}
