package compose

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// Versions asks the engine and each installed Compose for their versions; a missing Compose
// is an error naming the command.
func TestVersions(t *testing.T) {
	if err := exec.Command("docker", "version", "--format", "{{.Server.Version}}").Run(); err != nil {
		if os.Getenv("KICKOFF_REQUIRE_DOCKER") == "1" {
			t.Fatalf("KICKOFF_REQUIRE_DOCKER=1 but the Docker engine does not answer: %v", err)
		}
		t.Skip("no Docker engine")
	}
	ctx := context.Background()
	version := regexp.MustCompile(`^v?\d+\.\d+`)
	for _, cmd := range Installed() {
		engine, compose, err := (&Engine{Command: cmd}).Versions(ctx)
		if err != nil || !version.MatchString(engine) || !version.MatchString(compose) {
			t.Errorf("%s: engine %q, compose %q, %v", strings.Join(cmd, " "), engine, compose, err)
		}
	}
	engine, _, err := (&Engine{Command: []string{"docker-compose-도구-없음"}}).Versions(ctx)
	if !version.MatchString(engine) || err == nil || !strings.Contains(err.Error(), "docker-compose-도구-없음") {
		t.Errorf("a missing Compose: engine %q, %v", engine, err)
	}
}
