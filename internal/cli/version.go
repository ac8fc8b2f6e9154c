package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	platver "github.com/kickoffhq/kickoff/internal/version"
)

// VersionOptions are the inputs of `kickoff version`.
type VersionOptions struct {
	F       *Factory        // streams, environment, clock and the services built from them
	Ctx     context.Context // the command's context, set when it runs
	Kickoff string          // "" is the checked-out kickoff
	Assign  bool            // reserve the next free version when it has none
	Bump    string
	Set     string
	Force   bool
	Of      string
	Free    string
	DryRun  bool
	JSON    bool
}

// assigns: the run may reserve a version (only then does it write anything).
func (o *VersionOptions) assigns() bool { return o.Assign || o.Bump != "" || o.Set != "" }

func newCmdVersion(f *Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{F: f}
	cmd := &cobra.Command{
		Use:   "version [KICKOFF]",
		Short: "Show, or with --assign, --bump or --set assign, the platform version of a kickoff",
		Long: `Show the platform version (platform/vX.Y.Z) mapped to a kickoff; a kickoff without one is
said so (exit 0), and nothing is written. Assigning is explicit: --assign reserves the next
free version (keeping the one it has), --bump major|minor|patch and --set X.Y.Z choose it
(re-assigning needs --force); ` + "`kickoff release` and `kickoff tag`" + ` also assign one on the way.
The next version bumps the highest released platform/v* tag and every reserved version
(pre-releases ignored) at the configured level (versions.bump, minor by default).
Reservations live on the remote and are race-free: of two people assigning at the same
moment each gets a different version.

With --of, answer the other way round: which kickoff a version belongs to. With --free,
delete a reservation (--force when its kickoff is still live).`,
		Example: `  kickoff version                               # the checked-out kickoff's version, if any
  kickoff version --assign                      # reserve the next free version for it
  kickoff version kickoff-240510-dashboard --bump patch
  kickoff version kickoff-240510-dashboard --set 2.0.0 --force
  kickoff version --of platform/v1.3.10
  kickoff version --free 1.4.0                  # a reservation whose kickoff was abandoned`,
		Args: maxArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if len(args) > 0 {
				opts.Kickoff = args[0]
			}
			if opts.Of != "" && (opts.Kickoff != "" || opts.assigns() || opts.Force || opts.DryRun || opts.Free != "") {
				return FlagErrorf("--of takes no kickoff and no --assign, --bump, --set, --force, --free or --dry-run")
			}
			if opts.Free != "" && (opts.Kickoff != "" || opts.assigns() || opts.DryRun) {
				return FlagErrorf("--free takes no kickoff and no --assign, --bump, --set or --dry-run")
			}
			if opts.Bump != "" && opts.Set != "" {
				return FlagErrorf("--bump and --set exclude each other")
			}
			if opts.Free == "" && opts.Of == "" && !opts.assigns() && (opts.Force || opts.DryRun) {
				return FlagErrorf("--force and --dry-run go with --assign, --bump or --set (kickoff version alone only shows)")
			}
			if opts.Bump != "" {
				if _, err := platver.ParseBump(opts.Bump); err != nil {
					return FlagErrorf("--bump: %v", err)
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.Assign, "assign", false, "reserve the next free version when the kickoff has none (with --force: re-assign it)")
	fl.StringVar(&opts.Bump, "bump", "", "assign the next version at this level: major, minor or patch")
	fl.StringVar(&opts.Set, "set", "", "assign exactly this version (X.Y.Z)")
	fl.BoolVar(&opts.Force, "force", false, "re-assign a kickoff that has a version (the old one is freed); with --free, free a live kickoff's version")
	fl.StringVar(&opts.Free, "free", "", "free the reservation of a version (X.Y.Z) whose kickoff was abandoned")
	fl.StringVar(&opts.Of, "of", "", "show which kickoff a version (platform/vX.Y.Z, vX.Y.Z or X.Y.Z) belongs to")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "say which version would be assigned, change nothing")
	fl.BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// versionJSON is the stable --json shape of `kickoff version`.
type versionJSON struct {
	Kickoff    string             `json:"kickoff"`
	Version    string             `json:"version"`
	Tag        string             `json:"tag"`
	Status     string             `json:"status"`
	Assigned   bool               `json:"assigned"`
	DryRun     bool               `json:"dry_run,omitempty"`
	Previous   string             `json:"previous,omitempty"`
	Commit     string             `json:"commit"`
	Candidates []platver.TagEntry `json:"candidates"`
	Jira       *jiraStepJSON      `json:"jira,omitempty"`
}

type jiraStepJSON struct {
	Status   string   `json:"status"` // ok | failed
	Name     string   `json:"name"`   // the Jira version
	Projects []string `json:"projects,omitempty"`
	Issues   []string `json:"issues,omitempty"`
	Changed  int      `json:"changed"`
	Error    string   `json:"error,omitempty"`
}

func versionRun(opts *VersionOptions) error {
	f := opts.F
	if opts.Of != "" {
		store, err := platformVersionStore(opts.Ctx, f)
		if err != nil {
			return err
		}
		return versionOfRun(opts, store)
	}
	store, err := versionStore(f)
	if err != nil {
		return err
	}
	if opts.Free != "" {
		return versionFreeRun(opts, store)
	}
	store.AfterAssign = nil // the Jira step runs below, on every assigning run, and is reported in full
	name, err := kickoffArg(f, opts.Kickoff)
	if err != nil {
		return err
	}
	if !opts.assigns() {
		return versionShowRun(opts, store, name)
	}
	ao := platver.AssignOptions{Bump: platver.Bump(opts.Bump), Force: opts.Force, DryRun: opts.DryRun}
	if opts.Set != "" {
		v, err := store.Scheme.Parse(opts.Set, false)
		if err != nil {
			return FlagErrorf("--set: %v", err)
		}
		ao.Set = v
	}
	a, err := store.Assign(opts.Ctx, name, ao)
	if err != nil {
		return err
	}
	out := versionOut(a, opts.DryRun)
	var jiraErr error
	if opts.JSON {
		if !opts.DryRun {
			out.Jira, jiraErr = versionJiraStep(opts, store, a)
		}
		if err := f.IO.JSON(out); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(f.IO.Out, a.Tag)
		switch {
		case opts.DryRun && a.Assigned:
			f.IO.Eprintf("Would assign %s to %s (dry run: nothing reserved).\n", a.Tag, name)
		case a.Assigned && !a.Previous.IsZero():
			f.IO.Eprintf("Re-assigned %s to %s; %s is free again.\n", a.Tag, name, store.Scheme.Tag(a.Previous))
		case a.Assigned:
			f.IO.Eprintf("Assigned %s to %s.\n", a.Tag, name)
		default:
			f.IO.Eprintf("%s is %s (%s); kept.\n", name, a.Tag, out.Status)
		}
		if !opts.DryRun {
			_, jiraErr = versionJiraStep(opts, store, a)
		}
	}
	if jiraErr != nil {
		f.IO.Eprintf("%s %v\n", f.IO.Red("Jira step failed:"), jiraErr)
		f.IO.Eprintf("The version mapping is saved; re-run `kickoff version %s --assign` to retry the Jira step.\n", name)
		return ErrSilent
	}
	return nil
}

// versionOut is the --json shape of an assignment (or of a version shown).
func versionOut(a platver.Assignment, dryRun bool) versionJSON {
	out := versionJSON{
		Kickoff: a.Kickoff, Version: a.Version.String(), Tag: a.Tag, Assigned: a.Assigned,
		DryRun: dryRun, Commit: a.Commit, Candidates: []platver.TagEntry{},
	}
	if !a.Previous.IsZero() {
		out.Previous = a.Previous.String()
	}
	if a.Assigned {
		out.Status = platver.StatusReserved
	} else {
		out.Status = a.Book.Status(a.Version)
		if e, ok := a.Book.Entry(a.Version); ok {
			out.Candidates = e.Candidates
		}
	}
	return out
}

// versionShowRun shows the kickoff's version and writes nothing: not to the remote, not to
// Jira. A kickoff without one is not an error; the message says how to assign one.
func versionShowRun(opts *VersionOptions, store *platver.Store, name string) error {
	f := opts.F
	a, has, err := store.Lookup(opts.Ctx, name)
	if err != nil {
		return err
	}
	if !has {
		if opts.JSON {
			return f.IO.JSON(versionJSON{Kickoff: name, Status: versionStatusNone, Commit: a.Commit, Candidates: []platver.TagEntry{}})
		}
		f.IO.Eprintf("%s has no platform version yet: `kickoff version %s --assign` reserves the next free one (or --bump, --set); `kickoff release` and `kickoff tag` assign one on the way.\n", name, name)
		return nil
	}
	out := versionOut(a, false)
	if opts.JSON {
		return f.IO.JSON(out)
	}
	fmt.Fprintln(f.IO.Out, a.Tag)
	f.IO.Eprintf("%s is %s (%s).\n", name, a.Tag, out.Status)
	return nil
}

// versionStatusNone is `kickoff version --json`'s status for a kickoff without a version.
const versionStatusNone = "none"

// versionFreeRun frees a reservation and says what it freed: the version, its kickoff,
// whether that kickoff is still live, and the candidate tags that stay.
func versionFreeRun(opts *VersionOptions, store *platver.Store) error {
	f := opts.F
	v, err := store.Scheme.Parse(opts.Free, false)
	if err != nil {
		return FlagErrorf("--free: %v", err)
	}
	r, err := store.Free(opts.Ctx, v, platver.FreeOptions{Force: opts.Force})
	if err != nil {
		return err
	}
	tag := store.Scheme.Tag(v)
	if opts.JSON {
		return f.IO.JSON(versionFreeJSON{Freed: v.String(), Tag: tag, Kickoff: r.Kickoff, Live: r.Live, Candidates: append([]string{}, r.Candidates...)})
	}
	fmt.Fprintln(f.IO.Out, tag)
	f.IO.Eprintf("Freed %s (was %s).\n", tag, orDash(r.Kickoff))
	if r.Live {
		f.IO.Eprintf("%s is live and has no version now: `kickoff version %s --assign` gives it one.\n", r.Kickoff, r.Kickoff)
	}
	if len(r.Candidates) > 0 {
		f.IO.Eprintf("Its release-candidate tags stay: %s.\n", strings.Join(r.Candidates, ", "))
	}
	return nil
}

// versionFreeJSON is `kickoff version --free X --json`.
type versionFreeJSON struct {
	Freed      string   `json:"freed"`
	Tag        string   `json:"tag"`
	Kickoff    string   `json:"kickoff"`
	Live       bool     `json:"live"`       // its kickoff's branch still exists (freed with --force)
	Candidates []string `json:"candidates"` // its rc tags, which stay
}

func versionOfRun(opts *VersionOptions, store *platver.Store) error {
	f := opts.F
	v, err := store.Scheme.Parse(opts.Of, true)
	if err != nil {
		return FlagErrorf("--of: %v", err)
	}
	book, syncErr := store.Sync(opts.Ctx)
	if book == nil {
		return syncErr
	}
	if syncErr != nil {
		f.IO.Eprintf("warning: %v\n", syncErr)
	}
	e, ok := book.Entry(v)
	if !ok || e.Kickoff == "" {
		return fmt.Errorf("no kickoff has %s: it is neither reserved nor tagged (see `kickoff versions`)", store.Scheme.Tag(v))
	}
	out := versionOfJSON{Entry: e}
	if len(store.Members) > 0 {
		where, err := store.Where(opts.Ctx, v, candidateOf(store.Scheme, opts.Of))
		if err != nil {
			return err
		}
		out.Repos = repoTagsJSON(where, false)
		if out.Repos == nil {
			out.Repos = []repoTagJSON{}
		}
	}
	if opts.JSON {
		return f.IO.JSON(out)
	}
	fmt.Fprintln(f.IO.Out, e.Kickoff)
	f.IO.Eprintf("%s is %s (%s).\n", e.Tag, e.Kickoff, e.Status)
	if out.Repos != nil {
		t := f.IO.NewTable("REPO", "COMMIT", "TAG")
		for _, r := range out.Repos {
			t.Row(r.Repo, r.Commit, r.Tag)
		}
		t.Render()
		if len(out.Repos) == 0 {
			f.IO.Eprintf("No repository has a tag of %s yet (it is only reserved).\n", e.Tag)
		}
	}
	return nil
}

// versionOfJSON is `kickoff version --of --json`: the version, and in a platform of several
// repositories the commit its tag names in each.
type versionOfJSON struct {
	platver.Entry
	Repos []repoTagJSON `json:"repos,omitempty"`
}

// candidateOf is N when text names release candidate N (platform/v1.3.10-rc.2, v1.3.10-rc.2),
// else 0.
func candidateOf(scheme platver.Scheme, text string) int {
	in := strings.TrimPrefix(strings.TrimSpace(text), "refs/tags/")
	for _, name := range []string{in, scheme.Prefix + strings.TrimPrefix(strings.TrimPrefix(in, "v"), "V")} {
		if _, kind, n := scheme.ParseTag(name); kind == platver.Candidate {
			return n
		}
	}
	return 0
}
