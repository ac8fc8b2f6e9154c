package compose

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A swarm slot's model is the team's file made into a stack: overlay networks of the slot,
// host-mode ports, restart as a restart policy, and every change a note; the stack loader
// of the docker CLI accepts the file as written.
func TestSwarmModelIsAStackFile(t *testing.T) {
	s := teamSpec(teamFile(t), "dev1", 20101)
	s.Swarm = true
	m, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Marshal(m.Project)
	if err != nil {
		t.Fatal(err)
	}
	file := string(b)
	for _, want := range []string{
		"version: \"3.8\"\n",
		"  default:\n    name: acme-dev1_default\n    driver: overlay\n    attachable: true",
		"mode: host\n        target: 8080\n        published: 20100\n",
		"restart_policy:\n        condition: any",
	} {
		if !strings.Contains(file, want) {
			t.Errorf("stack file lacks %q:\n%s", want, file)
		}
	}
	for _, gone := range []string{"depends_on", "restart: unless-stopped", "container_name", "build:", "create_host_path", "20101"} {
		if strings.Contains(file, gone) {
			t.Errorf("stack file still has %q:\n%s", gone, file)
		}
	}
	var notes []string
	for _, n := range m.Notes {
		notes = append(notes, n.String())
	}
	all := strings.Join(notes, "\n")
	for _, want := range []string{
		"be: depends_on db dropped: swarm starts services together",
		"db: 127.0.0.1:20101:3306 not published: swarm cannot bind one address",
		"be: restart: unless-stopped -> deploy.restart_policy.condition: any",
		"be: bind mount ./deploy/uploads:/data: the folder must exist on the node",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("notes lack %q:\n%s", want, all)
		}
	}
	// The compose model of the same slot is unchanged by the option.
	s.Swarm = false
	c, err := Build(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if cb, _ := c.Marshal(c.Project); strings.Contains(string(cb), "overlay") || strings.Contains(string(cb), "version:") {
		t.Errorf("compose model has swarm's changes:\n%s", cb)
	}
	if _, err := exec.LookPath("docker"); err != nil {
		t.Log("no docker CLI: the stack loader's check is skipped")
		return
	}
	path := filepath.Join(t.TempDir(), "stack.yaml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("docker", "stack", "config", "-c", path).CombinedOutput()
	if err != nil && strings.Contains(string(out), "unknown") {
		t.Logf("this docker CLI has no `docker stack config`: the stack loader's check is skipped (%s)", out)
		return
	}
	if err != nil {
		t.Fatalf("docker stack config refuses the file: %v\n%s\n%s", err, out, file)
	}
}
