package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/cli"
)

// schemaDir holds the JSON Schema of every command's --json output (README.md, "JSON output").
var schemaDir = filepath.Join("..", "..", "docs", "schema")

// sharedSchemas are parts the command schemas refer to, not the output of one command.
var sharedSchemas = []string{"plan-step", "version-entry", "ledger-record", "journal-outcome", "repo-result"}

// noJSON are the commands that print no result to give as data, and why.
var noJSON = map[string]string{
	"serve":     "a server: it runs until stopped",
	"slot logs": "streams the containers' own log lines",
	"slot exec": "the command's own output and exit status, or a terminal",
	"ci init":   "writes the workflow file, or prints Jenkinsfile stages to paste",
}

// compiled are the schemas, compiled once by name (the file name without .json).
var compiled = sync.OnceValues(compileSchemas)

// compileSchemas compiles every schema in schemaDir. Each is added under its $id first, so
// their references to each other resolve without a network.
func compileSchemas() (map[string]*jsonschema.Schema, error) {
	files, err := filepath.Glob(filepath.Join(schemaDir, "*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no schemas in %s: %v", schemaDir, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	ids := map[string]string{}
	for _, file := range files {
		r, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(r)
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		id, _ := doc.(map[string]any)["$id"].(string)
		if want := "https://github.com/kickoffhq/kickoff/docs/schema/" + name + ".json"; id != want {
			return nil, fmt.Errorf("%s: $id is %q, want %q", file, id, want)
		}
		if err := c.AddResource(id, doc); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		ids[name] = id
	}
	out := map[string]*jsonschema.Schema{}
	for name, id := range ids {
		sch, err := c.Compile(id)
		if err != nil {
			return nil, fmt.Errorf("%s.json: %w", name, err)
		}
		out[name] = sch
	}
	return out, nil
}

func init() {
	// schema NAME: the last command's stdout is one JSON document, valid against
	// docs/schema/NAME.json. With !, it must be JSON that the schema refuses.
	scriptCmds["schema"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: schema NAME (a file of docs/schema without .json)")
		}
		schemas, err := compiled()
		ts.Check(err)
		sch, ok := schemas[args[0]]
		if !ok {
			ts.Fatalf("no schema docs/schema/%s.json", args[0])
		}
		out := ts.ReadFile("stdout")
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
		if err != nil {
			ts.Fatalf("stdout is not one JSON document: %v\n%s", err, out)
		}
		err = sch.Validate(doc)
		switch {
		case neg && err == nil:
			ts.Fatalf("stdout is valid against %s.json, want it refused", args[0])
		case !neg && err != nil:
			ts.Fatalf("stdout does not follow %s.json:\n%v", args[0], err)
		}
	}
}

// Every schema compiles, and is strict: a document missing a required field, or with a field
// nobody documented, is refused.
func TestSchemasCompileAndAreStrict(t *testing.T) {
	schemas, err := compiled()
	if err != nil {
		t.Fatal(err)
	}
	valid := `{"kind": "push", "description": "push kickoff-261201-결제 to origin and set its upstream",
		"refs": ["refs/heads/kickoff-261201-결제"], "remote": "origin"}`
	for doc, want := range map[string]bool{
		valid: true,
		strings.Replace(valid, `"remote": "origin"`, `"remote": "origin", "extra": 1`, 1):      false,
		strings.Replace(valid, `, "remote": "origin"`, ``, 1):                                  false,
		strings.Replace(valid, `"kind": "push"`, `"kind": "rebase"`, 1):                        false,
		strings.Replace(valid, `["refs/heads/kickoff-261201-결제"]`, `["kickoff-261201-결제"]`, 1): false,
	} {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if err := schemas["plan-step"].Validate(v); (err == nil) != want {
			t.Errorf("plan-step.json on %s: %v, want valid=%v", doc, err, want)
		}
	}
	// An empty list is a listing's empty result; null is not.
	for _, name := range []string{"list", "history", "versions", "slot-ls", "check-open-prs"} {
		for doc, want := range map[string]bool{"[]": true, "null": false, "{}": false} {
			v, _ := jsonschema.UnmarshalJSON(strings.NewReader(doc))
			if err := schemas[name].Validate(v); (err == nil) != want {
				t.Errorf("%s.json on %s: %v, want valid=%v", name, doc, err, want)
			}
		}
	}
}

// Every command that prints a result has --json with a schema in docs/schema, README.md
// points at it, and a story in testdata/script checks the real output against it.
func TestEveryJSONOutputHasASchemaAndAStory(t *testing.T) {
	schemas, err := compiled()
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	stories, err := filepath.Glob(filepath.Join("..", "..", "testdata", "script", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	line := regexp.MustCompile(`(?m)^\s*(?:\[[^\]]+\]\s*)*schema\s+(\S+)\s*$`)
	for _, s := range stories {
		data, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range line.FindAllStringSubmatch(string(data), -1) {
			used[m[1]] = true
		}
	}

	var leaves []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if len(c.Commands()) == 0 {
			leaves = append(leaves, c)
		}
		for _, sub := range c.Commands() {
			if sub.Name() != "help" && sub.Name() != "completion" {
				walk(sub)
			}
		}
	}
	walk(cli.NewRootCmd(cli.NewFactory()))
	for _, c := range leaves {
		path := strings.TrimPrefix(c.CommandPath(), "kickoff ")
		if why, ok := noJSON[path]; ok {
			if c.Flags().Lookup("json") != nil {
				t.Errorf("%s has --json now: drop it from noJSON (%s)", path, why)
			}
			continue
		}
		if c.Flags().Lookup("json") == nil {
			t.Errorf("%s has no --json: add it with a schema, or say in noJSON why it prints no result", path)
			continue
		}
		name := strings.ReplaceAll(path, " ", "-")
		if _, ok := schemas[name]; !ok {
			t.Errorf("%s --json has no schema docs/schema/%s.json", path, name)
		}
	}
	var names []string
	for name := range schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !strings.Contains(string(readme), "docs/schema/"+name+".json") {
			t.Errorf("README.md does not point at docs/schema/%s.json", name)
		}
		if !slices.Contains(sharedSchemas, name) && !used[name] {
			t.Errorf("no story in testdata/script checks output against %s.json (`schema %s`)", name, name)
		}
	}
	for name := range used {
		if _, ok := schemas[name]; !ok {
			t.Errorf("a story checks against docs/schema/%s.json, which does not exist", name)
		}
	}
}
