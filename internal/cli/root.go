package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"

	"github.com/spf13/cobra"
)

// Main runs the kickoff command line and returns the process exit code.
func Main() int {
	ctx, stop := notifyInterrupt(context.Background(), os.Stderr, os.Exit)
	defer stop()
	f := NewFactory()
	return interruptedCode(ctx, Run(ctx, f, os.Args[1:]))
}

// notifyInterrupt returns a context cancelled by the first SIGINT or SIGTERM, so that a
// command stops where it can and undoes what it did (a release rolls back). A second
// signal exits at once with ExitInterrupted: catching the signals takes away the default
// of dying on them, and a step that does not watch the context must not make Ctrl-C
// ineffective. stop releases the signals.
func notifyInterrupt(parent context.Context, errOut io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
		case <-done:
			return
		}
		cancel()
		fmt.Fprintln(errOut, "kickoff: interrupted, stopping (interrupt again to quit at once)")
		select {
		case <-sigs:
			exit(ExitInterrupted)
		case <-done:
		}
	}()
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			signal.Stop(sigs)
			close(done)
			cancel()
		})
	}
}

// interruptedCode makes a failure after an interrupt exit ExitInterrupted: a step killed
// by the cancelled context (a git child process) fails with its own error, which does not
// wrap context.Canceled. A command that finished regardless keeps its code.
func interruptedCode(ctx context.Context, code int) int {
	if code != ExitOK && ctx.Err() != nil {
		return ExitInterrupted
	}
	return code
}

// Run executes args against f and returns the exit code; tests call it in process.
func Run(ctx context.Context, f *Factory, args []string) int {
	root := NewRootCmd(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil && strings.HasPrefix(err.Error(), "unknown command") {
		// cobra reports unknown commands as plain errors; they are usage errors.
		err = &FlagError{err}
	}
	if err != nil && (ctx.Err() != nil || errors.Is(err, context.Canceled)) {
		// Ctrl-C: whatever failed, it failed because it was stopped (git reports "context
		// canceled"); what was undone on the way out is already said.
		fmt.Fprintln(f.IO.ErrOut, "kickoff: interrupted")
		return ExitInterrupted
	}
	if err != nil && !errors.Is(err, ErrSilent) {
		var ee *ExitError
		if !errors.As(err, &ee) {
			fmt.Fprintf(f.IO.ErrOut, "kickoff: %s\n", err)
		}
		var fe *FlagError
		if errors.As(err, &fe) {
			fmt.Fprintf(f.IO.ErrOut, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
	}
	return exitCode(err)
}

// NewRootCmd builds the command tree.
func NewRootCmd(f *Factory) *cobra.Command {
	var verbose bool
	root := &cobra.Command{
		Use:     "kickoff",
		Short:   "Kickoff branches, platform versions, conflict radar and QA slots",
		Long:    "kickoff runs a trunk-based workflow with long-lived kickoff branches:\nit cuts them, maps them to platform versions, finds conflicts early and deploys them to QA slots.",
		Version: buildInfo(),

		Args:          subcommandArgs,
		RunE:          func(cmd *cobra.Command, args []string) error { return cmd.Help() },
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			level := slog.LevelWarn
			if verbose {
				level = slog.LevelDebug
			}
			// The one handler: stderr, around the spinner; -v logs each step (git, HTTP, plans).
			slog.SetDefault(slog.New(slog.NewTextHandler(f.IO.LogWriter(), &slog.HandlerOptions{Level: level})))
		},
	}
	root.SetVersionTemplate("kickoff {{.Version}}\n")
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.SetIn(f.IO.In)
	root.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "log details to stderr")
	root.PersistentFlags().StringVar(&f.MainFlag, "main", "", "trunk branch (overrides main: in .kickoff.yaml and KICKOFF_MAIN)")
	root.PersistentFlags().StringVar(&f.RemoteFlag, "remote", "", "remote to use (overrides remote: in .kickoff.yaml and KICKOFF_REMOTE)")
	root.SetFlagErrorFunc(flagError)

	root.AddCommand(
		// Commands are added here, one file each.
		newCmdNew(f, nil),
		newCmdFeature(f, nil),
		newCmdList(f, nil),
		newCmdStatus(f, nil),
		newCmdSync(f, nil),
		newCmdContinue(f, nil),
		newCmdAbort(f, nil),
		newCmdUndo(f, nil),
		newCmdFinish(f, nil),
		newCmdAbandon(f, nil),
		newCmdSwitch(f, nil),
		newCmdInit(f, nil),
		newCmdVersion(f, nil),
		newCmdVersions(f, nil),
		newCmdTag(f, nil),
		newCmdNotes(f, nil),
		newCmdRoute(f),
		newCmdServe(f, nil),
		newCmdSlot(f),
		newCmdRelease(f, nil),
		newCmdHistory(f, nil),
		newCmdDashboard(f),
		newCmdConflicts(f, nil),
		newCmdCheck(f, nil),
		newCmdCI(f, nil),
		newCmdImageTag(f, nil),
		newCmdDoctor(f, nil),
	)
	addCompletions(root, f)
	return root
}

// Set by goreleaser through -ldflags "-X ...".
var (
	version = "dev"
	commit  = ""
	date    = ""
)

// buildInfo describes this binary; under `go run` or `go install` it falls back to
// the module version and VCS stamp Go records.
func buildInfo() string {
	v, c, d := version, commit, date
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && (c == "" || c == "none"):
				c = s.Value
			case s.Key == "vcs.time" && d == "":
				d = s.Value
			}
		}
	}
	if c == "" {
		c = "none"
	}
	if d == "" {
		d = "unknown"
	}
	return fmt.Sprintf("%s (commit %s, built %s)", v, c, d)
}
