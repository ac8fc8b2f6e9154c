package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	// yamlkeys FILE N writes a YAML file whose images: mapping has N keys: a file too large
	// to keep in a script.
	scriptCmds["yamlkeys"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 2 {
			ts.Fatalf("usage: yamlkeys FILE N")
		}
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		var b strings.Builder
		b.WriteString("images:\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  service%d: registry.example.com/image%d:latest\n", i, i)
		}
		ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(b.String()), 0o644))
	}
}
