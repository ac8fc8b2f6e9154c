package compose

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// teamFile writes a compose file using every construct a team's file has, with its .env,
// env_file and extends file, and returns the folder.
func teamFile(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("deploy/.env", "DB_PASSWORD=dotenv-pass-123\nDB_NAME=shop\n")
	write("deploy/be.env", "API_TOKEN=token-from-env-file\nLOG_LEVEL=debug\n")
	write("deploy/common.yaml", "services:\n  base:\n    environment:\n      TZ: Asia/Seoul\n")
	write("deploy/compose.yaml", `services:
  be:
    build: ./be
    extends: {file: common.yaml, service: base}
    env_file: [be.env]
    environment:
      DATABASE_URL: mysql://root:${DB_PASSWORD}@db/${DB_NAME}
    volumes: ["./be:/usr/src/app", "./uploads:/data"]
    depends_on:
      db: {condition: service_healthy}
    profiles: [full]
  db:
    image: mariadb:10.6
    container_name: db
    environment:
      MYSQL_ROOT_PASSWORD: ${DB_PASSWORD}
      MYSQL_DATABASE: ${DB_NAME:-app}
    ports: ["127.0.0.1:13306:3306", "9104:9104"]
    healthcheck:
      test: ["CMD", "true"]
      interval: 5s
    volumes: ["data:/var/lib/mysql", "logs:/logs", "cache:/cache"]
    networks: [back, default]
  proxy:
    image: nginx:1.27
    build: ./proxy
  adminer:
    image: adminer
    profiles: [debug]
volumes:
  data: {name: team-data}
  logs: {}
  cache: {external: true}
networks:
  back: {name: team-back}
`)
	return dir
}

func teamSpec(dir, slot string, first int) Spec {
	return Spec{
		Project: "acme-" + slot, Prefix: "acme", Slot: slot, Base: "deploy/compose.yaml", WorkDir: dir,
		Environ: []string{}, Shared: []string{"logs"},
		InfraPortFirst: first, InfraPortCount: 10,
		Env:  map[string]string{"KICKOFF_SLOT": slot},
		Apps: []App{{Name: "be", Image: "reg.example/be@" + digest, Port: 8080, HostPort: first - 1, KeepMounts: []string{"/data"}}},
	}
}

