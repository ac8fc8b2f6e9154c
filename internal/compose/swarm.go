package compose

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"
)

// A swarm slot runs the same model as a Docker Swarm stack (`docker stack deploy`). forSwarm
// is the one place the model is made into what the stack loader takes and swarm honours:
//   - the slot's networks are overlay networks of its own, attachable (so `docker run
//     --network` and the lock's checks can join them); service names stay host names;
//   - published ports are in host mode on the slot's ports: the ingress routing mesh is
//     never relied on (it does not work on every host, and it would publish on every node);
//     a port bound to one address (127.0.0.1:...) is not published, swarm cannot bind one;
//   - service names resolve to the tasks' addresses (endpoint_mode: dnsrr), not through the
//     mesh's virtual IPs;
//   - restart: becomes deploy.restart_policy; depends_on goes (swarm starts services
//     together: an app retries until what it needs answers);
//   - keys the stack loader refuses or ignores are dropped (stackFile): each change a Note.

// StackVersion is the compose file version a stack file declares: the newest one Docker
// 20.10's stack loader takes.
const StackVersion = "3.8"

// restartPolicies maps restart: to swarm's restart_policy condition.
var restartPolicies = map[string]string{
	types.RestartPolicyNo: "none", types.RestartPolicyAlways: "any",
	types.RestartPolicyUnlessStopped: "any", types.RestartPolicyOnFailure: "on-failure",
}

// forSwarm makes the model a stack of its own project.
func (m *Model) forSwarm() error {
	p := m.Project
	m.Swarm = true
	if p.Networks == nil {
		p.Networks = types.Networks{}
	}
	if _, ok := p.Networks["default"]; !ok {
		p.Networks["default"] = types.NetworkConfig{Name: p.Name + "_default"}
	}
	own := p.Name + "_"
	for _, key := range sortedKeys(p.Networks) {
		n := p.Networks[key]
		switch {
		case bool(n.External):
			m.note("", "networks", "network %s: external %s must be an attachable overlay network of the swarm", key, n.Name)
		case !strings.HasPrefix(n.Name, own):
			n.External = true
			n.Driver, n.DriverOpts, n.Attachable, n.Labels, n.Ipam = "", nil, false, nil, types.IPAMConfig{}
			m.note("", "networks", "network %s: %s is shared by every slot: on swarm create it once (docker network create --driver overlay --attachable %s)", key, n.Name, n.Name)
		default:
			if n.Driver != "" && n.Driver != "overlay" {
				m.note("", "networks", "network %s: driver %s becomes overlay (swarm)", key, n.Driver)
				n.DriverOpts = nil
			}
			n.Driver, n.Attachable = "overlay", true
		}
		p.Networks[key] = n
	}
	oneShot := map[string]bool{}
	for _, svc := range p.Services {
		for dep, d := range svc.DependsOn {
			if d.Condition == types.ServiceConditionCompletedSuccessfully {
				oneShot[dep] = true
			}
		}
	}
	for _, name := range ServiceNames(p) {
		svc := p.Services[name]
		if len(svc.DependsOn) > 0 {
			deps := make([]string, 0, len(svc.DependsOn))
			for dep := range svc.DependsOn {
				deps = append(deps, dep)
			}
			slices.Sort(deps)
			m.note(name, "depends_on", "depends_on %s dropped: swarm starts services together (the service must retry until they answer)", strings.Join(deps, ", "))
			svc.DependsOn = nil
		}
		m.restartPolicy(&svc, oneShot[name])
		var ports []types.ServicePortConfig
		for _, port := range svc.Ports {
			if port.Published == "" {
				continue // not published: reached inside the slot's network only
			}
			if port.HostIP != "" && port.HostIP != "0.0.0.0" && port.HostIP != "::" {
				m.note(name, "ports", "%s:%s:%d not published: swarm cannot bind one address (reach it with `kickoff slot exec`)", port.HostIP, port.Published, port.Target)
				continue
			}
			port.Mode, port.HostIP, port.Name, port.AppProtocol = "host", "", "", ""
			ports = append(ports, port)
		}
		svc.Ports = ports
		if svc.Scale != nil {
			m.note(name, "scale", "scale dropped: one task per service (its host port)")
			svc.Scale = nil
		}
		if svc.Deploy != nil && svc.Deploy.Replicas != nil && *svc.Deploy.Replicas != 1 && len(svc.Ports) > 0 {
			return &BuildError{File: "the slot's stack", Service: name, Key: "deploy.replicas",
				Msg: "a service publishing a host port runs one task per node: drop replicas: (or the published port)"}
		}
		for _, v := range svc.Volumes {
			if v.Type == types.VolumeTypeBind {
				m.note(name, "volumes", "bind mount %s: the folder must exist on the node the task runs on (swarm does not create it)", m.rel(v.Source)+":"+v.Target)
			}
		}
		if hc := svc.HealthCheck; hc != nil && hc.StartInterval != nil {
			m.note(name, "healthcheck", "start_interval dropped (swarm has none)")
			hc.StartInterval = nil
		}
		// The service name resolves to its tasks' addresses (dnsrr), not to a virtual IP: the
		// virtual IPs go through the same IPVS load balancing as the ingress mesh.
		if svc.Deploy == nil {
			svc.Deploy = &types.DeployConfig{}
		}
		svc.Deploy.EndpointMode = "dnsrr"
		svc.ContainerName, svc.Build, svc.PullPolicy = "", nil, ""
		p.Services[name] = svc
	}
	// What the stack loader would refuse or ignore beyond these, named once here.
	b, err := p.MarshalYAML()
	if err != nil {
		return err
	}
	if _, dropped, err := stackFile(b); err != nil {
		return err
	} else {
		m.Notes = append(m.Notes, dropped...)
	}
	return nil
}

