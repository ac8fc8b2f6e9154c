package ci

import (
	"bytes"
	_ "embed"
	"fmt"
	"regexp"
	"strings"
	"text/template"

	"github.com/Masterminds/semver/v3"
)

// Providers are the CI systems `kickoff ci init` writes for.
const (
	GitHub  = "github"
	Jenkins = "jenkins"
)

// Releases is where kickoff's release archives are downloaded from (goreleaser's
// GitHub release of kickoffhq/kickoff, .goreleaser.yaml).
const Releases = "https://github.com/kickoffhq/kickoff/releases"

var (
	//go:embed github.yml
	githubTmpl string
	//go:embed Jenkinsfile
	jenkinsTmpl string
	//go:embed install.sh
	installTmpl string
)

// Params are what a CI file is rendered with.
type Params struct {
	Version string // the kickoff release to install, without "v": 1.4.0
	Main    string // the trunk branch
}

// pseudoRe matches Go pseudo-versions (v0.0.0-20241101120000-abcdef123456), which a
// `go install ...@<commit>` stamps and which have no release archive.
var pseudoRe = regexp.MustCompile(`\d{14}-[0-9a-f]{12}$`)

// ReleaseVersion checks that v names a kickoff release (1.4.0 or v1.4.0, pre-releases
// too) and returns it without "v": CI installs exactly that archive, never a moving
// "latest".
func ReleaseVersion(v string) (string, error) {
	sv, err := semver.StrictNewVersion(strings.TrimPrefix(v, "v"))
	if err != nil || pseudoRe.MatchString(v) || sv.Metadata() != "" {
		return "", fmt.Errorf("%q is not a kickoff release version (such as 1.4.0)", v)
	}
	return sv.String(), nil
}

// Render writes provider's file for p.
func Render(provider string, p Params) ([]byte, error) {
	v, err := ReleaseVersion(p.Version)
	if err != nil {
		return nil, err
	}
	p.Version = v
	if p.Main == "" {
		p.Main = "main"
	}
	src, ok := map[string]string{GitHub: githubTmpl, Jenkins: jenkinsTmpl}[provider]
	if !ok {
		return nil, fmt.Errorf("no CI template for %q (github or jenkins)", provider)
	}
	install, err := execute("install.sh", installTmpl, map[string]any{"Version": v, "Releases": Releases})
	if err != nil {
		return nil, err
	}
	out, err := execute(provider, src, map[string]any{"Version": v, "Main": p.Main, "Install": install})
	return []byte(out), err
}

func execute(name, src string, data any) (string, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(template.FuncMap{"indent": indent}).Parse(src)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// indent prefixes every non-empty line of s with n spaces (a YAML block scalar, a
// Groovy string in a stage).
func indent(n int, s string) string {
	pad := strings.Repeat(" ", n)
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "")
}
