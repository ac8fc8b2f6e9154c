package radar

import (
	"slices"
	"testing"
)

// A change set read back from the cache is the one written, whatever it holds.
func TestChangeSetCacheForm(t *testing.T) {
	for _, cs := range []ChangeSet{
		{Paths: []string{}},
		{Paths: []string{"a.txt", "dir/with space/b.go", "odd\nname"}},
		{Paths: []string{}, RemovedDirs: []string{"gone", "also/gone"}},
		{Paths: []string{"x"}, RemovedDirs: []string{"y"}},
	} {
		data, err := cs.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got ChangeSet
		if err := got.UnmarshalBinary(data); err != nil {
			t.Fatalf("%+v: %v", cs, err)
		}
		if !slices.Equal(got.Paths, cs.Paths) || !slices.Equal(got.RemovedDirs, cs.RemovedDirs) || got.Paths == nil {
			t.Errorf("read back %#v, wrote %#v", got, cs)
		}
	}
	var cs ChangeSet
	if cs.UnmarshalBinary([]byte("no terminator")) == nil {
		t.Error("a malformed entry was read as a change set")
	}
}
