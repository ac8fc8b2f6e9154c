package kickoff

import (
	"fmt"
	"regexp"
	"strings"
)

// MaxFeatureSlug bounds the summary part of a feature branch name; Jira summaries are long.
const MaxFeatureSlug = 40

// ValidKey checks a Jira issue key (PROJ-123).
func ValidKey(key string) error {
	if !JiraKeyRe.MatchString(key) {
		return fmt.Errorf("%q is not a Jira issue key: capital letters and digits, a dash, a number (e.g. PROJ-123)", key)
	}
	return nil
}

// FeatureSlug makes a slug of an issue summary, cut at a word boundary to MaxFeatureSlug.
// An empty or symbol-only summary gives "".
func FeatureSlug(summary string) string {
	s := slugify(summary)
	if len(s) <= MaxFeatureSlug {
		return s
	}
	cut := s[:MaxFeatureSlug]
	if i := strings.LastIndexByte(cut, '-'); i > 0 && s[MaxFeatureSlug] != '-' {
		cut = cut[:i]
	}
	return strings.Trim(cut, "-")
}

var (
	placeholderRe = regexp.MustCompile(`\{\{\s*([a-z-]+)\s*\}\}`)
	branchJunkRe  = regexp.MustCompile(`-{2,}`)
)

// FeatureName renders a feature branch template ({{key}}, {{summary-slug}}, {{kickoff}},
// {{kickoff-summary}}). A part left empty takes its separator with it, so without a summary
// "feature/{{key}}-{{summary-slug}}" gives "feature/PROJ-1".
func FeatureName(template, key, summary string, k Name) (string, error) {
	if err := ValidKey(key); err != nil {
		return "", err
	}
	vals := map[string]string{
		"key":             key,
		"summary-slug":    FeatureSlug(summary),
		"kickoff":         k.String(),
		"kickoff-summary": k.Summary,
	}
	var unknown string
	out := placeholderRe.ReplaceAllStringFunc(template, func(m string) string {
		name := placeholderRe.FindStringSubmatch(m)[1]
		v, ok := vals[name]
		if !ok {
			unknown = name
		}
		return v
	})
	if unknown != "" {
		return "", fmt.Errorf("feature.template: unknown placeholder {{%s}} (known: {{key}}, {{summary-slug}}, {{kickoff}}, {{kickoff-summary}})", unknown)
	}
	out = branchJunkRe.ReplaceAllString(out, "-")
	out = strings.NewReplacer("/-", "/", "-/", "/").Replace(out)
	out = strings.Trim(out, "-/")
	if !strings.Contains(out, key) {
		return "", fmt.Errorf("feature.template %q must contain {{key}}", template)
	}
	if err := CheckRefName(out); err != nil {
		return "", fmt.Errorf("feature.template %q makes %q, which is not a valid branch name: %w", template, out, err)
	}
	return out, nil
}

// FeaturePrefix is the literal start of the template ("feature/"), used to find feature
// branches; "" when the template starts with a placeholder.
func FeaturePrefix(template string) string {
	if i := strings.Index(template, "{{"); i >= 0 {
		return template[:i]
	}
	return template
}