func TestBuildKeepsComposeSemantics(t *testing.T) {
	dir := teamFile(t)
	m, err := Build(context.Background(), teamSpec(dir, "dev1", 20101))
	if err != nil {
		t.Fatal(err)
	}
	p := m.Project
	be, db := p.Services["be"], p.Services["db"]
	env := func(s types.ServiceConfig, k string) string {
		if v := s.Environment[k]; v != nil {
			return *v
		}
		return "<unset>"
	}
	// Interpolation from the .env beside the file, defaults, env_file and extends.
	if got := env(be, "DATABASE_URL"); got != "mysql://root:dotenv-pass-123@db/shop" {
		t.Errorf("be DATABASE_URL = %q: ${VAR} not read from deploy/.env", got)
	}
	if env(db, "MYSQL_ROOT_PASSWORD") != "dotenv-pass-123" || env(db, "MYSQL_DATABASE") != "shop" {
		t.Errorf("db env %v", db.Environment)
	}
	if env(be, "API_TOKEN") != "token-from-env-file" || len(be.EnvFiles) != 0 {
		t.Errorf("env_file not read into environment: %v, env_file %v", be.Environment, be.EnvFiles)
	}
	if env(be, "TZ") != "Asia/Seoul" {
		t.Errorf("extends lost: %v", be.Environment)
	}
	// The app runs whatever its profile; services of inactive profiles don't.
	if _, ok := p.Services["adminer"]; ok {
		t.Error("adminer (profile debug, not active) runs")
	}
	if len(be.Profiles) != 0 {
		t.Errorf("be keeps profiles %v: Compose would not start it", be.Profiles)
	}
	// depends_on conditions and healthchecks stay.
	if be.DependsOn["db"].Condition != types.ServiceConditionHealthy || db.HealthCheck == nil {
		t.Errorf("depends_on %v healthcheck %v", be.DependsOn, db.HealthCheck)
	}
	// The app: no build, only its data mount.
	if be.Build != nil || len(be.Volumes) != 1 || be.Volumes[0].Target != "/data" {
		t.Errorf("be build %v volumes %+v", be.Build, be.Volumes)
	}
	// Infra ports keep their bind address on the slot's ports.
	if len(db.Ports) != 2 || db.Ports[0].HostIP != "127.0.0.1" || db.Ports[0].Published != "20101" || db.Ports[1].Published != "20102" {
		t.Errorf("db ports %+v", db.Ports)
	}
	if db.ContainerName != "" {
		t.Errorf("container_name %q kept", db.ContainerName)
	}
	// An infra build with an image runs the image.
	if px := p.Services["proxy"]; px.Build != nil || px.Image != "nginx:1.27" {
		t.Errorf("proxy build %v image %q", px.Build, px.Image)
	}
	// Volumes and networks: per slot even when named; shared only when said.
	if v := p.Volumes["data"].Name; v != "acme-dev1_team-data" {
		t.Errorf("volume data named %q", v)
	}
	if v := p.Volumes["logs"].Name; v != "acme_logs" {
		t.Errorf("shared volume logs named %q", v)
	}
	if v := p.Volumes["cache"]; !bool(v.External) || v.Name != "cache" {
		t.Errorf("external volume cache: %+v", v)
	}
	if n := p.Networks["back"].Name; n != "acme-dev1_team-back" {
		t.Errorf("network back named %q", n)
	}
	notes := ""
	for _, n := range m.Notes {
		notes += n.String() + "\n"
	}
	for _, want := range []string{"be: build: dropped", "bind mount ./deploy/be:/usr/src/app dropped", "bind mount ./deploy/uploads:/data kept",
		"db: 127.0.0.1:13306 -> 127.0.0.1:20101", "shared by every slot (shared:)", "name team-data becomes acme-dev1_team-data"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	b, err := Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	composeConfig(t, b)

	// A second slot: other ports, other volumes and networks, same shared volume.
	m2, err := Build(context.Background(), teamSpec(dir, "dev2", 20201))
	if err != nil {
		t.Fatal(err)
	}
	if p2 := m2.Project; p2.Services["db"].Ports[0].Published == db.Ports[0].Published || p2.Volumes["data"].Name == p.Volumes["data"].Name ||
		p2.Volumes["logs"].Name != p.Volumes["logs"].Name {
		t.Errorf("dev2 db ports %+v volumes %+v", p2.Services["db"].Ports, p2.Volumes)
	}
}

// The environment wins over .env, as in Compose; compose_env_files replace .env.
func TestBuildInterpolationSources(t *testing.T) {
	dir := teamFile(t)
	s := teamSpec(dir, "dev1", 20101)
	s.Environ = []string{"DB_PASSWORD=from-environment"}
	m, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if got := *m.Project.Services["db"].Environment["MYSQL_ROOT_PASSWORD"]; got != "from-environment" {
		t.Errorf("MYSQL_ROOT_PASSWORD = %q, want the environment's", got)
	}
	os.WriteFile(filepath.Join(dir, "qa.env"), []byte("DB_PASSWORD=qa-pass\n"), 0o644)
	s = teamSpec(dir, "dev1", 20101)
	s.EnvFiles = []string{"qa.env"}
	if m, err = Build(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	db := m.Project.Services["db"]
	if *db.Environment["MYSQL_ROOT_PASSWORD"] != "qa-pass" || *db.Environment["MYSQL_DATABASE"] != "app" {
		t.Errorf("with compose_env_files [qa.env]: %v", db.Environment)
	}
}

func TestBuildRefusesInfraBuildWithoutImage(t *testing.T) {
	dir := teamFile(t)
	path := filepath.Join(dir, "deploy/compose.yaml")
	b, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(b), "    image: nginx:1.27\n", "", 1)), 0o644)
	_, err := Build(context.Background(), teamSpec(dir, "dev1", 20101))
	var be *BuildError
	if !errors.As(err, &be) || be.Service != "proxy" || be.Key != "build" ||
		!strings.Contains(err.Error(), "image:") || !strings.Contains(err.Error(), "exclude:") {
		t.Fatalf("err = %v", err)
	}
	s := teamSpec(dir, "dev1", 20101)
	s.Exclude = []string{"proxy"}
	if _, err := Build(context.Background(), s); err != nil {
		t.Fatalf("excluded: %v", err)
	}
	s = teamSpec(dir, "dev1", 20101)
	s.Images = map[string]string{"proxy": "reg.example/proxy:1"}
	m, err := Build(context.Background(), s)
	if err != nil || m.Project.Services["proxy"].Image != "reg.example/proxy:1" {
		t.Fatalf("images: override: %v", err)
	}
}

func TestBuildRefusesMorePortsThanTheSlotHas(t *testing.T) {
	s := teamSpec(teamFile(t), "dev1", 20101)
	s.InfraPortCount = 1
	_, err := Build(context.Background(), s)
	if err == nil || !strings.Contains(err.Error(), "service db: ports") || !strings.Contains(err.Error(), "ports.slot_stride") {
		t.Fatalf("err = %v", err)
	}
}
