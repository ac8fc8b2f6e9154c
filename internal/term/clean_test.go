package term

import "testing"

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain subject":                   "plain subject",
		"tab\tand\nnewline stay":          "tab\tand\nnewline stay",
		"\x1b]0;pwned\x07Eve":             "\uFFFD]0;pwned\uFFFDEve",
		"red \x1b[31mtext\x1b[0m":         "red \uFFFD[31mtext\uFFFD[0m",
		"over\rwrite\bback\x7f":           "over\uFFFDwrite\uFFFDback\uFFFD",
		"c1 \u009b31m csi":                "c1 \uFFFD31m csi",
		"émoji ✓ and unicode stay intact": "émoji ✓ and unicode stay intact",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}
