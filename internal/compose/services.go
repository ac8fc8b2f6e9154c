package compose

import (
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"
)

// FileService is one service of a slot's rendered compose file, as `slot status` reads it
// back to know what the slot runs besides its apps.
type FileService struct {
	Name  string
	Image string
	// OneShot marks a service another one waits for with service_completed_successfully: it
	// has done its job when it exited with 0 (a migration), not when it keeps running.
	OneShot bool
}

// ReadServices lists the services of a compose file, in name order.
func ReadServices(file []byte) ([]FileService, error) {
	var doc struct {
		Services map[string]struct {
			Image     string    `yaml:"image"`
			DependsOn yaml.Node `yaml:"depends_on"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(file, &doc); err != nil {
		return nil, fmt.Errorf("read compose file: %w", err)
	}
	oneShot := map[string]bool{}
	for _, svc := range doc.Services {
		// The long form only: the short one (a list) has no condition.
		n := &svc.DependsOn
		if n.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if c := lookup(n.Content[i+1], "condition"); c != nil && c.Value == "service_completed_successfully" {
				oneShot[n.Content[i].Value] = true
			}
		}
	}
	out := make([]FileService, 0, len(doc.Services))
	for name, svc := range doc.Services {
		out = append(out, FileService{Name: name, Image: svc.Image, OneShot: oneShot[name]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
