package config

import (
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

var durationType = reflect.TypeOf(time.Duration(0))

// KeyPaths lists every setting's key path, "main", "jira.url", "ports.base"...: the fields of
// Config and of its sections; a map (apps:, hosts:, images:) or a list is one setting.
func KeyPaths() []string {
	var out []string
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := 0; i < t.NumField(); i++ {
			key := yamlKey(t.Field(i))
			if key == "" {
				continue
			}
			if ft := t.Field(i).Type; ft.Kind() == reflect.Struct {
				walk(ft, prefix+key+".")
				continue
			}
			out = append(out, prefix+key)
		}
	}
	walk(reflect.TypeOf(Config{}), "")
	return out
}

// yamlKey is the YAML key of a struct field, "" for fields that are not settings.
func yamlKey(f reflect.StructField) string {
	key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if key == "-" || !f.IsExported() {
		return ""
	}
	return key
}

// fieldOf finds the field of struct type t whose YAML key is key.
func fieldOf(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		if k := yamlKey(t.Field(i)); k != "" && k == key {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

// keysOf lists the YAML keys of struct type t.
func keysOf(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if k := yamlKey(t.Field(i)); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// Suggest returns the candidate nearest to typed, ignoring case, when it is near enough to
// be a slip of the fingers (letters missed, doubled, swapped or wrong: one such edit in a
// word of up to 4 letters, two up to 10, three beyond), else "".
func Suggest(typed string, candidates []string) string {
	best, bestD := "", -1
	lt := strings.ToLower(typed)
	for _, c := range candidates {
		d := distance(lt, strings.ToLower(c))
		if d == 0 && c == typed {
			continue // the very same: nothing to suggest
		}
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if bestD < 0 {
		return ""
	}
	limit := 3
	switch n := utf8.RuneCountInString(typed); {
	case n <= 4:
		limit = 1
	case n <= 10:
		limit = 2
	}
	if bestD > limit {
		return ""
	}
	return best
}

// distance is the optimal string alignment distance: insertions, deletions, substitutions
// and swaps of neighbouring letters each count one ("sttaus" is one from "status").
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// didYouMean is " (did you mean X?)" for the suggestion s, "" for none.
func didYouMean(s string) string {
	if s == "" {
		return ""
	}
	return " (did you mean " + s + "?)"
}
