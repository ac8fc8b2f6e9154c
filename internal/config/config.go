package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// FileName is the configuration file looked up at the repository root.
const FileName = ".kickoff.yaml"

// Defaults: every setting has one, so no command needs a file.
const (
	DefaultMain            = "main"
	DefaultRemote          = "origin"
	DefaultFeatureTemplate = "feature/{{key}}-{{summary-slug}}"
	DefaultTagPrefix       = "platform/v"
	DefaultBump            = "minor"
	DefaultImageTag        = "{{.Branch}}-{{.ShortSHA}}"
	DefaultBasePort        = 20000
	DefaultSlotStride      = 100
	DefaultLedgerKeep      = 100
	DefaultHealthTimeout   = 60 * time.Second
	DefaultJiraTransition  = "In Progress"
	DefaultVersionName     = "platform/v{{version}}"
)

// Config is the whole of .kickoff.yaml. Field tags name the YAML keys; the environment
// variable for a field is KICKOFF_ followed by the upper-cased key path joined by
// underscores (jira.url -> KICKOFF_JIRA_URL).
type Config struct {
	Main     string `yaml:"main"`
	Remote   string `yaml:"remote"`
	Timezone string `yaml:"timezone"`
	// Repos are the platform's other repositories by name (repos.go): lifecycle commands
	// work in each as well as in this one. None: this repository alone.
	Repos map[string]RepoSpec `yaml:"repos"`

	Feature   Feature   `yaml:"feature"`
	Jira      Jira      `yaml:"jira"`
	Versions  Versions  `yaml:"versions"`
	Conflicts Conflicts `yaml:"conflicts"`
	GitHub    GitHub    `yaml:"github"`

	// Slots.
	Project  string         `yaml:"project"` // compose project prefix: <project>-<slot>
	Registry string         `yaml:"registry"`
	ImageTag string         `yaml:"image_tag"`
	Slots    []string       `yaml:"slots"`
	Apps     map[string]App `yaml:"apps"`
	Compose  string         `yaml:"compose"`
	// ComposeEnvFiles are Compose's --env-file: the variables ${VAR} in the compose file is
	// interpolated from (after the environment), relative to the repository root. None: the
	// .env beside the compose file, as Compose reads it.
	ComposeEnvFiles []string `yaml:"compose_env_files"`
	ComposeProfiles []string `yaml:"compose_profiles"` // Compose's --profile; apps always run
	// Exclude lists services of the compose file no slot runs (e.g. one only built locally).
	Exclude []string `yaml:"exclude"`
	// Shared lists volumes and networks (by key or name) every slot shares; all others are
	// per slot, whatever name: the file gives them.
	Shared []string `yaml:"shared"`
	// Images gives a non-app service of the compose file the image to run (a mirror, or one
	// for a service the file only builds).
	Images map[string]string `yaml:"images"`
	Ports  Ports             `yaml:"ports"`
	Hosts  map[string]string `yaml:"hosts"` // slot -> docker host (ssh://..., unix://...)
	// Engine is how slots run on their Docker host: compose (a Compose project, the default)
	// or swarm (a Docker Swarm stack, the host a swarm manager); Engines overrides it per
	// slot, keyed like hosts: (engines.go).
	Engine   string            `yaml:"engine"`
	Engines  map[string]string `yaml:"engines"`
	StateDir string            `yaml:"state_dir"`

	Routing Routing `yaml:"routing"`
	Ledger  Ledger  `yaml:"ledger"`

	// Path is the file the config came from, empty when defaults only.
	Path string `yaml:"-"`

	trust trust // where settings came from, and what CI made kickoff ignore: trust.go
}

type Feature struct {
	Template string `yaml:"template"`
}

type Jira struct {
	URL             string `yaml:"url"`
	User            string `yaml:"user"`
	Token           string `yaml:"token"`
	Transition      string `yaml:"transition"`        // moved to on `kickoff feature`; "" = don't move
	FixVersion      bool   `yaml:"fix_version"`       // create and set fixVersion on version assignment
	VersionName     string `yaml:"version_name"`      // name template of the Jira version
	CommentOnDeploy bool   `yaml:"comment_on_deploy"` // comment issues when they land on / leave a slot
	// Projects are the team's Jira project keys: only their PROJ-123 count as issues in
	// branch names and commit messages. None: the projects Jira lists, when configured.
	Projects []string `yaml:"projects"`
	// Withheld says why no credentials may go to URL ("" when they may): see trust.go.
	Withheld string `yaml:"-"`
}

