package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kickoffhq/kickoff/internal/config"
)

// Exit codes, documented in README.md.
const (
	ExitOK          = 0
	ExitFailure     = 1 // the command failed, or found what it looks for (conflicts)
	ExitUsage       = 2 // bad flags or arguments
	ExitInterrupted = 130
)

// FlagError is a usage error: wrong flags or arguments. Exit 2.
type FlagError struct{ err error }

func (e *FlagError) Error() string { return e.err.Error() }
func (e *FlagError) Unwrap() error { return e.err }

// FlagErrorf builds a usage error.
func FlagErrorf(format string, a ...any) error {
	return &FlagError{fmt.Errorf(format, a...)}
}

// flagError is the root's flag error function: every flag error is a usage error, and an
// unknown flag is named with the command's nearest one ("--slto" -> "--slot").
func flagError(cmd *cobra.Command, err error) error {
	if name, ok := strings.CutPrefix(err.Error(), "unknown flag: --"); ok {
		var names []string
		cmd.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
		if s := config.Suggest(name, names); s != "" {
			err = fmt.Errorf("%w (did you mean --%s?)", err, s)
		}
	}
	return &FlagError{err}
}

// ErrSilent means the failure was already explained on stderr; exit 1 with nothing more.
var ErrSilent = errors.New("silent error")

// ExitError carries a specific exit code after the command has printed its report
// (e.g. `conflicts` found some).
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

func exitCode(err error) int {
	var fe *FlagError
	var ee *ExitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.Code
	case errors.As(err, &fe):
		return ExitUsage
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	default:
		return ExitFailure
	}
}
