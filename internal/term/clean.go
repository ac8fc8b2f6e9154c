package term

import (
	"strings"
	"unicode"
)

// Clean makes data safe to print: every control character but tab and newline (ESC, BEL,
// CR, backspace, DEL and the C1 range, which terminals read as commands to move the cursor,
// retitle the window or hide text) becomes U+FFFD. Commit subjects, author names, paths and
// Jira summaries are written by others: commands pass them through Clean before printing
// them as text, on a terminal or not (a file of output is often shown with cat or less -R
// later). JSON output needs no cleaning: encoding/json escapes control characters.
func Clean(s string) string {
	if strings.IndexFunc(s, unsafeRune) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unsafeRune(r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}

func unsafeRune(r rune) bool {
	return r != '\t' && r != '\n' && unicode.IsControl(r)
}
