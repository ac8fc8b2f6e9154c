package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file past the size limit is refused without being read whole; the message says what
// the limit is.
func TestLoadRefusesLargeFile(t *testing.T) {
	dir := t.TempDir()
	data := "main: main\n# " + strings.Repeat("x", 6<<20) + "\n"
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir, []string{})
	if err == nil || !strings.Contains(err.Error(), ".kickoff.yaml: the file is more than 256 KiB; a configuration is at most 256 KiB") {
		t.Fatalf("err = %v", err)
	}
}

// Documents within the size limit but of a shape the YAML library decodes in quadratic
// time, or nested without end, are refused naming the line.
func TestParseRefusesShapes(t *testing.T) {
	keys := func(n int) string {
		var b strings.Builder
		b.WriteString("main: main\nimages:\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  k%d: v\n", i)
		}
		return b.String()
	}
	list := "slots: [" + strings.Repeat("a, ", MaxKeys) + "a]\n"
	deep := "images: " + strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1) + "\n"
	for _, tc := range []struct{ name, yaml, want string }{
		{"keys", keys(MaxKeys + 1), "line 3: a mapping with 1001 keys; at most 1000"},
		{"list", list, "line 1: a list of 1001 items; at most 1000"},
		{"depth", deep, "nested more than 32 levels deep"},
	} {
		err := Parse([]byte(tc.yaml), Default())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	// At the bounds the file is read (and fails only for what it says).
	if err := Parse([]byte(keys(MaxKeys)), Default()); err != nil {
		t.Errorf("%d keys: %v", MaxKeys, err)
	}
}

// The number of values is bounded over the whole file, not only per mapping.
func TestParseRefusesManyValues(t *testing.T) {
	var b strings.Builder
	b.WriteString("images:\n")
	for i := 0; i < MaxNodes/MaxKeys+1; i++ {
		fmt.Fprintf(&b, "  k%d: [%sa]\n", i, strings.Repeat("a,", MaxKeys-1))
	}
	if b.Len() > MaxFileSize {
		t.Fatalf("test file of %d bytes passes the size limit first", b.Len())
	}
	err := Parse([]byte(b.String()), Default())
	if err == nil || !strings.Contains(err.Error(), "more than 50000 values in the file") {
		t.Fatalf("err = %v", err)
	}
}
