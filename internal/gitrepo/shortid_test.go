package gitrepo

import "testing"

func TestShortID(t *testing.T) {
	for in, want := range map[string]string{
		"40ea54d0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6": "40ea54d0b1c2",
		"40ea54d0b1c2": "40ea54d0b1c2",
		"40ea54d":      "40ea54d",
		"":             "",
	} {
		if got := ShortID(in); got != want {
			t.Errorf("ShortID(%q) = %q, want %q", in, got, want)
		}
	}
}