// restartPolicy turns restart: into deploy.restart_policy (unless the file gives one); a
// service others wait for to complete runs until it succeeds.
func (m *Model) restartPolicy(svc *types.ServiceConfig, oneShot bool) {
	restart := svc.Restart
	svc.Restart = ""
	if svc.Deploy != nil && svc.Deploy.RestartPolicy != nil {
		if restart != "" {
			m.note(svc.Name, "restart", "restart: %s dropped (deploy.restart_policy given)", restart)
		}
		return
	}
	cond, max := "", ""
	switch {
	case oneShot:
		cond = "on-failure"
	case restart == "":
		return // swarm's default: any
	default:
		r, n, _ := strings.Cut(restart, ":")
		cond, max = restartPolicies[r], n
		if cond == "" {
			m.note(svc.Name, "restart", "restart: %s dropped (swarm restarts on any exit)", restart)
			return
		}
	}
	if svc.Deploy == nil {
		svc.Deploy = &types.DeployConfig{}
	}
	svc.Deploy.RestartPolicy = &types.RestartPolicy{Condition: cond}
	if n, err := strconv.ParseUint(max, 10, 64); err == nil {
		svc.Deploy.RestartPolicy.MaxAttempts = &n
	}
	if oneShot {
		m.note(svc.Name, "restart", "runs once: deploy.restart_policy on-failure (others waited for it to complete)")
		return
	}
	m.note(svc.Name, "restart", "restart: %s -> deploy.restart_policy.condition: %s", restart, cond)
}

// stackServiceKeys are the service keys of the version 3.8 file swarm honours; the stack
// loader refuses the others (pull_policy, mem_limit, platform...) or ignores them (build,
// container_name, links, network_mode, privileged...).
var stackServiceKeys = []string{
	"cap_add", "cap_drop", "command", "configs", "credential_spec", "deploy", "dns", "dns_search",
	"domainname", "entrypoint", "environment", "expose", "extra_hosts", "healthcheck", "hostname",
	"image", "init", "isolation", "labels", "logging", "networks", "ports", "read_only", "secrets",
	"stop_grace_period", "stop_signal", "sysctls", "tmpfs", "tty", "stdin_open", "ulimits", "user",
	"volumes", "working_dir",
}

// stackSubKeys are the keys of a port or a mount in the long syntax of version 3.8.
var stackSubKeys = map[string][]string{
	"ports":   {"mode", "target", "published", "protocol"},
	"volumes": {"type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs"},
	"bind":    {"propagation"},
	"volume":  {"nocopy"},
	"tmpfs":   {"size"},
}

// stackFile writes a compose-go document as a stack file: the version first, ports'
// published as numbers, and what version 3.8 has no key for dropped (returned as notes).
func stackFile(b []byte) ([]byte, []Note, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, nil, err
	}
	root := doc.Content[0]
	var notes []Note
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "name" {
			root.Content = append(root.Content[:i], root.Content[i+2:]...)
			break
		}
	}
	root.Content = append([]*yaml.Node{
		{Kind: yaml.ScalarNode, Value: "version"}, {Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.DoubleQuotedStyle, Value: StackVersion},
	}, root.Content...)
	services := lookup(root, "services")
	for i := 0; services != nil && i+1 < len(services.Content); i += 2 {
		name, svc := services.Content[i].Value, services.Content[i+1]
		for j := 0; j+1 < len(svc.Content); {
			key := svc.Content[j].Value
			if !slices.Contains(stackServiceKeys, key) && !strings.HasPrefix(key, "x-") {
				notes = append(notes, Note{Service: name, Key: key, Text: key + " dropped (docker stack deploy does not take it)"})
				svc.Content = append(svc.Content[:j], svc.Content[j+2:]...)
				continue
			}
			j += 2
		}
		for _, list := range []string{"ports", "volumes"} {
			seq := lookup(svc, list)
			if seq == nil || seq.Kind != yaml.SequenceNode {
				continue
			}
			for _, item := range seq.Content {
				trim(item, list)
				if list == "ports" {
					if pub := lookup(item, "published"); pub != nil {
						if _, err := strconv.Atoi(pub.Value); err == nil {
							pub.Tag, pub.Style = "!!int", 0
						}
					}
				}
			}
		}
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, nil, err
	}
	return out.Bytes(), notes, nil
}

// trim drops the keys of a long-syntax mapping (a port, a mount and its options) version
// 3.8 does not have: compose-go spells out create_host_path, host_ip, app_protocol.
func trim(n *yaml.Node, kind string) {
	keep, ok := stackSubKeys[kind]
	if !ok || n.Kind != yaml.MappingNode {
		return
	}
	for j := 0; j+1 < len(n.Content); {
		key := n.Content[j].Value
		if !slices.Contains(keep, key) {
			n.Content = append(n.Content[:j], n.Content[j+2:]...)
			continue
		}
		trim(n.Content[j+1], key)
		j += 2
	}
}

// MarshalStack writes a swarm slot's model as the stack file `docker stack deploy -c` reads.
func MarshalStack(p *types.Project) ([]byte, error) {
	cp := *p
	cp.Name = ""
	b, err := cp.MarshalYAML()
	if err != nil {
		return nil, err
	}
	out, _, err := stackFile(b)
	if err != nil {
		return nil, fmt.Errorf("stack file: %w", err)
	}
	return out, nil
}

// Marshal writes p, the model's project or its masked copy, as the slot's file: a stack file
// for a swarm slot, else a compose file.
func (m *Model) Marshal(p *types.Project) ([]byte, error) {
	if m.Swarm {
		return MarshalStack(p)
	}
	return Marshal(p)
}