// Enabled reports whether Jira is configured.
func (j Jira) Enabled() bool { return j.URL != "" }

type Versions struct {
	TagPrefix string `yaml:"tag_prefix"`
	Bump      string `yaml:"bump"`
}

type Conflicts struct {
	FailOnKickoff bool `yaml:"fail_on_kickoff"` // a conflict with another kickoff fails `check`
}

type GitHub struct {
	APIURL string `yaml:"api_url"` // for GitHub Enterprise; default api.github.com
	// Hosts are GitHub Enterprise hosts whose HTTPS remotes get GITHUB_TOKEN (github.com always does).
	Hosts []string `yaml:"hosts"`
}

type App struct {
	Image         string        `yaml:"image"`
	Port          int           `yaml:"port"`
	Health        string        `yaml:"health"`
	HealthHost    string        `yaml:"health_host"`
	HealthTimeout time.Duration `yaml:"health_timeout"`
	// Repo is the app's git repository when not this one: a name under repos: when
	// repos: is set, else the repository's URL (see AppRepoURL).
	Repo        string            `yaml:"repo"`
	Env         map[string]string `yaml:"env"`
	StripPrefix *bool             `yaml:"strip_prefix"`
	// KeepMounts lists the container paths of the app's bind mounts in the compose file that
	// hold data, not code: they stay; every other bind mount of an app is dropped.
	KeepMounts []string `yaml:"keep_mounts"`
}

type Ports struct {
	Base       int `yaml:"base"`
	SlotStride int `yaml:"slot_stride"`
}

type Routing struct {
	Mode         string `yaml:"mode"` // host | path
	Domain       string `yaml:"domain"`
	Driver       string `yaml:"driver"` // local | alb
	HostTemplate string `yaml:"host_template"`
	ListenerARN  string `yaml:"listener_arn"`
	VPCID        string `yaml:"vpc_id"`
	InstanceID   string `yaml:"instance_id"`
	// Instances are the EC2 instances of the Docker hosts of hosts: by host name as written
	// there (ssh://deploy@qa-2 -> qa-2): the ALB's target for a slot on that host.
	// instance_id is the local engine's.
	Instances   map[string]string `yaml:"instances"`
	Route53Zone string            `yaml:"route53_zone"`
	Region      string            `yaml:"region"`
	Endpoint    string            `yaml:"endpoint"` // AWS endpoint override (tests, LocalStack)
	// Switch is how a release replaces a changed app's container: side-by-side (the new one
	// starts on the app's second host port, traffic moves when it is healthy, then the old
	// one stops) or recreate (Compose's stop-then-start, the default). Side by side gives each
	// app two host ports and moves its container between them: only traffic through the
	// built-in router or the ALB follows it.
	Switch string `yaml:"switch"`
}

// Switches of routing.switch.
const (
	SwitchSideBySide = "side-by-side"
	SwitchRecreate   = "recreate"
)

// SideBySide reports whether releases start a changed app's new container beside the old
// one (routing.switch).
func (c *Config) SideBySide() bool {
	switch c.Routing.Switch {
	case SwitchSideBySide:
		return true
	}
	return false
}

type Ledger struct {
	Backend  string `yaml:"backend"` // file | s3
	Bucket   string `yaml:"bucket"`
	Prefix   string `yaml:"prefix"`
	Keep     int    `yaml:"keep"`
	Region   string `yaml:"region"`
	Endpoint string `yaml:"endpoint"`
}

// Default returns the configuration used when no file exists.
func Default() *Config {
	return &Config{
		Main:     DefaultMain,
		Remote:   DefaultRemote,
		Timezone: "Local",
		Feature:  Feature{Template: DefaultFeatureTemplate},
		Jira:     Jira{Transition: DefaultJiraTransition, VersionName: DefaultVersionName},
		Versions: Versions{TagPrefix: DefaultTagPrefix, Bump: DefaultBump},
		ImageTag: DefaultImageTag,
		Slots:    []string{"dev1", "dev2", "dev3", "dev4"},
		Ports:    Ports{Base: DefaultBasePort, SlotStride: DefaultSlotStride},
		Routing:  Routing{Mode: "path", Driver: "local", Domain: "localhost", HostTemplate: "{slot}-{app}.{domain}"},
		Ledger:   Ledger{Backend: "file", Keep: DefaultLedgerKeep, Prefix: "kickoff/ledger/"},
	}
}

