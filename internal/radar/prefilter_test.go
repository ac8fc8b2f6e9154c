package radar

import (
	"slices"
	"testing"
)

// mayInteract is the prefilter's rule: two sides are in contact when they change a path
// in common, when a file of one is a folder of the other, or when one changes inside a
// folder the other removed. Anything else merges cleanly without git.
func TestMayInteract(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b []*ChangeSet // several sets: one per merge base or stretch of history
		want bool
	}{
		{"different files", cs("a/x.go"), cs("b/y.go"), false},
		{"different files in one folder", cs("a/x.go"), cs("a/y.go"), false},
		{"the same file", cs("a/x.go", "c.txt"), cs("c.txt"), true},
		{"the same file in another set of the side", cs("a/x.go"), append(cs("b/y.go"), cs("a/x.go")...), true},
		{"a file is a folder on the other side", cs("conf"), cs("conf/app.yaml"), true},
		{"a file is a deeper folder on the other side", cs("x/y/z/w.txt"), cs("x/y"), true},
		{"a folder's name is only a prefix", cs("conf"), cs("config/app.yaml"), false},
		{"changed inside a removed folder", []*ChangeSet{{Paths: []string{"lib/one.go"}, RemovedDirs: []string{"lib"}}}, cs("lib/four.go"), true},
		{"changed beside a removed folder", []*ChangeSet{{Paths: []string{"lib/one.go"}, RemovedDirs: []string{"lib"}}}, cs("libx/four.go"), false},
		{"nothing changed", cs(), cs("a.go"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := sideOf(tc.a), sideOf(tc.b)
			got, why := mayInteract(a, b)
			if got != tc.want {
				t.Errorf("mayInteract = %v (%s), want %v", got, why, tc.want)
			}
			if back, _ := mayInteract(b, a); back != got {
				t.Errorf("mayInteract is not symmetric: %v one way, %v the other", got, back)
			}
			if got && why == "" {
				t.Error("contact without a reason")
			}
		})
	}
}

// shared lists the paths both sides changed once each, sorted, whatever the sets.
func TestSharedPaths(t *testing.T) {
	a := sideOf(append(cs("z.go", "a.go", "only-a.go"), cs("a.go", "m.go")...))
	b := sideOf(cs("m.go", "a.go", "z.go", "only-b.go"))
	want := []string{"a.go", "m.go", "z.go"}
	if got := shared(a, b); !slices.Equal(got, want) {
		t.Errorf("shared = %v, want %v", got, want)
	}
	if got := shared(b, a); !slices.Equal(got, want) {
		t.Errorf("shared the other way = %v, want %v", got, want)
	}
}

// cs is one change set of paths.
func cs(paths ...string) []*ChangeSet { return []*ChangeSet{{Paths: paths}} }

func sideOf(sets []*ChangeSet) *sideIndex {
	var xs []*setIndex
	for _, s := range sets {
		xs = append(xs, newSetIndex(s))
	}
	return newSideIndex(xs)
}
