package compose

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/compose-spec/compose-go/v2/cli"
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
	Image    string // full reference, by digest: host/repo@sha256:...
	Port     int    // the port the app listens on inside its container
	HostPort int    // the port published on the Docker host
	Env      map[string]string
}

// Spec is everything a slot's model is built from.
type Spec struct {
	Project string // compose project name, e.g. acme-dev3
	Slot    string
	Apps    []App
	Env     map[string]string // given to every app container (KICKOFF_SLOT, ...)
	Base    string            // optional: the team's own compose file, overlaid per slot
	WorkDir string            // folder relative paths of Base resolve against
}

// Model builds the slot's project: the team's compose file when given, with each app's
// service set to its image, environment and host port; every service on the project's own
// default network, so apps reach each other by service name and never through the host.
// Published ports of services that are not kickoff apps are dropped (they would clash
// across slots), as are fixed container names.
func Model(ctx context.Context, s Spec) (*types.Project, error) {
	p := &types.Project{Name: s.Project, Services: types.Services{}}
	if s.Base != "" {
		base := s.Base
		if !filepath.IsAbs(base) {
			base = filepath.Join(s.WorkDir, base)
		}
		opts, err := cli.NewProjectOptions([]string{base},
			cli.WithName(s.Project), cli.WithWorkingDirectory(filepath.Dir(base)),
			cli.WithInterpolation(true), cli.WithNormalization(true), cli.WithResolvedPaths(true))
		if err != nil {
			return nil, fmt.Errorf("compose file %s: %w", s.Base, err)
		}
		loaded, err := opts.LoadProject(ctx)
		if err != nil {
			return nil, fmt.Errorf("compose file %s: %w", s.Base, err)
		}
		p = loaded
		p.Name = s.Project
	}
	isApp := map[string]bool{}
	for _, a := range s.Apps {
		isApp[a.Name] = true
	}
	for name, svc := range p.Services {
		svc.ContainerName = ""
		if !isApp[name] {
			for i := range svc.Ports {
				svc.Ports[i].Published, svc.Ports[i].HostIP = "", ""
			}
		}
		p.Services[name] = svc
	}
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
		for _, m := range []map[string]string{a.Env, s.Env} {
			for k, v := range m {
				env[k] = &v
			}
		}
		svc.Environment = env
		svc.Ports = []types.ServicePortConfig{{
			Target: uint32(a.Port), Published: strconv.Itoa(a.HostPort), Protocol: "tcp", Mode: "ingress",
		}}
		if svc.Labels == nil {
			svc.Labels = types.Labels{}
		}
		svc.Labels[LabelSlot] = s.Slot
		svc.Labels[LabelApp] = a.Name
		p.Services[a.Name] = svc
	}
	return p, nil
}

// Marshal writes the model as a compose file both Compose v2 and v1 (1.29) accept: no
// top-level name (the project name is given on the command line), and no
// `depends_on.*.required: true` (the default, which compose-go spells out and v1 rejects).
func Marshal(p *types.Project) ([]byte, error) {
	cp := *p
	cp.Name = ""
	b, err := cp.MarshalYAML()
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	changed := false
	for _, svc := range mapValues(lookup(doc.Content[0], "services")) {
		for _, dep := range mapValues(lookup(svc, "depends_on")) {
			if dep.Kind != yaml.MappingNode {
				continue
			}
			for i := 0; i+1 < len(dep.Content); i += 2 {
				if dep.Content[i].Value == "required" && dep.Content[i+1].Value == "true" {
					dep.Content = append(dep.Content[:i], dep.Content[i+2:]...)
					changed = true
					break
				}
			}
		}
	}
	if !changed {
		return b, nil
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func mapValues(m *yaml.Node) []*yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	var out []*yaml.Node
	for i := 1; i < len(m.Content); i += 2 {
		out = append(out, m.Content[i])
	}
	return out
}

// ServiceNames lists the model's services in name order.
func ServiceNames(p *types.Project) []string {
	names := p.ServiceNames()
	slices.Sort(names)
	return names
}
