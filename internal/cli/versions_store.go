package cli

import (
	"context"

	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	platver "github.com/kickoffhq/kickoff/internal/version"
)

// versionStore opens the platform-version store of the current repository. Other commands
// use it too: release (Ensure gives a kickoff its version, TagCandidate tags the deployed
// commit platform/vX.Y.Z-rc.N), finish (TagShipped puts the final tag) and list (VERSION).
func versionStore(f *Factory) (*platver.Store, error) {
	repo, cfg, err := f.RepoConfig()
	if err != nil {
		return nil, err
	}
	s := platver.New(repo, cfg)
	s.Now, s.Getenv = f.Now, f.Getenv
	// The book is read more than once by some commands: say each ignored ref once.
	warned := map[string]bool{}
	s.Warn = func(msg string) {
		if !warned[msg] {
			warned[msg] = true
			f.IO.Eprintf("warning: %s\n", msg)
		}
	}
	if cfg.Jira.FixVersion && cfg.Jira.Enabled() {
		// Versions assigned on the way (release, tag, finish) get their Jira fixVersion too;
		// `kickoff version` runs the step itself and reports it in full.
		s.AfterAssign = func(ctx context.Context, a platver.Assignment) {
			client, err := jira.New(cfg.Jira, f.Getenv, f.HTTP)
			if err == nil {
				_, err = s.SetFixVersion(ctx, client, cfg.Jira.VersionName, a)
			}
			if err != nil {
				f.IO.Eprintf("warning: Jira fixVersion for %s not set: %v; re-run `kickoff version %s --assign` to retry\n", a.Tag, err, a.Kickoff)
			}
		}
	}
	return s, nil
}

// kickoffArg is the kickoff a command works on: name, the command's argument, else when
// name is "" the kickoff the checked-out branch belongs to (itself, or the kickoff of a
// feature branch).
func kickoffArg(f *Factory, name string) (string, error) {
	if name != "" {
		if _, err := kickoff.ParseName(name); err != nil {
			return "", FlagErrorf("%v", err)
		}
		return name, nil
	}
	env, _, err := lifecycleEnv(f)
	if err != nil {
		return "", err
	}
	b := env.Repo.CurrentBranch()
	if b != "" {
		if n, ok := env.KickoffOf(b); ok {
			return n.String(), nil
		}
	}
	return "", FlagErrorf("name the kickoff (e.g. kickoff-240510-dashboard): the checked-out branch belongs to no kickoff")
}
