package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// checkSchema walks a parsed document against Config before it is decoded, so that an
// unknown key or a value of the wrong kind is named in the file's own terms: the line, the
// key path, what was expected, and the nearest known key. The YAML library's own messages
// name Go types ("field mian not found in type config.Config").
func checkSchema(doc *yaml.Node) error {
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil
		}
		doc = doc.Content[0]
	}
	return checkNode(doc, reflect.TypeOf(Config{}), "")
}

func checkNode(n *yaml.Node, t reflect.Type, path string) error {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // `feature:` with nothing under it leaves the defaults
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return kindError(n, t, path)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" { // <<: *defaults
				if err := checkMerge(v, t, path); err != nil {
					return err
				}
				continue
			}
			f, ok := fieldOf(t, k.Value)
			if !ok {
				return unknownKey(k, t, path)
			}
			if err := checkNode(v, f.Type, joinKey(path, k.Value)); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.Map:
		if n.Kind != yaml.MappingNode {
			return kindError(n, t, path)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: %s: the names under it are plain words, not %s", k.Line, path, kindOf(k))
			}
			if err := checkNode(v, t.Elem(), joinKey(path, k.Value)); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return kindError(n, t, path)
		}
		for _, item := range n.Content {
			if err := checkNode(item, t.Elem(), path); err != nil {
				return err
			}
		}
	default:
		if n.Kind != yaml.ScalarNode {
			return kindError(n, t, path)
		}
		if err := n.Decode(reflect.New(t).Interface()); err != nil {
			return kindError(n, t, path)
		}
	}
	return nil
}

// checkMerge checks the mapping (or list of mappings) a merge key brings in.
func checkMerge(v *yaml.Node, t reflect.Type, path string) error {
	for v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	if v.Kind == yaml.SequenceNode {
		for _, m := range v.Content {
			if err := checkNode(m, t, path); err != nil {
				return err
			}
		}
		return nil
	}
	return checkNode(v, t, path)
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// unknownKey names a key the section does not have, with the nearest one it has, or the
// section where a key of that name lives ("tag_prefix" -> "versions.tag_prefix").
func unknownKey(k *yaml.Node, t reflect.Type, path string) error {
	typed := joinKey(path, k.Value)
	hint := ""
	if s := Suggest(k.Value, keysOf(t)); s != "" {
		hint = didYouMean(joinKey(path, s))
	} else if t == reflect.TypeOf(Config{}) || path != "" {
		var elsewhere []string
		for _, p := range KeyPaths() {
			if last := p[strings.LastIndex(p, ".")+1:]; last == k.Value {
				elsewhere = append(elsewhere, p)
			}
		}
		if len(elsewhere) > 0 {
			hint = didYouMean(strings.Join(elsewhere, " or "))
		}
	}
	if hint == "" {
		hint = "; `kickoff init --force` writes a file listing every key"
		if path != "" {
			hint = "; the keys of " + path + " are " + strings.Join(keysOf(t), ", ")
		}
	}
	return fmt.Errorf("line %d: unknown key %s%s", k.Line, typed, hint)
}

// kindError says what the key takes and what it was given instead.
func kindError(n *yaml.Node, t reflect.Type, path string) error {
	if path == "" {
		return fmt.Errorf("line %d: the file must be a mapping of keys such as `main: main`, not %s", n.Line, kindOf(n))
	}
	return fmt.Errorf("line %d: %s: expected %s, not %s", n.Line, path, expected(t), kindOf(n))
}

// expected describes what a value of type t is written as.
func expected(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == durationType:
		return "a duration such as 30s or 2m"
	case t.Kind() == reflect.String:
		return "a single value"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		return "a whole number"
	case t.Kind() == reflect.Slice:
		return "a list such as [a, b]"
	case t.Kind() == reflect.Map:
		return "a mapping of names to " + plural(expected(t.Elem()))
	case t.Kind() == reflect.Struct:
		return "a mapping with the keys " + strings.Join(keysOf(t), ", ")
	}
	return "another kind of value"
}

func plural(what string) string {
	switch {
	case strings.HasPrefix(what, "a mapping with"):
		return "mappings with" + strings.TrimPrefix(what, "a mapping with")
	case strings.HasPrefix(what, "a single value"):
		return "single values"
	}
	return what
}

// kindOf describes the value a node holds, as the user wrote it.
func kindOf(n *yaml.Node) string {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "..."
	}
	return fmt.Sprintf("%q", v)
}

// yamlWords matches the Go and library words of the YAML library's messages.
var yamlWords = regexp.MustCompile(`yaml: (unmarshal errors:\s*)?|\s*in type [\w.]+| into [\w.]+|!!\w+ `)

// plainYAML is a YAML library error without its Go words: "yaml: line 3: mapping values
// are not allowed in this context" becomes "line 3: mapping values are not allowed in this
// context". Checked documents rarely get here: checkSchema names most problems first.
func plainYAML(err error) error {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) {
		msg = strings.Join(te.Errors, "; ")
	}
	msg = strings.TrimSpace(yamlWords.ReplaceAllString(msg, ""))
	msg = strings.ReplaceAll(msg, "\n", "; ")
	return errors.New(msg)
}
