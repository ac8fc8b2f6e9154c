package slot

import (
	"path/filepath"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// A slot's Compose project is <project>-<slot>: the configured project, else the
// repository folder's name, reduced to what Compose accepts.
func TestProjectNames(t *testing.T) {
	for _, tc := range []struct {
		project, root, want string
	}{
		{"acme", "/src/shop", "acme"},
		{"", "/src/Web_Shop", "web-shop"},
		{"  Acme Platform!! ", "/src/shop", "acme-platform"},
		{"", "/src/---", "kickoff"},
		{"", "", "kickoff"},
	} {
		cfg := config.Default()
		cfg.Project = tc.project
		var repo *gitrepo.Repo
		if tc.root != "" {
			repo = &gitrepo.Repo{Root: tc.root}
		}
		if got := ProjectPrefix(cfg, repo); got != tc.want {
			t.Errorf("ProjectPrefix(%q, %q) = %q, want %q", tc.project, tc.root, got, tc.want)
		}
	}
	cfg := config.Default()
	cfg.Project = "acme"
	s := &Service{Cfg: cfg, StateDir: "/var/kickoff"}
	if got := s.Project("dev2"); got != "acme-dev2" {
		t.Errorf("Project(dev2) = %q", got)
	}
	if got := s.composeFile("dev2"); got != filepath.Join("/var/kickoff", "slots", "dev2", "compose.yaml") {
		t.Errorf("composeFile(dev2) = %q", got)
	}
}
