package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	platver "github.com/kickoffhq/kickoff/internal/version"
)

// TagOptions are the inputs of `kickoff tag`.
type TagOptions struct {
	F       *Factory        // streams, environment, clock and the services built from them
	Ctx     context.Context // the command's context, set when it runs
	Kickoff string          // "" is the checked-out kickoff
	Commit  string
	RC      bool
	JSON    bool
}

func newCmdTag(f *Factory, runF func(*TagOptions) error) *cobra.Command {
	opts := &TagOptions{F: f}
	cmd := &cobra.Command{
		Use:   "tag [KICKOFF]",
		Short: "Put the final platform tag (or a release candidate) on the commit that shipped",
		Long: `Put the annotated final tag platform/vX.Y.Z, its message naming the kickoff, on the
commit that shipped (the kickoff's head unless --commit says otherwise) and push it.
The kickoff gets its version first if it has none. With --rc, tag the next release
candidate platform/vX.Y.Z-rc.N instead. An existing tag is never moved.

The commit must be a build of the kickoff: it contains at least one of the kickoff's own
commits (those not in main), or, once the kickoff is merged, it is a main commit that
contains its head. Another kickoff's commit is refused, and so is a kickoff with no
commits of its own.`,
		Example: `  kickoff tag kickoff-240510-dashboard
  kickoff tag kickoff-240510-dashboard --rc --commit 3f2a1bc`,
		Args: maxArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if len(args) == 1 {
				opts.Kickoff = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return tagRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Commit, "commit", "", "the commit to tag (default: the kickoff's head)")
	cmd.Flags().BoolVar(&opts.RC, "rc", false, "tag the next release candidate instead of the final version")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// tagJSON is the stable --json shape of `kickoff tag`.
type tagJSON struct {
	Kickoff string `json:"kickoff"`
	Version string `json:"version"`
	Tag     string `json:"tag"`
	Commit  string `json:"commit"`
	RC      int    `json:"rc,omitempty"`
	Created bool   `json:"created"`
	// In a platform of several repositories: each one's copy, and those without the kickoff.
	Repos   []repoTagJSON `json:"repos,omitempty"`
	Skipped []string      `json:"skipped,omitempty"`
}

func tagRun(opts *TagOptions) error {
	f := opts.F
	name, err := kickoffArg(f, opts.Kickoff)
	if err != nil {
		return err
	}
	store, err := platformVersionStore(opts.Ctx, f)
	if err != nil {
		return err
	}
	// Each repository's kickoff head; --commit says this repository's instead.
	build, _, err := store.Heads(name)
	if err != nil && opts.Commit == "" {
		return fmt.Errorf("%w (or name the commit with --commit)", err)
	}
	if opts.Commit != "" {
		if build.Commits == nil {
			build.Commits = map[string]string{}
		}
		build.Commits[store.Here().Name] = opts.Commit
	}
	var t platver.Tagged
	if opts.RC {
		t, err = store.TagBuildCandidate(opts.Ctx, name, build)
	} else {
		t, err = store.TagBuildFinal(opts.Ctx, name, build)
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		return f.IO.JSON(tagJSON{Kickoff: t.Kickoff, Version: t.Version.String(), Tag: t.Tag, Commit: t.Commit, RC: t.N, Created: t.Created,
			Repos: repoTagsJSON(t.Repos, true), Skipped: t.Skipped})
	}
	fmt.Fprintln(f.IO.Out, t.Tag)
	if t.Created {
		f.IO.Eprintf("%s\n", taggedMessage(store, t))
	} else {
		f.IO.Eprintf("%s is already on %s; nothing to do.\n", t.Tag, gitrepo.ShortID(t.Commit))
	}
	sayRepoTags(f, t)
	return nil
}

// taggedMessage says a tag was made, and where it went: pushed, or kept here when the
// repository has no remote.
func taggedMessage(store *platver.Store, t platver.Tagged) string {
	if store.Remote == "" {
		return fmt.Sprintf("Tagged %s as %s (here only: no remote to push it to).", gitrepo.ShortID(t.Commit), t.Tag)
	}
	return fmt.Sprintf("Tagged %s as %s and pushed it to %s.", gitrepo.ShortID(t.Commit), t.Tag, store.Remote)
}
