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

// FeatureSlug makes a slug of an issue summary (the rule of SlugOf), cut at a word boundary
// to MaxFeatureSlug. An empty or symbol-only summary gives "".
func FeatureSlug(summary string) string { return cutSlug(slugify(summary)) }

// cutSlug cuts a slug at a word boundary to MaxFeatureSlug.
func cutSlug(s string) string {
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
	return FeatureNameSlug(template, key, FeatureSlug(summary), k)
}

// FeatureNameSlug is FeatureName with the summary's slug given (`kickoff feature --slug`).
func FeatureNameSlug(template, key, slug string, k Name) (string, error) {
	if err := ValidKey(key); err != nil {
		return "", err
	}
	vals := map[string]string{
		"key":             key,
		"summary-slug":    slug,
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

// FeatureSlugNotes say how a Jira summary became the slug of a feature branch name: spelled
// in Latin letters, letters left out, cut to MaxFeatureSlug, or nothing left of it. None
// when the template has no {{summary-slug}} or there is no summary.
func FeatureSlugNotes(template, summary string) []string {
	if summary == "" || !placeholderIn(template, "summary-slug") {
		return nil
	}
	info := SlugOf(summary)
	whole := info.Slug
	info.Slug = cutSlug(whole)
	notes := info.Notes()
	switch {
	case whole == "":
		notes = append(notes, fmt.Sprintf("the issue's summary %q gives no words for the branch name, which has only the key; pass --slug to add some", summary))
	case info.Slug != whole:
		notes = append(notes, fmt.Sprintf("the summary's slug %s is cut to %d characters: %s (pass --slug to choose another)", whole, MaxFeatureSlug, info.Slug))
	}
	return notes
}

// placeholderIn reports whether the template uses {{name}}.
func placeholderIn(template, name string) bool {
	for _, m := range placeholderRe.FindAllStringSubmatch(template, -1) {
		if m[1] == name {
			return true
		}
	}
	return false
}

// HasSlug reports whether a feature template has a {{summary-slug}} for --slug to set.
func HasSlug(template string) bool { return placeholderIn(template, "summary-slug") }

// FeaturePrefix is the literal start of the template ("feature/"), used to find feature
// branches; "" when the template starts with a placeholder.
func FeaturePrefix(template string) string {
	if i := strings.Index(template, "{{"); i >= 0 {
		return template[:i]
	}
	return template
}
