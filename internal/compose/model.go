package compose

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"
)

// Labels kickoff puts on every container it starts.
const (
	LabelSlot = "dev.kickoff.slot"
	LabelApp  = "dev.kickoff.app"
)

// App is one app of a slot as it must run.
type App struct {
	Name     string // the service name, which other apps use to reach it (http://spring:8080)
	Image    string // full reference, by digest (host/repo@sha256:...) or, offline, by tag
	Port     int    // the port the app listens on inside its container
	HostPort int    // the port published on the Docker host
	// AltHostPort, when set, is the app's second host port (HostPort+1): the app publishes
	// the range of both, so a new container started beside the running one gets the free one.
	AltHostPort int
	Env         map[string]string
	// KeepMounts are container paths of the app's bind mounts that stay (data, not code).
	KeepMounts []string
}

// Spec is everything a slot's model is built from.
type Spec struct {
	Project string // compose project name, e.g. acme-dev3
	Prefix  string // the project prefix all slots share (acme): names of shared volumes and networks
	Slot    string
	Apps    []App
	Env     map[string]string // given to every app container (KICKOFF_SLOT, ...)
	Base    string            // optional: the team's own compose file, overlaid per slot
	WorkDir string            // folder relative paths of Base and EnvFiles resolve against

	// The rest applies to Base only.
	EnvFiles []string          // Compose's --env-file; none: the .env beside Base
	Environ  []string          // the environment ${VAR} is read from first; nil: the process's
	Profiles []string          // Compose's --profile
	Exclude  []string          // services no slot runs
	Shared   []string          // volumes and networks (key or name) all slots share
	Images   map[string]string // image per non-app service
	// Swarm makes the model a Docker Swarm stack (forSwarm, swarm.go).
	Swarm bool
	// InfraPorts is the host-port range of this slot for the other services' published ports.
	InfraPortFirst, InfraPortCount int
}

// Note is one thing kickoff changed in the team's file for a slot, for `--dry-run`.
type Note struct {
	Service string `json:"service,omitempty"` // empty for a volume or network
	Key     string `json:"key"`               // build, volumes, ports, container_name, profiles, ...
	Text    string `json:"text"`
}

func (n Note) String() string {
	if n.Service == "" {
		return n.Text
	}
	return n.Service + ": " + n.Text
}

// Model is a slot's project and what kickoff changed to make it.
type Model struct {
	Project *types.Project
	Notes   []Note
	// Secret are the environment values that came from an env_file or the interpolation env
	// files (.env, --env-file), per service and key, for masking.
	Secret map[string]map[string]bool
	// DotEnv are the values of the interpolation env files, for masking values built from them.
	DotEnv []string
	// Root is the folder machine-specific paths in the model start with (the repository).
	Root string
	// Swarm: the model is a stack (forSwarm); Marshal writes it as a stack file.
	Swarm bool
}

// BuildError is a service of the team's file kickoff cannot run as written.
type BuildError struct {
	File, Service, Key, Msg string
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("%s: service %s: %s: %s", e.File, e.Service, e.Key, e.Msg)
}

