package radar

import (
	"reflect"
	"testing"
)

func TestSummarize(t *testing.T) {
	fe := &Report{Pairs: []Pair{{A: "main", B: "k-a", Clean: true}, {A: "k-a", B: "k-b", Clean: true}}}
	spring := &Report{Pairs: []Pair{{A: "k-b", B: "k-a", Clean: false}}}
	got := Summarize([]RepoReport{{Repo: "fe", Report: fe}, {Repo: "spring", Report: spring}, {Repo: "django"}})
	want := []PlatformPair{
		{A: "main", B: "k-a", Clean: true, In: []string{"fe"}, ConflictedIn: []string{}},
		{A: "k-a", B: "k-b", Clean: false, In: []string{"fe", "spring"}, ConflictedIn: []string{"spring"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Summarize = %+v\nwant %+v", got, want)
	}
}
