package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Sources are where settings come from besides the defaults, lowest first: the repository's
// .kickoff.yaml (committed, the team's), the user's own file, `git config kickoff.*`, then
// the environment. Flags, which the CLI applies (SetOrigin), win over all of them.
type Sources struct {
	Dir      string    // the folder of .kickoff.yaml: the repository's root
	UserFile string    // the user's own settings file (see UserFile); "" for none
	Git      []Setting // git's `kickoff.*` settings in the order git lists them (the last wins)
	Env      []string  // the environment; os.Environ when nil
	// OtherEnv are the KICKOFF_ variables kickoff reads that are not settings
	// (KICKOFF_NETWORK_TIMEOUT...): known, so not warned about.
	OtherEnv []string
}

// Setting is one `git config` entry, its name as git lists it (kickoff.jira.user).
type Setting struct{ Name, Value string }

// GitSection is the git config section of kickoff's settings: `git config kickoff.jira.user me`.
const GitSection = "kickoff"

// SecretKeys are the settings that hold a credential: never taken from the committed file,
// which everyone who can read the repository reads.
var SecretKeys = []string{"jira.token"}

// UserFile is the user's own settings file: $XDG_CONFIG_HOME/kickoff/config.yaml, else
// $HOME/.config/kickoff/config.yaml; "" when neither variable is set.
func UserFile(getenv func(string) string) string {
	if d := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "kickoff", "config.yaml")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".config", "kickoff", "config.yaml")
	}
	return ""
}

// origin is where a setting's value came from.
type origin struct {
	source string // FileName, the user file's path, "git config kickoff.x", "KICKOFF_X", "--main"
	line   int    // the line in a file; 0 otherwise
}

// Origin says where key's value came from: ".kickoff.yaml", the user file's path, "git
// config kickoff.jira.user", "KICKOFF_JIRA_USER", "--main"; "" for the default.
func (c *Config) Origin(key string) string { return c.trust.origin[key].source }

// where is key's origin with its line, for messages: ".kickoff.yaml: line 3".
func (c *Config) where(key string) string {
	o, ok := c.trust.origin[key]
	switch {
	case !ok:
		return c.source()
	case o.line > 0:
		return fmt.Sprintf("%s: line %d", o.source, o.line)
	}
	return o.source
}

// errKey reads the key path a validation message starts with ("versions.bump: ...").
var errKey = regexp.MustCompile(`^([a-z_]+(?:\.[A-Za-z0-9_-]+)*)[: ]`)

// Explain prefixes a message about a setting ("versions.bump: ...", "image_tag \"x\" makes")
// with where that setting was set: ".kickoff.yaml: line 3: versions.bump: ...", "KICKOFF_VERSIONS_BUMP: ...".
func (c *Config) Explain(err error) error {
	m := errKey.FindStringSubmatch(err.Error())
	if m == nil {
		return fmt.Errorf("%s: %w", c.source(), err)
	}
	key := m[1]
	for key != "" {
		if _, ok := c.trust.origin[key]; ok {
			break
		}
		i := strings.LastIndex(key, ".")
		if i < 0 {
			key = m[1]
			break
		}
		key = key[:i]
	}
	return fmt.Errorf("%s: %w", c.where(key), err)
}

// SetOrigin records what set key after loading (the CLI has set the field): a flag
// ("--main"), or the rule that found the trunk ("origin/HEAD").
func (c *Config) SetOrigin(key, source string) {
	c.trust.origin[key] = origin{source: source}
}

// readFile parses one settings file over c, recording the origin of each key it sets.
// ok is false when there is no such file.
func (c *Config) readFile(path, name string) (ok bool, err error) {
	data, err := readLimited(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("read %s: %w", path, err)
	}
	doc, err := parse(data, c)
	if err != nil {
		return false, fmt.Errorf("%s: %w", name, err)
	}
	for key, line := range fileKeys(doc) {
		c.trust.origin[key] = origin{source: name, line: line}
	}
	return true, nil
}

// fileKeys lists the key paths a document sets with their lines, "github.api_url" for
// github: {api_url: ...}.
func fileKeys(doc *yaml.Node) map[string]int {
	keys := map[string]int{}
	if doc == nil || len(doc.Content) == 0 {
		return keys
	}
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Tag == "!!merge" {
				walk(n.Content[i+1], prefix)
				continue
			}
			k := prefix + n.Content[i].Value
			keys[k] = n.Content[i].Line
			walk(n.Content[i+1], k+".")
		}
	}
	walk(doc.Content[0], "")
	return keys
}

// checkSecrets refuses a credential in the committed file: jira.token, or a password
// written in jira.url.
func (c *Config) checkSecrets() error {
	for _, key := range append(slices.Clone(SecretKeys), "jira.url") {
		if !c.FromFile(key) {
			continue
		}
		v, _ := c.get(key)
		if key == "jira.url" {
			u, err := url.Parse(v)
			if err != nil || u.User == nil {
				continue
			}
			if _, hasPassword := u.User.Password(); !hasPassword {
				continue
			}
		} else if v == "" {
			continue
		}
		what := "jira.token"
		if key == "jira.url" {
			what = "a password in jira.url"
		}
		return fmt.Errorf("%s: %s: %s is a secret, and %s is committed for everyone who reads the repository: remove it (and revoke it: the history keeps it), then set jira.token in your own settings: `git config --global %s ...`, %s, or %s",
			c.where(key), key, what, FileName, GitName("jira.token"), "~/.config/kickoff/config.yaml", EnvName("jira.token"))
	}
	return nil
}

