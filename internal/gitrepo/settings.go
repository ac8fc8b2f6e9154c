package gitrepo

import (
	"context"
	"regexp"
	"strings"
)

// Setting is one git configuration entry, its name as git lists it: section and variable
// in lower case, a subsection as written (kickoff.jira.user).
type Setting struct{ Name, Value string }

// Settings lists the entries of section ("kickoff") that git reads in dir: the system, the
// user's (~/.gitconfig, GIT_CONFIG_GLOBAL) and, inside a repository, its own, with their
// includes, in git's order (a later entry of the same name wins). dir need not be in a
// repository. It is `git config --get-regexp`, so that git decides what it reads; none is
// not an error.
func Settings(ctx context.Context, dir, section string) ([]Setting, error) {
	out, stderr, err := run(Command(ctx, dir, "config", "--null", "--get-regexp", "^"+regexp.QuoteMeta(section)+`\.`), "")
	if err != nil {
		ge := &GitError{Args: []string{"config"}, Stderr: stderr, Err: err}
		if ge.ExitCode() == 1 {
			return nil, nil // no entry matched
		}
		return nil, ge
	}
	return parseSettings(out), nil
}

// parseSettings reads `git config --null` output: "name\nvalue\0" per entry, "name\0" for
// a variable written without a value, which git reads as true.
func parseSettings(out string) []Setting {
	var s []Setting
	for _, entry := range strings.Split(out, "\x00") {
		if entry == "" {
			continue
		}
		name, value, ok := strings.Cut(entry, "\n")
		if !ok {
			value = "true"
		}
		s = append(s, Setting{Name: name, Value: value})
	}
	return s
}
