package cli

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
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
	// over every other source (see LoadConfig).
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

// Config loads the configuration once (LoadConfig) and prints its notes, once: settings
// ignored in CI, and names that look like settings but are none.
func (f *Factory) Config() (*config.Config, error) {
	if f.cfg == nil {
		c, err := f.LoadConfig()
		if err != nil {
			return nil, err
		}
		for _, n := range c.Notes() {
			f.IO.Eprintf("kickoff: %s\n", n)
		}
		f.cfg = c
	}
	return f.cfg, nil
}

// LoadConfig reads the configuration afresh from every source, lowest first: the
// repository's .kickoff.yaml (Dir outside a repository), the user's file, `git config
// kickoff.*`, the environment, then the --main and --remote flags. An unset trunk is the
// repository's (gitrepo.Trunk).
func (f *Factory) LoadConfig() (*config.Config, error) {
	dir := f.Dir
	repo, err := f.Repo()
	if err == nil {
		dir = repo.Root
	}
	src := config.Sources{Dir: dir, UserFile: config.UserFile(f.Getenv), Env: f.Env, OtherEnv: otherEnv()}
	settings, err := gitrepo.Settings(context.Background(), dir, config.GitSection)
	if err != nil {
		slog.Debug("git config not read", "err", err)
	}
	for _, s := range settings {
		src.Git = append(src.Git, config.Setting{Name: s.Name, Value: s.Value})
	}
	c, err := config.LoadSources(src)
	if err != nil {
		return nil, err
	}
	// config cannot import slot, which renders image_tag; checked here for every command.
	if err := slot.CheckImageTag(c.ImageTag, c.AppNames()); err != nil {
		return nil, c.Explain(err)
	}
	if f.MainFlag != "" {
		c.Main = f.MainFlag
		c.SetOrigin("main", "--main")
	}
	if f.RemoteFlag != "" {
		c.Remote = f.RemoteFlag
		c.SetOrigin("remote", "--remote")
	}
	from := c.Origin("main")
	if from == "" && repo != nil {
		if b, how := repo.Trunk(c.Remote); b != "" {
			c.Main, from = b, how
			c.SetOrigin("main", how)
		} else {
			from = "the default"
		}
	}
	slog.Debug("trunk: "+c.Main, "from", from)
	if repo != nil {
		repo.SetGitHubHosts(c.GitHubHosts())
	}
	return c, nil
}

// otherEnv are the KICKOFF_ variables kickoff reads besides the settings' own, and those
// the test suite sets (.ci/run): not warned about as mistyped settings.
func otherEnv() []string {
	return []string{"KICKOFF_NETWORK_TIMEOUT", "KICKOFF_ACTOR", "KICKOFF_ECR_ENDPOINT", "KICKOFF_FORCE_TTY",
		compose.CommandEnv, ServeSecretEnv,
		"KICKOFF_REQUIRE_DOCKER", "KICKOFF_REQUIRE_SSH", "KICKOFF_REQUIRE_SWARM", "KICKOFF_REQUIRE_BROWSER", "KICKOFF_REQUIRE_GORELEASER", "KICKOFF_ARTIFACTS",
		crashAfterEnv, "KICKOFF_TEST_STOP_AFTER"}
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