// applyGit sets the settings git lists; names that are no setting are noted with the
// nearest one.
func (c *Config) applyGit(settings []Setting) error {
	byNorm := map[string]string{}
	var names []string
	for _, k := range KeyPaths() {
		byNorm[normGit(k)] = k
		names = append(names, GitName(k))
	}
	for _, s := range settings {
		key, ok := byNorm[normGit(strings.TrimPrefix(strings.ToLower(s.Name), GitSection+"."))]
		if !ok || !strings.HasPrefix(strings.ToLower(s.Name), GitSection+".") {
			c.trust.unknown = append(c.trust.unknown, fmt.Sprintf("git config %s is not a kickoff setting%s; ignored", s.Name, didYouMean(Suggest(s.Name, names))))
			continue
		}
		if err := c.set(key, s.Value); err != nil {
			return fmt.Errorf("git config %s %q: %w", s.Name, s.Value, err)
		}
		c.trust.origin[key] = origin{source: "git config " + s.Name}
	}
	return nil
}

// GitName is the git config name of key: kickoff.jira.user, kickoff.versions.tag-prefix
// (git names take no underscores; kickoff.versions.tagPrefix works too).
func GitName(key string) string {
	return GitSection + "." + strings.ReplaceAll(key, "_", "-")
}

// normGit folds a key path the way git config names compare: without case, dashes or
// underscores (versions.tag-prefix, versions.tagPrefix and versions.tag_prefix are one).
func normGit(key string) string {
	return strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(key))
}

// applyEnv sets every setting whose KICKOFF_ variable is present; other KICKOFF_
// variables, not in known, are noted with the nearest setting's variable.
func (c *Config) applyEnv(env, other []string) error {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "KICKOFF_") {
			vars[k] = v
		}
	}
	if len(vars) == 0 {
		return nil
	}
	known := slices.Clone(other)
	for _, key := range KeyPaths() {
		name := EnvName(key)
		known = append(known, name)
		raw, ok := vars[name]
		if !ok {
			continue
		}
		if err := c.set(key, raw); err != nil {
			return fmt.Errorf("%s=%q: %w", name, raw, err)
		}
		c.trust.origin[key] = origin{source: name}
	}
	var unknown []string
	for name := range vars {
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		c.trust.unknown = append(c.trust.unknown, fmt.Sprintf("%s is not a kickoff setting%s; ignored", name, didYouMean(Suggest(name, known))))
	}
	return nil
}

// Unknown lists the variables and git settings that look like kickoff's but are none,
// each with the nearest known name.
func (c *Config) Unknown() []string { return c.trust.unknown }

// field finds the field of key, a path of KeyPaths.
func (c *Config) field(key string) (reflect.Value, bool) {
	v := reflect.ValueOf(c).Elem()
	for _, part := range strings.Split(key, ".") {
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, false
		}
		f, ok := fieldOf(v.Type(), part)
		if !ok {
			return reflect.Value{}, false
		}
		v = v.FieldByIndex(f.Index)
	}
	return v, true
}

// set parses raw (text from a variable or git) into key's field.
func (c *Config) set(key, raw string) error {
	v, ok := c.field(key)
	if !ok {
		return fmt.Errorf("%s is not a setting", key)
	}
	return setScalar(v, raw)
}

// get is key's value as text, for the settings that are text.
func (c *Config) get(key string) (string, bool) {
	v, ok := c.field(key)
	if !ok || v.Kind() != reflect.String {
		return "", false
	}
	return v.String(), true
}

// loadUser reads the user's file, named with ~ for the home folder in messages.
func (c *Config) loadUser(path string, getenv func(string) string) error {
	if path == "" {
		return nil
	}
	name := path
	if h := getenv("HOME"); h != "" {
		if rel, err := filepath.Rel(h, path); err == nil && !strings.HasPrefix(rel, "..") {
			name = filepath.Join("~", rel)
		}
	}
	_, err := c.readFile(path, name)
	return err
}

// envLookup is getenv over an environment list (the last of a name wins).
func envLookup(env []string) func(string) string {
	return func(key string) string {
		for i := len(env) - 1; i >= 0; i-- {
			if k, v, ok := strings.Cut(env[i], "="); ok && k == key {
				return v
			}
		}
		return ""
	}
}

// LoadSources reads every source over the defaults, lowest first, then checks the result:
// credentials only from the user's own sources, the CI rules of trust.go, and Validate.
func LoadSources(s Sources) (*Config, error) {
	c := Default()
	c.trust.origin = map[string]origin{}
	env := s.Env
	if env == nil {
		env = os.Environ()
	}
	path := filepath.Join(s.Dir, FileName)
	if ok, err := c.readFile(path, FileName); err != nil {
		return nil, err
	} else if ok {
		c.Path = path
	}
	if err := c.checkSecrets(); err != nil {
		return nil, err
	}
	if err := c.loadUser(s.UserFile, envLookup(env)); err != nil {
		return nil, err
	}
	if err := c.applyGit(s.Git); err != nil {
		return nil, err
	}
	if err := c.applyEnv(env, s.OtherEnv); err != nil {
		return nil, err
	}
	if err := c.applyTrust(env); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, c.Explain(err)
	}
	return c, nil
}
