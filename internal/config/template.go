package config

import _ "embed"

// Template is the commented .kickoff.yaml `kickoff init` writes: every key with its default.
//
//go:embed kickoff.yaml.tmpl
var Template string
