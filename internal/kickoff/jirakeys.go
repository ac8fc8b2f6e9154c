package kickoff

import (
	"regexp"
	"slices"
	"strings"
)

// ProjectKeyRe matches a Jira project key (PROJ).
var ProjectKeyRe = regexp.MustCompile(`^[A-Z][A-Z0-9]+$`)

// notProjects are the prefixes of standard names that look like Jira keys in commit
// messages (UTF-8, SHA-256, CVE-2024-1234, ISO-8601, RFC-7231, AES-256, TLS-1.3): without a
// list of the team's projects they are not taken for issues.
var notProjects = []string{
	"AES", "ANSI", "ASCII", "COVID", "CP", "CRC", "CVE", "CWE", "DES", "ECDSA", "ECMA", "GHSA",
	"HMAC", "HTTP", "IEEE", "IPV", "ISO", "JEP", "JSR", "KEP", "MD", "PCI", "PEP", "RFC", "RSA",
	"SHA", "SOC", "SSL", "TLS", "UCS", "UTF", "WCAG",
}

// KeyScope says which words shaped like Jira keys (PROJ-123) in branch names and commit
// messages are issues: those of the team's projects when they are known (jira.projects,
// else the projects Jira lists); otherwise every such word but the standard names above.
// The zero value is the latter.
type KeyScope struct {
	projects []string
}

// ProjectScope is the scope of the given projects; none gives the zero KeyScope.
func ProjectScope(projects []string) KeyScope {
	return KeyScope{projects: slices.Clone(projects)}
}

// Projects lists the projects of the scope, none when any project counts.
func (s KeyScope) Projects() []string { return slices.Clone(s.projects) }

// Has reports whether key is an issue key of the scope.
func (s KeyScope) Has(key string) bool {
	p, _, _ := strings.Cut(key, "-")
	if len(s.projects) > 0 {
		return slices.Contains(s.projects, p)
	}
	return !slices.Contains(notProjects, p)
}

// Keys returns the distinct Jira keys of the scope mentioned in text, in order of appearance.
func (s KeyScope) Keys(text string) []string {
	var keys []string
	for _, k := range jiraKeyInText.FindAllString(text, -1) {
		if s.Has(k) && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}
