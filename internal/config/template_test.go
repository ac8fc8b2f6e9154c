package config

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The template parses and yields the defaults.
func TestTemplateIsDefaults(t *testing.T) {
	c := Default()
	if err := Parse([]byte(Template), c); err != nil {
		t.Fatalf("template does not parse: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, Default()) {
		t.Fatalf("template changes defaults:\n%+v\nwant\n%+v", c, Default())
	}
}

// Every key of the schema is documented in the template (a new key needs a line there).
func TestTemplateDocumentsEveryKey(t *testing.T) {
	var walk func(tp reflect.Type, path string)
	walk = func(tp reflect.Type, path string) {
		for i := 0; i < tp.NumField(); i++ {
			f := tp.Field(i)
			key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if key == "" || key == "-" {
				continue
			}
			if !regexp.MustCompile(`(?m)^[#\s]*` + regexp.QuoteMeta(key) + `:`).MatchString(Template) {
				t.Errorf("key %s%s is not documented in kickoff.yaml.tmpl", path, key)
			}
			ft := f.Type
			if ft.Kind() == reflect.Map && ft.Elem().Kind() == reflect.Struct {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && ft.PkgPath() == tp.PkgPath() {
				walk(ft, path+key+".")
			}
		}
	}
	walk(reflect.TypeOf(Config{}), "")
}
