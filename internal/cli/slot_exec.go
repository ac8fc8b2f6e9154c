package cli

import (
	"context"
	"errors"
	"os/exec"

	"github.com/spf13/cobra"
)

// SlotExecOptions are the inputs of `kickoff slot exec`.
type SlotExecOptions struct {
	F       *Factory        // streams, environment, clock and the services built from them
	Ctx     context.Context // the command's context, set when it runs
	Slot    string
	Service string   // an app or another service of the slot (a database)
	Command []string // empty: a shell (sh), on a terminal only
	NoTTY   bool
}

func newCmdSlotExec(f *Factory, runF func(*SlotExecOptions) error) *cobra.Command {
	opts := &SlotExecOptions{F: f}
	cmd := &cobra.Command{
		Use:   "exec SLOT APP|SERVICE [-- COMMAND [ARG...]]",
		Short: "Run a command in a slot's container, or a shell on a terminal",
		Long: "Runs COMMAND in the running container of an app or service of the slot, on the slot's\n" +
			"Docker host. On a terminal it gets one (an interactive shell: `kickoff slot exec dev3 be`\n" +
			"runs sh); in a pipe or a script it gets none. The command's exit status is kickoff's.",
		Args: func(cmd *cobra.Command, args []string) error {
			n := len(args)
			if at := cmd.ArgsLenAtDash(); at >= 0 {
				n = at
			}
			if n != 2 {
				return FlagErrorf("give the slot and the app or service, then -- and the command (kickoff slot exec dev3 be -- ls /app)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Slot, opts.Service, opts.Command = cmd.Context(), args[0], args[1], args[2:]
			if runF != nil {
				return runF(opts)
			}
			return slotExecRun(opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.NoTTY, "no-tty", "T", false, "give the command no terminal, even on one")
	return cmd
}

func slotExecRun(opts *SlotExecOptions) error {
	f, ctx := opts.F, opts.Ctx
	tty := !opts.NoTTY && f.IO.IsStdinTTY() && f.IO.IsStdoutTTY()
	argv := opts.Command
	if len(argv) == 0 {
		if !tty {
			return FlagErrorf("no command: a shell needs a terminal; give one after -- (kickoff slot exec %s %s -- ls /)", opts.Slot, opts.Service)
		}
		argv = []string{"sh"}
	}
	svc, err := slotServiceFor(f, opts.Slot)
	if err != nil {
		return err
	}
	err = svc.Exec(ctx, opts.Slot, opts.Service, tty, argv, f.IO.In, f.IO.Out, f.IO.ErrOut)
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() > 0 {
		return &ExitError{Code: ee.ExitCode()} // the command's own status; it said why
	}
	return err
}
