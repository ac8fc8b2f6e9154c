package slot

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/kickoffhq/kickoff/internal/compose"
	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/ledger"
)

// Images says which digest an image tag names in the registry; a missing tag is a
// *registry.NotBuiltError.
type Images interface {
	Digest(ctx context.Context, repo, tag string) (string, error)
}

// RegistryLogin gives the engine a login when the registry needs one (ECR); optional.
type RegistryLogin interface {
	Login(ctx context.Context) (user, password string, ok bool, err error)
}

// Versioner maps a kickoff to its platform version and tags release candidates; the
// version area implements it. With dryRun nothing is written and the version it would
// get is returned.
type Versioner interface {
	EnsureVersion(ctx context.Context, kickoff string, dryRun bool) (version string, err error)
	// TagRC tags what the plan shipped (the commits and images of its apps) as a release
	// candidate of version; "" when nothing of the kickoff shipped.
	TagRC(ctx context.Context, kickoff, version string, p *Plan) (tag string, err error)
}

// Router applies the routes of one slot after a deploy; the routing area implements it.
// ports sends the named apps' traffic to those host ports (a side-by-side switch moving it);
// the other apps' routes follow their running containers (Service.LivePorts).
type Router interface {
	ApplySlot(ctx context.Context, slot string, ports map[string]int) error
}

// IssueLister finds the Jira issues a deploy brings; the ledger area implements it.
type IssueLister interface {
	Issues(ctx context.Context, kickoff string) ([]ledger.Issue, error)
}

// Service runs slot operations. Engine, Images and Ledger are required; Versions, Routes
// and Issues are optional (nil skips that step).
type Service struct {
	Cfg      *config.Config
	Repo     *gitrepo.Repo
	StateDir string
	Ledger   ledger.Store
	Images   Images
	// Engine returns the Compose engine of a slot (its configured Docker host).
	Engine   func(slot string) (*compose.Engine, error)
	Versions Versioner
	Routes   Router
	Issues   IssueLister
	Actor    string
	Now      func() time.Time
	HTTP     *http.Client
	// RemoteRefs lists another repository's refs; nil means ls-remote through go-git.
	RemoteRefs func(ctx context.Context, url string) (Refs, error)
	// Progress is told each app's state (resolving, pulling, starting, healthy, ...).
	Progress func(app, state string)
	// Notify receives messages for the user (waiting for a lock, rolling back).
	Notify func(msg string)
	// SwitchSettle is how long a side-by-side switch waits after moving traffic before it
	// stops the old containers; 0 means DefaultSwitchSettle.
	SwitchSettle time.Duration
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) progress(app, state string) {
	if s.Progress != nil {
		s.Progress(app, state)
	}
}

func (s *Service) notify(format string, a ...any) {
	if s.Notify != nil {
		s.Notify(fmt.Sprintf(format, a...))
	}
}

func (s *Service) httpClient() *http.Client {
	if s.HTTP != nil {
		return s.HTTP
	}
	return http.DefaultClient
}

// Project is the Compose project name of a slot: <project>-<slot>.
func (s *Service) Project(slot string) string {
	return ProjectPrefix(s.Cfg, s.Repo) + "-" + slot
}

// ProjectPrefix is the configured project name, else the repository folder's name,
// reduced to what Compose accepts.
func ProjectPrefix(cfg *config.Config, repo *gitrepo.Repo) string {
	p := cfg.Project
	if p == "" && repo != nil {
		p = filepath.Base(repo.Root)
	}
	p = strings.Trim(slugRe.ReplaceAllString(strings.ToLower(p), "-"), "-")
	if p == "" {
		p = "kickoff"
	}
	return p
}

// composeFile is where the slot's compose file lives on this machine.
func (s *Service) composeFile(slot string) string {
	return filepath.Join(s.StateDir, "slots", slot, "compose.yaml")
}
