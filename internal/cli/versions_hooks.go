package cli

import (
	"context"
	"fmt"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// The versions area's parts of other commands: the VERSION column of `kickoff list`, and
// the final platform tag put by `kickoff finish`.
func init() {
	listVersion = listVersions
	finishHooks = append(finishHooks, finishTagHook)
}

// listVersions reads the mapping from local refs, as the rest of `kickoff list` does: every
// assignment made here writes them, and `kickoff list --fetch` brings in the others'.
func listVersions(ctx context.Context, f *Factory, kickoffs []string) (map[string]string, error) {
	store, err := versionStore(f)
	if err != nil {
		return nil, err
	}
	book, err := store.ReadLocal(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, k := range kickoffs {
		if r, ok := book.Of(k); ok {
			out[k] = r.Version.String()
		}
	}
	return out, nil
}

// finishTagHook puts the annotated final tag platform/vX.Y.Z on the main commit that
// contains the kickoff (assigning the version first if the kickoff never had one) and
// pushes it. A final tag already on that commit is fine; on another commit finish stops
// and deletes nothing.
func finishTagHook(f *Factory) kickoff.FinishHook {
	return kickoff.FinishHook{
		Desc: "put the final platform tag on the main commit that shipped, and push it",
		Run: func(ctx context.Context, info kickoff.FinishInfo) (string, error) {
			store, err := versionStore(f)
			if err != nil {
				return "", err
			}
			// A `kickoff tag` step before finish may have tagged the kickoff's own head: that
			// commit is in main, so it is what shipped and the tag stays where it is.
			if book, err := store.Read(ctx); err == nil {
				if r, ok := book.Of(info.Kickoff.String()); ok {
					if t, ok := book.Released(r.Version); ok && t.Commit != info.MainCommit.String() {
						if _, err := store.Repo.Run(ctx, "merge-base", "--is-ancestor", t.Commit, info.MainCommit.String()); err == nil {
							return "version: " + t.Name, nil
						}
					}
				}
			}
			t, err := store.TagFinal(ctx, info.Kickoff.String(), info.MainCommit.String())
			if err != nil {
				return "", fmt.Errorf("final platform tag: %w", err)
			}
			if t.Created {
				f.IO.Printf("Tagged %.12s as %s and pushed it.\n", t.Commit, t.Tag)
			}
			return "version: " + t.Tag, nil
		},
	}
}
