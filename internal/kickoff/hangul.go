package kickoff

import "strings"

// Hangul syllables are spelled by the Revised Romanization of Korean (the South Korean
// standard, 2000), not by unidecode's table, which spells each syllable alone and in another
// scheme: 원 -> weon (RR: won), 국 -> gug (RR: guk), 없어 -> eobseo (RR: eopseo). A syllable
// is arithmetic (U+AC00 + (initial*21 + vowel)*28 + final), so the rule is three tables and
// two sound changes within a word: a final consonant moves onto a following syllable that
// starts with the silent ㅇ (한국어 -> hangugeo, 있어 -> isseo; ㅎ is silent there: 좋아 ->
// joa), and ㄹㄹ is ll (결렬 -> gyeollyeol). Other sound changes (nasalisation, 국물 ->
// gungmul) are not applied: the spelling stays readable and stable.

const (
	hangulFirst = 0xAC00
	hangulLast  = 0xD7A3
)

var (
	rrInitial = [19]string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	rrVowel   = [21]string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	// rrFinal is each final consonant (index 1-27) before a consonant or at the end of a word.
	rrFinal = [28]string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
	// rrLiaison is each final before a syllable starting with the silent ㅇ: what stays, and
	// the initial (index into rrInitial) that moves over, -1 for none.
	rrLiaison = [28]struct {
		stay string
		move int
	}{
		{"", -1}, {"", 0}, {"", 1}, {"k", 9}, {"", 2}, {"n", 12}, {"", 2}, {"", 3}, {"", 5}, {"l", 0},
		{"l", 6}, {"l", 7}, {"l", 9}, {"l", 16}, {"l", 17}, {"", 5}, {"", 6}, {"", 7}, {"p", 9}, {"", 9},
		{"", 10}, {"ng", -1}, {"", 12}, {"", 14}, {"", 15}, {"", 16}, {"", 17}, {"", -1},
	}
)

func isHangulSyllable(r rune) bool { return r >= hangulFirst && r <= hangulLast }

// romanizeHangul spells every Hangul syllable of s by the Revised Romanization; everything
// else is left as it is.
func romanizeHangul(s string) string {
	if !strings.ContainsFunc(s, isHangulSyllable) {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	carry := -1 // an initial moved over from the previous syllable's final
	for i, r := range rs {
		if !isHangulSyllable(r) {
			b.WriteRune(r)
			carry = -1
			continue
		}
		n := int(r - hangulFirst)
		initial, vowel, final := n/(21*28), n/28%21, n%28
		switch {
		case carry >= 0:
			b.WriteString(rrInitial[carry])
		case initial == 5 && i > 0 && isHangulSyllable(rs[i-1]) && int(rs[i-1]-hangulFirst)%28 == 8:
			b.WriteString("l") // ㄹㄹ
		default:
			b.WriteString(rrInitial[initial])
		}
		b.WriteString(rrVowel[vowel])
		carry = -1
		nextSilent := i+1 < len(rs) && isHangulSyllable(rs[i+1]) && int(rs[i+1]-hangulFirst)/(21*28) == 11
		if final > 0 && nextSilent {
			b.WriteString(rrLiaison[final].stay)
			carry = rrLiaison[final].move
		} else {
			b.WriteString(rrFinal[final])
		}
	}
	return b.String()
}
