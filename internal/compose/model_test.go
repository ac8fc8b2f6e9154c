package compose

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111"

func spec(base, dir string) Spec {
	return Spec{
		Project: "acme-dev3", Slot: "dev3", Base: base, WorkDir: dir,
		Env:            map[string]string{"KICKOFF_SLOT": "dev3", "SENTRY_ENVIRONMENT": "dev3"},
		Prefix:         "acme",
		InfraPortFirst: 20202, InfraPortCount: 98,
		Apps: []App{
			{Name: "fe", Image: "reg.example/platform-fe@" + digest, Port: 3000, HostPort: 20200, Env: map[string]string{"API": "http://spring:8080"}},
			{Name: "spring", Image: "reg.example/platform-spring@" + digest, Port: 8080, HostPort: 20201},
		},
	}
}

type file struct {
	Services map[string]struct {
		Image         string            `yaml:"image"`
		ContainerName string            `yaml:"container_name"`
		Build         any               `yaml:"build"`
		Environment   map[string]string `yaml:"environment"`
		Labels        map[string]string `yaml:"labels"`
		Ports         []string          `yaml:"ports"` // short syntax: [host_ip:]published:target

		Volumes []any `yaml:"volumes"`
	} `yaml:"services"`
	Name string `yaml:"name"`
}

func render(t *testing.T, s Spec) (file, []byte) {
	t.Helper()
	m, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Marshal(m.Project)
	if err != nil {
		t.Fatal(err)
	}
	var f file
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	return f, b
}

func TestModelWithoutTeamFile(t *testing.T) {
	f, b := render(t, spec("", ""))
	if f.Name != "" {
		t.Fatalf("the file names the project (%q); the command line does, for Compose v1", f.Name)
	}
	fe := f.Services["fe"]
	if fe.Image != "reg.example/platform-fe@"+digest {
		t.Fatalf("fe image %q", fe.Image)
	}
	if fe.Environment["KICKOFF_SLOT"] != "dev3" || fe.Environment["API"] != "http://spring:8080" || fe.Environment["SENTRY_ENVIRONMENT"] != "dev3" {
		t.Fatalf("fe env %v", fe.Environment)
	}
	if len(fe.Ports) != 1 || fe.Ports[0] != "20200:3000" {
		t.Fatalf("fe ports %+v", fe.Ports)
	}
	if fe.Labels[LabelSlot] != "dev3" || fe.Labels[LabelApp] != "fe" {
		t.Fatalf("labels %v", fe.Labels)
	}
	composeConfig(t, b)
}

// The team's compose file is overlaid: its extra services stay (on the slot's host ports,
// without fixed names, which would clash across slots), its app services get kickoff's image
// and ports.
func TestModelOverlaysTeamFile(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "deploy", "compose.yaml")
	os.MkdirAll(filepath.Dir(base), 0o755)
	os.WriteFile(base, []byte(`services:
  fe:
    build: ./fe
    container_name: fe
    ports: ["3000:3000"]
    environment:
      NODE_ENV: production
  spring:
    image: platform-spring:local
    depends_on: [postgres]
  postgres:
    image: postgres:16
    container_name: db
    ports: ["5432:5432"]
    volumes: ["pgdata:/var/lib/postgresql/data"]
volumes:
  pgdata: {}
`), 0o644)
	f, b := render(t, spec("deploy/compose.yaml", dir))
	fe := f.Services["fe"]
	if fe.Build != nil || fe.ContainerName != "" || fe.Image != "reg.example/platform-fe@"+digest {
		t.Fatalf("fe: build %v container_name %q image %q", fe.Build, fe.ContainerName, fe.Image)
	}
	if fe.Environment["NODE_ENV"] != "production" || fe.Environment["KICKOFF_SLOT"] != "dev3" {
		t.Fatalf("fe env %v: team and kickoff variables must both be there", fe.Environment)
	}
	if len(fe.Ports) != 1 || fe.Ports[0] != "20200:3000" {
		t.Fatalf("fe ports %+v", fe.Ports)
	}
	pg, ok := f.Services["postgres"]
	if !ok || pg.ContainerName != "" || len(pg.Volumes) != 1 {
		t.Fatalf("postgres kept without container name, with its volume: %+v", pg)
	}
	if len(pg.Ports) != 1 || pg.Ports[0] != "20202:5432" {
		t.Fatalf("postgres publishes %+v, want the slot's first infra port 20202", pg.Ports)
	}
	if !strings.Contains(string(b), "depends_on") {
		t.Fatalf("depends_on lost:\n%s", b)
	}
	composeConfig(t, b)
}

func TestModelBadTeamFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "c.yaml"), []byte("services: [nope\n"), 0o644)
	_, err := Build(context.Background(), spec("c.yaml", dir))
	if err == nil || !strings.Contains(err.Error(), "compose file c.yaml") {
		t.Fatalf("err = %v", err)
	}
}

// composeConfig has every installed Compose (v1 and v2) validate the file.
func composeConfig(t *testing.T, b []byte) {
	t.Helper()
	cmds := Installed()
	if len(cmds) == 0 {
		if os.Getenv("KICKOFF_REQUIRE_DOCKER") == "1" {
			t.Fatal("KICKOFF_REQUIRE_DOCKER=1 but no Compose is installed")
		}
		t.Log("not validated by Compose: none installed")
		return
	}
	path := filepath.Join(t.TempDir(), "compose.yaml")
	os.WriteFile(path, b, 0o644)
	for _, cmd := range cmds {
		args := append(append([]string(nil), cmd[1:]...), "-p", "acme-dev3", "-f", path, "config", "-q")
		if out, err := exec.Command(cmd[0], args...).CombinedOutput(); err != nil {
			t.Fatalf("%s rejects the file: %v\n%s\n%s", strings.Join(cmd, " "), err, out, b)
		}
	}
}
