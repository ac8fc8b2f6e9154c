package compose

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"
)

// Marshal writes the model as a compose file both Compose v2 and v1 (1.29) accept: no
// top-level name (the project name is given on the command line), no
// `depends_on.*.required: true` (the default, which compose-go spells out and v1 rejects),
// and ports in the short syntax (v1 rejects `host_ip` in the long one).
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
		if ports := lookup(svc, "ports"); ports != nil && ports.Kind == yaml.SequenceNode {
			for i, port := range ports.Content {
				if short, ok := shortPort(port); ok {
					ports.Content[i] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: short}
					changed = true
				}
			}
		}
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

// shortPort writes a long-syntax port as [host_ip:]published:target[/protocol], when it has
// nothing the short syntax cannot say.
func shortPort(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.MappingNode {
		return "", false
	}
	f := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		f[n.Content[i].Value] = n.Content[i+1].Value
	}
	for k, v := range f {
		switch {
		case k == "mode" && v == "ingress", k == "host_ip", k == "target", k == "published", k == "protocol":
		default:
			return "", false
		}
	}
	if f["target"] == "" {
		return "", false
	}
	s := f["target"]
	if f["published"] != "" {
		s = f["published"] + ":" + s
		if f["host_ip"] != "" {
			s = f["host_ip"] + ":" + s
		}
	}
	if p := f["protocol"]; p != "" && p != "tcp" {
		s += "/" + p
	}
	return s, true
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

// Canonical is the rendered file with the repository's path taken out: the same kickoff
// rendered from another clone, CI or another machine gives the same bytes, and any change of
// image digest, environment, ports, volumes or command different ones. The slot's
// fingerprint is a keyed hash of it (the values in it are secrets).
func (m *Model) Canonical(rendered []byte) []byte {
	if m.Root == "" {
		return rendered
	}
	return bytes.ReplaceAll(rendered, []byte(strings.TrimRight(m.Root, "/")+"/"), []byte("./"))
}

// Masked is the mask shown instead of a secret value.
const Masked = "********"

// secretKeyRe are environment variable names whose values are secrets whatever their source.
var secretKeyRe = regexp.MustCompile(`(?i)(pass|secret|token|key|credential|auth|private|cert|dsn|salt)`)

// minDotEnvLen: values of the interpolation env files shorter than this are too common
// (true, 1, db) to mask every value that contains them.
const minDotEnvLen = 4

// SecretValue reports whether the value of key in service's environment is masked: its name
// looks secret, it came from an env_file, or it holds a value of the interpolation env files
// (.env, compose_env_files).
func (m *Model) SecretValue(service, key, value string) bool {
	if secretKeyRe.MatchString(key) || m.Secret[service][key] {
		return true
	}
	for _, d := range m.DotEnv {
		if len(d) >= minDotEnvLen && strings.Contains(value, d) {
			return true
		}
	}
	return false
}

// Masked returns a copy of the project with every secret environment value masked.
func (m *Model) Masked() *types.Project {
	cp := *m.Project
	cp.Services = types.Services{}
	for name, svc := range m.Project.Services {
		env := types.MappingWithEquals{}
		for k, v := range svc.Environment {
			if v != nil && m.SecretValue(name, k, *v) {
				masked := Masked
				v = &masked
			}
			env[k] = v
		}
		svc.Environment = env
		cp.Services[name] = svc
	}
	return &cp
}
