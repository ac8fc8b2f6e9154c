package kickoff

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/gosimple/slug"
)

// Branch names are ASCII: kickoff spells a summary in another script in Latin letters
// rather than dropping it. Hangul syllables go by the Revised Romanization (hangul.go:
// 결제 개선 -> gyeolje-gaeseon, 한국어 -> hangugeo); the rest by gosimple/slug over
// gosimple/unidecode's tables: Cyrillic and Greek by their usual romanizations, Chinese characters by pinyin
// (Japanese kanji too: 東京 -> dong-jing), kana by Hepburn, accents dropped (Café -> cafe,
// Straße -> strasse). A letter or digit it has no spelling for is reported, never dropped
// unsaid (SlugOf's Dropped).

// SlugInfo says how a summary became its slug.
type SlugInfo struct {
	Summary string
	Slug    string
	// Transliterated: some letters were not ASCII and were spelled in Latin letters.
	Transliterated bool
	// Dropped are the letters and digits nothing could spell, left out of the slug.
	Dropped []string
}

// SlugOf turns free text into lowercase ASCII letters, digits and single dashes, with no
// length limit: "Admin Dashboard" -> admin-dashboard, "결제 개선 v2" -> gyeolje-gaeseon-v2.
func SlugOf(text string) SlugInfo {
	info := SlugInfo{Summary: text, Slug: slugify(text)}
	seen := map[rune]bool{}
	for _, r := range text {
		if r < 0x80 || !(unicode.IsLetter(r) || unicode.IsNumber(r)) {
			continue
		}
		if slugify(string(r)) == "" {
			if !seen[r] {
				seen[r] = true
				info.Dropped = append(info.Dropped, string(r))
			}
		} else {
			info.Transliterated = true
		}
	}
	return info
}

// Notes say what a person should know about the slug before a branch is named with it:
// that their words were spelled in Latin letters, or that some could not be.
func (i SlugInfo) Notes() []string {
	var out []string
	if len(i.Dropped) > 0 {
		out = append(out, fmt.Sprintf("%s in %q could not be spelled in Latin letters and is left out of the name; pass --slug to choose the name yourself",
			strings.Join(i.Dropped, " "), i.Summary))
	}
	if i.Transliterated && i.Slug != "" {
		out = append(out, fmt.Sprintf("%q is spelled %s in the branch name (pass --slug to choose another)", i.Summary, i.Slug))
	}
	return out
}

// slugify is the one slug rule: transliterate (see above), then every run of anything but
// ASCII letters and digits becomes one dash, none at either end.
func slugify(text string) string {
	var s string
	if isASCII(text) {
		s = asciiSlugText(text)
	} else {
		// MakeLang "en" spells & as "and" and @ as "at", glued to their neighbours ("R&D"
		// -> randd): here they separate words, as every other symbol does.
		s = strings.NewReplacer("&", " ", "@", " ").Replace(text)
		s = slug.MakeLang(romanizeHangul(s), "en")
	}
	return dashWords(s)
}

// dashWords keeps the runs of lowercase ASCII letters and digits of s, joined by single
// dashes.
func dashWords(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// asciiSlugText is what slug.MakeLang (as slugify calls it) leaves of ASCII text for
// slugify's last step to read: quotes dropped (don't -> dont), letters lowercased. Text
// that is all ASCII takes this way so that it never loads unidecode's tables: the first
// transliteration in a process costs some 10 ms, which every command paid for checking
// the configured branch templates (TestASCIISlugTextIsMakeLang keeps the two equal).
func asciiSlugText(text string) string {
	return strings.ToLower(strings.NewReplacer(`"`, "", "'", "").Replace(text))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Slug is the summary part of a kickoff name made from free text (see SlugOf), refused when
// empty or longer than MaxSummary.
func Slug(text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", errors.New("summary is empty: give a few words, e.g. `kickoff new dashboard`")
	}
	info := SlugOf(text)
	switch {
	case info.Slug == "":
		return "", fmt.Errorf("summary %q has no letters or digits that can be spelled in a branch name: use words such as \"admin dashboard\", or pass --slug", text)
	case len(info.Slug) > MaxSummary:
		return "", fmt.Errorf("summary %q makes the %d-character slug %s; keep it to %d (fewer words, or --slug SHORT-NAME)", text, len(info.Slug), info.Slug, MaxSummary)
	}
	return info.Slug, nil
}

var slugRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// CheckSlug validates a slug given as is (--slug): lowercase ASCII letters and digits in
// words joined by single dashes, at most max characters.
func CheckSlug(s string, max int) error {
	switch {
	case !slugRe.MatchString(s):
		hint := ""
		if t := slugify(s); t != "" && t != s {
			hint = fmt.Sprintf(" (e.g. %s)", t)
		}
		return fmt.Errorf("--slug %q: use lowercase letters a-z and digits, words joined by single dashes%s", s, hint)
	case len(s) > max:
		return fmt.Errorf("--slug %q is %d characters; keep it to %d", s, len(s), max)
	}
	return nil
}
