package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/term"
)

// NotesOptions are the inputs of `kickoff notes`.
type NotesOptions struct {
	F      *Factory        // streams, environment, clock and the services built from them
	Ctx    context.Context // the command's context, set when it runs
	Target string          // a kickoff or a version; "" is the checked-out kickoff
	Since  string
	Format string
	JSON   bool // --json, the same as --format json
}

func newCmdNotes(f *Factory, runF func(*NotesOptions) error) *cobra.Command {
	opts := &NotesOptions{F: f}
	cmd := &cobra.Command{
		Use:   "notes [KICKOFF | VERSION]",
		Short: "Release notes of a kickoff or a version, from Jira keys in branches and commits",
		Long: `Print release notes: the Jira keys found in branch names and commit messages, grouped by
issue type with summaries and links when Jira is configured, else with the commits'
subjects, with authors and pull-request numbers. Commits without a key are listed apart.
Keys are those of jira.projects (else of the projects Jira lists): UTF-8 is no issue.

A kickoff covers its commits not in main; a released version covers the commits since
the release before it (the first release: since its kickoff left main); --since VERSION
starts the range at that release instead.`,
		Example: `  kickoff notes                                  # the checked-out kickoff
  kickoff notes platform/v1.3.0 --json
  kickoff notes 1.4.0 --since 1.2.0`,
		Args: maxArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			switch opts.Format {
			case "md", "markdown", "json":
			default:
				return FlagErrorf("--format %q: want md or json", opts.Format)
			}
			if opts.JSON && cmd.Flags().Changed("format") && opts.Format != "json" {
				return FlagErrorf("--json and --format %s exclude each other", opts.Format)
			}
			if len(args) == 1 {
				opts.Target = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return notesRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Since, "since", "", "start after this released version")
	cmd.Flags().StringVar(&opts.Format, "format", "md", "md, or json (the same as --json)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the notes as JSON (schema in README.md)")
	return cmd
}

func notesRun(opts *NotesOptions) error {
	f, ctx, target := opts.F, opts.Ctx, opts.Target
	if target == "" {
		name, err := kickoffArg(f, "")
		if err != nil {
			return err
		}
		target = name
	}
	store, err := platformVersionStore(ctx, f) // every repository of the platform (repos:)
	if err != nil {
		return err
	}
	if !kickoff.IsName(target) {
		if _, err := store.Scheme.Parse(target, true); err != nil {
			return FlagErrorf("%q is neither a kickoff name (kickoff-YYMMDD-summary) nor a version (X.Y.Z)", target)
		}
	}
	book, syncErr := store.Sync(ctx)
	if book == nil {
		return syncErr
	}
	if syncErr != nil {
		f.IO.Eprintf("warning: %v\n", syncErr)
	}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	var client *jira.Client
	var clientErr error
	if cfg.Jira.Enabled() {
		client, clientErr = jira.New(cfg.Jira, f.Getenv, f.HTTP)
	}
	if client != nil && len(cfg.Jira.Projects) == 0 {
		// Without jira.projects, the projects Jira knows say which PROJ-123 are issues.
		if projects, err := client.Projects(ctx); err != nil {
			f.IO.Eprintf("warning: Jira's projects unknown, every PROJ-123 but standard names (UTF-8, SHA-256) taken for an issue (set jira.projects): %v\n", err)
		} else {
			store.Keys = kickoff.ProjectScope(projects)
		}
	}
	notes, err := store.NotesAcross(ctx, book, target, opts.Since)
	if err != nil {
		return err
	}
	if cfg.Jira.Enabled() && len(notes.Issues) > 0 {
		var missed []error
		err := clientErr
		if err == nil {
			missed, err = notes.Enrich(ctx, client)
		}
		for _, m := range missed {
			f.IO.Eprintf("warning: %v; its Jira details are left out\n", m)
		}
		if err != nil {
			notes.Jira, notes.JiraErr = "failed", err.Error()
			f.IO.Eprintf("warning: Jira details left out (keys listed as found): %v\n", err)
		}
	}
	if opts.JSON || opts.Format == "json" { // --format json is kept as another name for --json
		return f.IO.JSON(notes)
	}
	// Subjects, authors and Jira summaries are others' text: no terminal control codes.
	_, err = fmt.Fprint(f.IO.Out, term.Clean(notes.Markdown()))
	return err
}