// Load reads dir/.kickoff.yaml if it exists over the defaults, then applies KICKOFF_*
// variables from env (os.Environ when nil), then validates: LoadSources with those two.
func Load(dir string, env []string) (*Config, error) {
	return LoadSources(Sources{Dir: dir, Env: env})
}

func (c *Config) source() string {
	if c.Path == "" {
		return "configuration"
	}
	return FileName
}

// Parse decodes YAML strictly onto c: unknown keys and values of the wrong kind are errors
// naming the line, the key path and what it takes. Documents beyond the bounds of
// MaxFileSize, MaxKeys, MaxNodes and MaxDepth are refused first.
func Parse(data []byte, c *Config) error {
	_, err := parse(data, c)
	return err
}

// parse is Parse returning the document's tree (nil for an empty file).
func parse(data []byte, c *Config) (*yaml.Node, error) {
	doc, err := checkShape(data)
	if err != nil || doc == nil {
		return nil, err
	}
	if err := checkSchema(doc); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) { // io.EOF: an empty file
		return nil, plainYAML(err)
	}
	return doc, nil
}

// Validate checks values that parse but make no sense, naming the key and the fix.
func (c *Config) Validate() error {
	if c.Main == "" {
		return errors.New("main: must name the trunk branch (default \"main\")")
	}
	if _, err := c.Location(); err != nil {
		return fmt.Errorf("timezone: %q is not a time zone name such as Asia/Seoul or UTC", c.Timezone)
	}
	switch c.Versions.Bump {
	case "major", "minor", "patch":
	default:
		return fmt.Errorf("versions.bump: %q must be major, minor or patch", c.Versions.Bump)
	}
	switch c.Routing.Mode {
	case "host", "path":
	default:
		return fmt.Errorf("routing.mode: %q must be host or path", c.Routing.Mode)
	}
	switch c.Routing.Driver {
	case "local", "alb":
	default:
		return fmt.Errorf("routing.driver: %q must be local or alb", c.Routing.Driver)
	}
	if !ValidHost(c.Routing.Domain) {
		return fmt.Errorf("routing.domain: %q is not a valid host name (letters, digits, dashes and dots, e.g. dev.acme.io)", c.Routing.Domain)
	}
	switch c.Routing.Switch {
	case "", SwitchSideBySide, SwitchRecreate:
	default:
		return fmt.Errorf("routing.switch: %q must be side-by-side or recreate", c.Routing.Switch)
	}
	switch c.Ledger.Backend {
	case "file":
	case "s3":
		if c.Ledger.Bucket == "" {
			return errors.New("ledger.bucket: the s3 ledger needs a bucket name")
		}
	default:
		return fmt.Errorf("ledger.backend: %q must be file or s3", c.Ledger.Backend)
	}
	for _, p := range c.Jira.Projects {
		if !kickoff.ProjectKeyRe.MatchString(p) {
			return fmt.Errorf("jira.projects: %q is not a Jira project key (capital letters and digits, e.g. PROJ)", p)
		}
	}
	seen := map[string]bool{}
	for _, s := range c.Slots {
		if !IsSlotName(s) {
			return fmt.Errorf("slots: %q is not a slot name (lowercase letter first, then letters, digits, dashes)", s)
		}
		if seen[s] {
			return fmt.Errorf("slots: %q is listed twice", s)
		}
		seen[s] = true
	}
	for name, a := range c.Apps {
		if !IsAppName(name) {
			return fmt.Errorf("apps.%s: app names are lowercase letters, digits, dashes and underscores", name)
		}
		if a.Image == "" {
			return fmt.Errorf("apps.%s.image: every app needs the image repository name CI pushes to", name)
		}
	}
	if err := c.checkRepos(); err != nil {
		return err
	}
	for _, svc := range c.Exclude {
		if _, ok := c.Apps[svc]; ok {
			return fmt.Errorf("exclude: %q is an app; every slot runs every app (remove it from exclude:)", svc)
		}
	}
	for svc := range c.Images {
		if _, ok := c.Apps[svc]; ok {
			return fmt.Errorf("images.%s: %s is an app, which runs the image CI pushed for its branch; images: is for the other services of the compose file", svc, svc)
		}
	}
	if c.Compose == "" {
		for _, k := range []struct {
			key string
			n   int
		}{{"compose_env_files", len(c.ComposeEnvFiles)}, {"compose_profiles", len(c.ComposeProfiles)},
			{"exclude", len(c.Exclude)}, {"shared", len(c.Shared)}, {"images", len(c.Images)}} {
			if k.n > 0 {
				return fmt.Errorf("%s: only applies to the team's compose file; set compose: to it", k.key)
			}
		}
	}
	if err := c.checkNumbers(); err != nil {
		return err
	}
	if err := c.checkHosts(); err != nil {
		return err
	}
	if err := c.checkEngines(); err != nil {
		return err
	}
	return c.checkTemplates()
}

