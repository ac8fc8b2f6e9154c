package config

import "strings"

// The naming rules are checked byte by byte rather than with regular expressions: a
// bounded repetition such as [a-z0-9-]{0,61} compiles into that many copies of its
// class, and the rules' programs were most of the allocations of starting kickoff that
// were kickoff's own (every command paid for them, whatever it checked).

// maxName is the length of a slot, app or repository name (31: room for a compose
// project "<project>-<slot>" and a container name within Docker's limits).
const maxName = 31

// IsSlotName reports whether s is a valid slot name, by the rule slots: is checked with:
// a lower-case letter, then letters, digits and dashes, 31 at most. Data read back from
// elsewhere (ledger records, state files) is held to the same rule.
func IsSlotName(s string) bool { return isName(s, "-") }

// IsAppName reports whether s is a valid app name, by the rule apps: is checked with:
// a lower-case letter, then letters, digits, dashes and underscores, 31 at most.
func IsAppName(s string) bool { return isName(s, "-_") }

// IsRepoName reports whether s is a valid name under repos: (and so for an app's repo:):
// the app names' rule.
func IsRepoName(s string) bool { return IsAppName(s) }

// isName: a lower-case letter, then lower-case letters, digits and the bytes of extra.
func isName(s, extra string) bool {
	if s == "" || len(s) > maxName || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte(extra, c) >= 0) {
			return false
		}
	}
	return true
}

// ValidHost reports whether h is a host name: dot-separated labels of ASCII letters,
// digits and inner dashes, each 1 to 63 characters, 253 in all (RFC 1123).
func ValidHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, l := range strings.Split(h, ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if c := l[i] | 0x20; !('a' <= c && c <= 'z' || '0' <= l[i] && l[i] <= '9' || l[i] == '-') {
				return false
			}
		}
	}
	return true
}