// Build makes the slot's project: the team's compose file when given, loaded as Compose
// loads it (interpolation from the environment and the .env beside it or the env files,
// profiles, extends, env_file), then made safe to run once per slot:
//   - apps run kickoff's image by digest on kickoff's host port: their build: and bind mounts
//     (but KeepMounts) go;
//   - other services keep their published ports' bind address on ports of the slot's range,
//     and run their image: (or Images'), never a build;
//   - volumes and networks are the slot's own unless external or Shared;
//   - fixed container names go; Exclude'd services go.
//
// Every change is a Note.
func Build(ctx context.Context, s Spec) (*Model, error) {
	m := &Model{Project: &types.Project{Name: s.Project, Services: types.Services{}}, Secret: map[string]map[string]bool{}, Root: s.WorkDir}
	if s.Base != "" {
		if err := m.load(ctx, s); err != nil {
			return nil, err
		}
		if err := m.overlayTeamFile(s); err != nil {
			return nil, err
		}
	}
	m.placeApps(s)
	if s.Swarm {
		if err := m.forSwarm(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Model) load(ctx context.Context, s Spec) error {
	base := s.Base
	if !filepath.IsAbs(base) {
		base = filepath.Join(s.WorkDir, base)
	}
	environ := s.Environ
	if environ == nil {
		environ = os.Environ()
	}
	var envFiles []string
	for _, f := range s.EnvFiles {
		if !filepath.IsAbs(f) {
			f = filepath.Join(s.WorkDir, f)
		}
		envFiles = append(envFiles, f)
	}
	opts, err := cli.NewProjectOptions([]string{base},
		cli.WithName(s.Project), cli.WithWorkingDirectory(filepath.Dir(base)),
		cli.WithEnv(environ), cli.WithEnvFiles(envFiles...), cli.WithDotEnv,
		cli.WithProfiles(s.Profiles),
		cli.WithInterpolation(true), cli.WithNormalization(true), cli.WithResolvedPaths(true))
	if err != nil {
		return fmt.Errorf("compose file %s: %w", s.Base, err)
	}
	// The values of the interpolation env files, for masking what was built from them.
	if dot, err := dotenv.GetEnvFromFile(map[string]string{}, opts.EnvFiles); err == nil {
		for _, v := range dot {
			m.DotEnv = append(m.DotEnv, v)
		}
	}
	p, err := opts.LoadProject(ctx)
	if err != nil {
		if be := missingEnvFile(s.Base, base, err); be != nil {
			return be
		}
		return fmt.Errorf("compose file %s: %w", s.Base, err)
	}
	// An app always runs, whatever profile the file gives it.
	var apps []string
	for _, a := range s.Apps {
		if _, off := p.DisabledServices[a.Name]; off {
			apps = append(apps, a.Name)
		}
	}
	if len(apps) > 0 {
		if p, err = p.WithServicesEnabled(apps...); err != nil {
			return fmt.Errorf("compose file %s: %w", s.Base, err)
		}
	}
	// env_file is read here, into environment: Compose v1 rejects the long form compose-go
	// writes back, and the slot's file must not depend on files of the deployer's machine.
	for name, svc := range p.Services {
		if len(svc.EnvFiles) == 0 {
			continue
		}
		explicit := svc.Environment
		one := types.Project{Name: p.Name, Services: types.Services{name: svc}, Environment: p.Environment}
		r, err := one.WithServicesEnvironmentResolved(true)
		if err != nil {
			return fmt.Errorf("compose file %s: service %s: env_file: %w", s.Base, name, err)
		}
		svc = r.Services[name]
		for k := range svc.Environment {
			if _, set := explicit[k]; !set {
				if m.Secret[name] == nil {
					m.Secret[name] = map[string]bool{}
				}
				m.Secret[name][k] = true
			}
		}
		p.Services[name] = svc
	}
	p.Name = s.Project
	m.Project = p
	return nil
}

// missingEnvFileRe is compose-go's error for an env_file that does not exist.
var missingEnvFileRe = regexp.MustCompile(`env file (.+) not found: `)

// missingEnvFile names the service and key of a missing env_file (compose-go names only the
// path), with the ways out; nil when err is something else.
func missingEnvFile(name, path string, err error) *BuildError {
	m := missingEnvFileRe.FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	be := &BuildError{File: name, Service: "?", Key: "env_file",
		Msg: fmt.Sprintf("%s does not exist on this machine: create it, or give it `required: false` in the file", m[1])}
	b, rerr := os.ReadFile(path)
	if rerr != nil {
		return be
	}
	var doc struct {
		Services map[string]struct {
			EnvFile yaml.Node `yaml:"env_file"`
		} `yaml:"services"`
	}
	if yaml.Unmarshal(b, &doc) != nil {
		return be
	}
	for _, svc := range sortedKeys(doc.Services) {
		n := doc.Services[svc].EnvFile
		var paths []string
		switch n.Kind {
		case yaml.ScalarNode:
			paths = append(paths, n.Value)
		case yaml.SequenceNode:
			for _, e := range n.Content {
				if e.Kind == yaml.MappingNode {
					e = lookup(e, "path")
				}
				if e != nil {
					paths = append(paths, e.Value)
				}
			}
		}
		for _, f := range paths {
			if !filepath.IsAbs(f) {
				f = filepath.Join(filepath.Dir(path), f)
			}
			if filepath.Clean(f) == filepath.Clean(m[1]) {
				be.Service = svc
				return be
			}
		}
	}
	return be
}

func (m *Model) note(service, key, format string, a ...any) {
	m.Notes = append(m.Notes, Note{Service: service, Key: key, Text: fmt.Sprintf(format, a...)})
}

func (m *Model) overlayTeamFile(s Spec) error {
	p := m.Project
	isApp := map[string]App{}
	for _, a := range s.Apps {
		isApp[a.Name] = a
	}
	for _, name := range s.Exclude {
		if _, ok := p.Services[name]; !ok {
			if _, off := p.DisabledServices[name]; !off {
				return fmt.Errorf("exclude: %s has no service %q (its services are %s)", s.Base, name, strings.Join(ServiceNames(p), ", "))
			}
		}
		delete(p.Services, name)
		m.note(name, "exclude", "not run (exclude:)")
	}
	for name, svc := range p.Services {
		for dep := range svc.DependsOn {
			if slices.Contains(s.Exclude, dep) {
				delete(svc.DependsOn, dep)
				m.note(name, "depends_on", "no longer waits for %s (excluded)", dep)
			}
		}
		if len(svc.Profiles) > 0 {
			// The slot's file is what runs: a profile left in it would keep the service down.
			m.note(name, "profiles", "runs (profile %s active)", strings.Join(svc.Profiles, ", "))
			svc.Profiles = nil
		}
		if svc.ContainerName != "" {
			m.note(name, "container_name", "container_name %s dropped (it would clash across slots)", svc.ContainerName)
			svc.ContainerName = ""
		}
		p.Services[name] = svc
	}
	var ports []portRef
	for _, name := range ServiceNames(p) {
		svc := p.Services[name]
		if a, ok := isApp[name]; ok {
			m.appFromFile(s.Base, &svc, a)
		} else {
			if err := m.infra(s, &svc); err != nil {
				return err
			}
			for i, port := range svc.Ports {
				if port.Published != "" {
					ports = append(ports, portRef{name, i})
				}
			}
		}
		p.Services[name] = svc
	}
	if err := m.placePorts(s, ports); err != nil {
		return err
	}
	m.isolate(s)
	return nil
}

type portRef struct {
	service string
	index   int
}

// placePorts gives each published port of the other services the next port of the slot's
// range, in service-name then file order, keeping its bind address (127.0.0.1 stays loopback).
func (m *Model) placePorts(s Spec, refs []portRef) error {
	if len(refs) > s.InfraPortCount {
		r := refs[len(refs)-1]
		return &BuildError{File: s.Base, Service: r.service, Key: "ports",
			Msg: fmt.Sprintf("the services publish %d host ports but each slot has %d left after its apps: raise ports.slot_stride in .kickoff.yaml, or drop the published port", len(refs), s.InfraPortCount)}
	}
	for i, r := range refs {
		svc := m.Project.Services[r.service]
		port := &svc.Ports[r.index]
		host := port.HostIP
		if host == "" {
			host = "0.0.0.0"
		}
		published := strconv.Itoa(s.InfraPortFirst + i)
		m.note(r.service, "ports", "%s:%s -> %s:%s", host, port.Published, host, published)
		port.Published = published
		m.Project.Services[r.service] = svc
	}
	return nil
}

// appFromFile makes the team's service of an app run kickoff's image only.
func (m *Model) appFromFile(file string, svc *types.ServiceConfig, a App) {
	if svc.Build != nil {
		m.note(svc.Name, "build", "build: dropped, runs the pinned image")
		svc.Build = nil
	}
	var vols []types.ServiceVolumeConfig
	for _, v := range svc.Volumes {
		if v.Type == types.VolumeTypeBind && !slices.Contains(a.KeepMounts, v.Target) {
			m.note(svc.Name, "volumes", "bind mount %s dropped (the image has the code; keep it with apps.%s.keep_mounts: [%s])", m.rel(v.Source)+":"+v.Target, svc.Name, v.Target)
			continue
		}
		if v.Type == types.VolumeTypeBind {
			m.note(svc.Name, "volumes", "bind mount %s kept (keep_mounts)", m.rel(v.Source)+":"+v.Target)
		}
		vols = append(vols, v)
	}
	svc.Volumes = vols
	if len(svc.Ports) > 0 {
		m.note(svc.Name, "ports", "published on kickoff's port for the app (the file's ports dropped)")
	}
}

// infra makes a service that is not an app runnable in every slot: an image, never a build.
func (m *Model) infra(s Spec, svc *types.ServiceConfig) error {
	if img, ok := s.Images[svc.Name]; ok {
		m.note(svc.Name, "image", "runs %s (images:)", img)
		svc.Image = img
	}
	if svc.Build != nil {
		if svc.Image == "" {
			return &BuildError{File: s.Base, Service: svc.Name, Key: "build",
				Msg: "kickoff runs images, never builds: give the service an image: (in the file, or images." + svc.Name + " in .kickoff.yaml), or list it under exclude: in .kickoff.yaml"}
		}
		m.note(svc.Name, "build", "build: dropped, runs image %s", svc.Image)
		svc.Build = nil
	}
	if svc.PullPolicy == types.PullPolicyBuild {
		svc.PullPolicy = ""
	}
	return nil
}

// isolate names every volume and network after the slot's project, so slots never share
// data, unless the file says external: true or Shared lists it.
func (m *Model) isolate(s Spec) {
	p := m.Project
	for _, key := range sortedKeys(p.Volumes) {
		v := p.Volumes[key]
		v.Name = m.isolateOne(s, "volume", key, v.Name, bool(v.External))
		p.Volumes[key] = v
	}
	for _, key := range sortedKeys(p.Networks) {
		n := p.Networks[key]
		n.Name = m.isolateOne(s, "network", key, n.Name, bool(n.External))
		p.Networks[key] = n
	}
}

// isolateOne is the name a volume or network (kind) gets in this slot, with a note saying
// why: external ones and those Shared lists keep one name for every slot; any other gets
// the slot's project prefix, even when the file gives it a name:.
func (m *Model) isolateOne(s Spec, kind, key, name string, external bool) string {
	own := m.Project.Name + "_"
	given := name != own+key
	section := kind + "s"
	switch {
	case external:
		m.note("", section, "%s", kind+" "+key+": external "+name+", shared by every slot")
	case slices.Contains(s.Shared, key) || slices.Contains(s.Shared, name):
		name = m.sharedName(s, key, name, given)
		m.note("", section, "%s", kind+" "+key+": "+name+", shared by every slot (shared:)")
	case given:
		m.note("", section, "%s", kind+" "+key+": name "+name+" becomes "+own+name+" (per slot; list it under shared: to share)")
		name = own + name
	}
	return name
}

// sharedName is the one name every slot uses for a shared volume or network: the file's name:,
// else <prefix>_<key>.
func (m *Model) sharedName(s Spec, key, name string, given bool) string {
	if given {
		return name
	}
	return s.Prefix + "_" + key
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// rel shows a path of the model relative to the repository, for notes.
func (m *Model) rel(path string) string {
	if m.Root != "" {
		if r, err := filepath.Rel(m.Root, path); err == nil && !strings.HasPrefix(r, "..") {
			return "./" + filepath.ToSlash(r)
		}
	}
	return path
}

// placeApps sets each app's service to its image, environment, host port and labels.
func (m *Model) placeApps(s Spec) {
	p := m.Project
	for _, a := range s.Apps {
		svc, ok := p.Services[a.Name]
		if !ok {
			svc = types.ServiceConfig{Name: a.Name}
		}
		svc.Name = a.Name
		svc.Image = a.Image
		svc.Build = nil
		svc.PullPolicy = ""
		if svc.Restart == "" {
			svc.Restart = types.RestartPolicyUnlessStopped
		}
		env := types.MappingWithEquals{}
		for k, v := range svc.Environment {
			env[k] = v
		}
		for _, e := range []map[string]string{a.Env, s.Env} {
			for k, v := range e {
				env[k] = &v
			}
		}
		svc.Environment = env
		published := strconv.Itoa(a.HostPort)
		if a.AltHostPort > 0 {
			published += "-" + strconv.Itoa(a.AltHostPort)
		}
		svc.Ports = []types.ServicePortConfig{{
			Target: uint32(a.Port), Published: published, Protocol: "tcp", Mode: "ingress",
		}}
		if svc.Labels == nil {
			svc.Labels = types.Labels{}
		}
		svc.Labels[LabelSlot] = s.Slot
		svc.Labels[LabelApp] = a.Name
		p.Services[a.Name] = svc
	}
}

// ServiceNames lists the model's services in name order.
func ServiceNames(p *types.Project) []string {
	names := p.ServiceNames()
	slices.Sort(names)
	return names
}