// HostPort is the host port of app in slot: base + slot index x stride + app index (x 2 with
// routing.switch side-by-side, see AltHostPort), with apps in name order. Deterministic, and distinct across slots as long as stride >= number of apps.
// ok is false for an unknown slot or app.
func (c *Config) HostPort(slot, app string) (port int, ok bool) {
	si := slices.Index(c.Slots, slot)
	ai := slices.Index(c.AppNames(), app)
	if si < 0 || ai < 0 {
		return 0, false
	}
	if c.SideBySide() { // two ports per app: HostPort and AltHostPort
		ai *= 2
	}
	return c.Ports.Base + si*c.Ports.SlotStride + ai, true
}

// AltHostPort is app's second host port in slot, where a side-by-side switch starts its new
// container: the one after HostPort (the app's published ports are the range of both, and
// the engine gives a new container the one that is free). ok is false without a switch
// side by side, or for an unknown slot or app.
func (c *Config) AltHostPort(slot, app string) (port int, ok bool) {
	p, ok := c.HostPort(slot, app)
	if !ok || !c.SideBySide() {
		return 0, false
	}
	return p + 1, true
}

// AppNames lists the configured apps in name order.
func (c *Config) AppNames() []string {
	names := make([]string, 0, len(c.Apps))
	for n := range c.Apps {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Location is the configured time zone, used for kickoff dates.
func (c *Config) Location() (*time.Location, error) {
	if c.Timezone == "" || c.Timezone == "Local" {
		return time.Local, nil
	}
	return time.LoadLocation(c.Timezone)
}

// setScalar parses raw, text from a variable or from git, into a setting's field: lists
// are comma- or space-separated.
func setScalar(fv reflect.Value, raw string) error {
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return errors.New("expected true or false")
		}
		fv.SetBool(b)
	case reflect.Int, reflect.Int64:
		if fv.Type() == reflect.TypeOf(time.Duration(0)) {
			d, err := time.ParseDuration(raw)
			if err != nil {
				return errors.New("expected a duration such as 30s or 2m")
			}
			fv.SetInt(int64(d))
			return nil
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			return errors.New("expected a whole number")
		}
		fv.SetInt(int64(n))
	case reflect.Slice:
		if fv.Type().Elem().Kind() != reflect.String {
			return errors.New("a list of mappings: set it in .kickoff.yaml")
		}
		parts := strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' })
		fv.Set(reflect.ValueOf(parts))
	default:
		return errors.New("a mapping: set it in .kickoff.yaml")
	}
	return nil
}

// InfraPorts is the host-port range of slot for the published ports of the compose file's
// other services: the ports of the slot's block (base + slot index x stride) after its apps'.
// ok is false for an unknown slot.
func (c *Config) InfraPorts(slot string) (first, count int, ok bool) {
	si := slices.Index(c.Slots, slot)
	if si < 0 {
		return 0, 0, false
	}
	apps := len(c.Apps)
	if c.SideBySide() { // two ports per app
		apps *= 2
	}
	return c.Ports.Base + si*c.Ports.SlotStride + apps, c.Ports.SlotStride - apps, true
}
