package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// The positional-argument checks of the commands: each returns a usage error (exit 2) in
// plain words, naming the arguments as the command's Use line does ("kickoff release takes
// at most one argument: KICKOFF (got 2: ...)"). hint, when not empty, says more.

// noArgs is for commands that take no arguments.
func noArgs(hint string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return argsError(cmd, "takes no arguments", args, hint)
		}
		return nil
	}
}

// exactArgs is for commands that take exactly n arguments.
func exactArgs(n int, hint string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return argsError(cmd, "takes "+count(n, "argument")+": "+argNames(cmd, false), args, hint)
		}
		return nil
	}
}

// maxArgs is for commands that take at most n arguments.
func maxArgs(n int, hint string) cobra.PositionalArgs {
	if n == 0 {
		return noArgs(hint)
	}
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return argsError(cmd, "takes at most "+count(n, "argument")+": "+argNames(cmd, true), args, hint)
		}
		return nil
	}
}

// rangeArgs is for commands that take min to max arguments.
func rangeArgs(min, max int, hint string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < min || len(args) > max {
			what := fmt.Sprintf("takes %s or %s: %s", number(min), count(max, "argument"), argNames(cmd, false))
			return argsError(cmd, what, args, hint)
		}
		return nil
	}
}

// subcommandArgs is the check of a command that groups others (kickoff, slot, route...): an
// argument is a mistyped command, named with the nearest ones.
func subcommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's own default, which it sets only on its own path
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		for i := range s {
			s[i] = strconv.Quote(cmd.CommandPath() + " " + s[i])
		}
		msg += " (did you mean " + strings.Join(s, " or ") + "?)"
	}
	return FlagErrorf("%s", msg)
}

func argsError(cmd *cobra.Command, what string, args []string, hint string) error {
	got := "got none"
	switch {
	case len(args) == 1:
		got = fmt.Sprintf("got %q", args[0])
	case len(args) > 1:
		q := make([]string, len(args))
		for i, a := range args {
			q[i] = strconv.Quote(a)
		}
		got = fmt.Sprintf("got %d: %s", len(args), strings.Join(q, " "))
	}
	msg := fmt.Sprintf("%s %s (%s)", cmd.CommandPath(), what, got)
	if hint != "" {
		msg += "; " + hint
	}
	return FlagErrorf("%s", msg)
}

// argNames is the arguments part of the command's Use line, before any flag: "SLOT [APP]"
// for "logs SLOT [APP]"; bare drops the brackets of optional ones ("KICKOFF").
func argNames(cmd *cobra.Command, bare bool) string {
	fields := strings.Fields(cmd.Use)
	var names []string
	for _, w := range fields[min(1, len(fields)):] {
		if strings.HasPrefix(w, "-") || w == "|" {
			break // flags, or another way to call it ("new SUMMARY | --slug SLUG")
		}
		if bare {
			w = strings.Trim(w, "[]")
		}
		names = append(names, w)
	}
	return strings.Join(names, " ")
}

// count is "no arguments", "one argument", "two arguments"...
func count(n int, noun string) string {
	if n == 1 {
		return "one " + noun
	}
	return number(n) + " " + noun + "s"
}

func number(n int) string {
	if n >= 0 && n <= 3 {
		return [...]string{"no", "one", "two", "three"}[n]
	}
	return strconv.Itoa(n)
}
