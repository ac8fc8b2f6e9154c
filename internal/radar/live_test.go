package radar

import (
	"reflect"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
)

// TestSelection: what `kickoff conflicts` compares, by the refs and --base given.
func TestSelection(t *testing.T) {
	r := gittest.NewLocal(t)
	branch(t, r, "kickoff-241101-login", "main", "login", func() { r.Write("a.txt", "a\n") })
	branch(t, r, "kickoff-241102-billing", "main", "billing", func() { r.Write("b.txt", "b\n") })
	branch(t, r, "release", "main", "release", func() { r.Write("c.txt", "c\n") })
	repo, err := gitrepo.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		base  string
		names []string
		want  []string
	}{
		{"main and the live kickoffs", "", nil, []string{"main", "kickoff-241101-login", "kickoff-241102-billing"}},
		{"another trunk and the live kickoffs", "release", nil, []string{"release", "kickoff-241101-login", "kickoff-241102-billing"}},
		{"the refs named", "", []string{"main", "release"}, []string{"main", "release"}},
		{"the base first", "release", []string{"main", "kickoff-241101-login"}, []string{"release", "main", "kickoff-241101-login"}},
		{"each once", "main", []string{"main", "release", "release"}, []string{"main", "release"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Selection(repo, "main", "origin", tt.base, tt.names)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, r := range got {
				names = append(names, r.Name)
			}
			if !reflect.DeepEqual(names, tt.want) {
				t.Errorf("Selection = %v, want %v", got, tt.want)
			}
		})
	}
}
