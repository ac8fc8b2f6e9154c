package ledger

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func app(name, image, digest, commit string) AppState {
	return AppState{App: App{Name: name, Image: image, Digest: digest, Commit: commit}}
}

func keysOf(is []Issue) []string {
	out := []string{}
	for _, i := range is {
		out = append(out, i.Key)
	}
	return out
}

// Apps are the same when image, digest and commit all match; an app one slot lacks
// differs; issues split into only-A, only-B and shared; Same only when nothing differs.
func TestDiff(t *testing.T) {
	fe := app("frontend", "acme/fe:a1", "sha256:f1", "a1")
	be := app("backend", "acme/be:a1", "sha256:b1", "a1")
	for _, tc := range []struct {
		name                 string
		a, b                 SlotState
		same                 bool
		apps                 string // app:same, sorted by app
		onlyA, onlyB, shared []string
	}{
		{"identical", SlotState{Apps: []AppState{fe, be}, Issues: []Issue{{Key: "PROJ-1"}}}, SlotState{Apps: []AppState{be, fe}, Issues: []Issue{{Key: "PROJ-1"}}},
			true, "backend:true frontend:true", nil, nil, []string{"PROJ-1"}},
		{"another digest", SlotState{Apps: []AppState{fe}}, SlotState{Apps: []AppState{app("frontend", "acme/fe:a1", "sha256:f2", "a1")}},
			false, "frontend:false", nil, nil, nil},
		{"another commit", SlotState{Apps: []AppState{fe}}, SlotState{Apps: []AppState{app("frontend", "acme/fe:a1", "sha256:f1", "a2")}},
			false, "frontend:false", nil, nil, nil},
		{"another image", SlotState{Apps: []AppState{fe}}, SlotState{Apps: []AppState{app("frontend", "acme/fe:b1", "sha256:f1", "a1")}},
			false, "frontend:false", nil, nil, nil},
		{"an app on one side", SlotState{Apps: []AppState{fe, be}}, SlotState{Apps: []AppState{fe}},
			false, "backend:false frontend:true", nil, nil, nil},
		{"issues differ", SlotState{Apps: []AppState{fe}, Issues: []Issue{{Key: "PROJ-1"}, {Key: "PROJ-2"}}}, SlotState{Apps: []AppState{fe}, Issues: []Issue{{Key: "PROJ-2"}, {Key: "PROJ-3"}}},
			false, "frontend:true", []string{"PROJ-1"}, []string{"PROJ-3"}, []string{"PROJ-2"}},
		{"both empty", SlotState{}, SlotState{}, true, "", nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.a.Slot, tc.b.Slot = "dev1", "dev2"
			d := Diff(tc.a, tc.b)
			var apps []string
			for _, x := range d.Apps {
				apps = append(apps, x.App+":"+map[bool]string{true: "true", false: "false"}[x.Same])
			}
			if d.A != "dev1" || d.B != "dev2" || d.Same != tc.same || strings.Join(apps, " ") != tc.apps {
				t.Errorf("Diff = %s %s same %v apps %v; want same %v apps %s", d.A, d.B, d.Same, apps, tc.same, tc.apps)
			}
			for _, c := range []struct {
				what      string
				got, want []string
			}{{"only A", keysOf(d.OnlyA), tc.onlyA}, {"only B", keysOf(d.OnlyB), tc.onlyB}, {"shared", keysOf(d.Shared), tc.shared}} {
				if !slices.Equal(c.got, append([]string{}, c.want...)) {
					t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
				}
			}
		})
	}
}

// A missing app is null on its side, and the lists are [] (never null) in JSON.
func TestDiffJSON(t *testing.T) {
	d := Diff(SlotState{Slot: "dev1", Apps: []AppState{app("frontend", "acme/fe:a1", "", "")}}, SlotState{Slot: "dev4"})
	if d.Apps[0].A == nil || d.Apps[0].B != nil {
		t.Fatalf("apps = %+v", d.Apps)
	}
	b, err := json.Marshal(Diff(SlotState{Slot: "dev1"}, SlotState{Slot: "dev2"}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"a":"dev1","b":"dev2","same":true,"apps":[],"only_a":[],"only_b":[],"shared":[]}`; string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
}
