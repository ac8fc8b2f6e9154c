package config

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The byte-by-byte rules answer as the regular expressions they replace, on the edges
// (lengths 31/32, 63/64, 253/254; leading and trailing dashes; case) and on random
// strings over the characters that matter.
func TestNameRulesAreTheRegexps(t *testing.T) {
	rules := []struct {
		name string
		re   *regexp.Regexp
		max  int // extra length cap the rule had outside its pattern (0: none)
		fn   func(string) bool
	}{
		{"slot", regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`), 0, IsSlotName},
		{"app", regexp.MustCompile(`^[a-z][a-z0-9_-]{0,30}$`), 0, IsAppName},
		{"repo", regexp.MustCompile(`^[a-z][a-z0-9_-]{0,30}$`), 0, IsRepoName},
		{"host", regexp.MustCompile(`^(?i:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.(?i:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?))*$`), 253, ValidHost},
	}
	label := func(n int) string { return "a" + strings.Repeat("b", n-1) }
	edges := []string{"", "a", "A", "-", "a-", "-a", "a_b", "1a", "dev1", "dev-1", "Dev1", "a.b", "a..b", ".a", "a.", "a-.b", "a.-b",
		label(31), label(32), label(63), label(64), label(63) + "." + label(63) + "." + label(63) + "." + label(61),
		label(63) + "." + label(63) + "." + label(63) + "." + label(62), "EXAMPLE.com", "xn--bcher-kva.example", "a b", "a\n", "é.com"}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := "abzAZ09-_.é@ "
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		edges = append(edges, b.String())
	}
	for _, r := range rules {
		for _, s := range edges {
			want := r.re.MatchString(s) && (r.max == 0 || len(s) <= r.max)
			if got := r.fn(s); got != want {
				t.Errorf("%s rule on %q: %v, the regexp says %v", r.name, s, got, want)
			}
		}
	}
}
