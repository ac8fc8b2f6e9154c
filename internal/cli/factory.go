package cli

import (
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/slot"
	"github.com/kickoffhq/kickoff/internal/term"
)

// Factory holds what every command may need, injected so tests can replace it.
// Keep it small: streams, where we run, the environment, the clock, HTTP.
type Factory struct {
	IO   *term.IO
	Dir  string
	Env  []string
	Now  func() time.Time
	HTTP *http.Client

	// MainFlag and RemoteFlag are the global --main and --remote flags; set, they win
	// over .kickoff.yaml and KICKOFF_* (file < environment < flags).
	MainFlag, RemoteFlag string

	repo *gitrepo.Repo
	cfg  *config.Config
}

// NewFactory returns the factory of a real process.
func NewFactory() *Factory {
	dir, _ := os.Getwd()
	return &Factory{
		IO:   term.System(),
		Dir:  dir,
		Env:  os.Environ(),
		Now:  time.Now,
		HTTP: &http.Client{Timeout: 30 * time.Second, Transport: logTransport{http.DefaultTransport}},
	}
}

// Getenv reads the factory's environment.
func (f *Factory) Getenv(key string) string {
	for i := len(f.Env) - 1; i >= 0; i-- {
		kv := f.Env[i]
		if len(kv) > len(key) && kv[len(key)] == '=' && kv[:len(key)] == key {
			return kv[len(key)+1:]
		}
	}
	return ""
}

// Repo opens the repository containing Dir, once.
func (f *Factory) Repo() (*gitrepo.Repo, error) {
	if f.repo == nil {
		r, err := gitrepo.Open(f.Dir)
		if err != nil {
			return nil, err
		}
		r.Progress = f.IO.Spin // fetch, push and ls-remote show a spinner on a terminal
		f.repo = r
	}
	return f.repo, nil
}

// Config loads .kickoff.yaml from the repository root (or Dir outside a repository), once.
func (f *Factory) Config() (*config.Config, error) {
	if f.cfg == nil {
		dir := f.Dir
		if r, err := f.Repo(); err == nil {
			dir = r.Root
		}
		c, err := config.Load(dir, f.Env)
		if err != nil {
			return nil, err
		}
		// config cannot import slot, which renders image_tag; checked here for every command.
		if err := slot.CheckImageTag(c.ImageTag, c.AppNames()); err != nil {
			return nil, fmt.Errorf("%s: %w", config.FileName, err)
		}
		if f.MainFlag != "" {
			c.Main = f.MainFlag
		}
		if f.RemoteFlag != "" {
			c.Remote = f.RemoteFlag
		}
		for _, n := range c.Notes() {
			f.IO.Eprintf("kickoff: %s\n", n)
		}
		if f.repo != nil {
			f.repo.SetGitHubHosts(c.GitHubHosts())
		}
		f.cfg = c
	}
	return f.cfg, nil
}

// RepoConfig is Repo and Config together, for commands that need both.
func (f *Factory) RepoConfig() (*gitrepo.Repo, *config.Config, error) {
	repo, err := f.Repo()
	if err != nil {
		return nil, nil, err
	}
	cfg, err := f.Config()
	if err != nil {
		return nil, nil, err
	}
	return repo, cfg, nil
}
