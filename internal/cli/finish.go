package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/platform"
	platver "github.com/kickoffhq/kickoff/internal/version"
)

// FinishOptions are the inputs of `kickoff finish`.
type FinishOptions struct {
	F      *Factory        // streams, environment, clock and the services built from them
	Ctx    context.Context // the command's context, set when it runs
	Name   string
	Merge  bool
	DryRun bool
	JSON   bool
}

func newCmdFinish(f *Factory, runF func(*FinishOptions) error) *cobra.Command {
	opts := &FinishOptions{F: f}
	cmd := &cobra.Command{
		Use:   "finish NAME",
		Short: "Retire a shipped kickoff: delete it and its merged feature branches, keep a record",
		Long: `After a kickoff shipped: check it is contained in main (or merge it with --merge when the
merge is clean), then delete the kickoff and its feature branches locally and on the remote,
keeping a record under refs/kickoff/finished/ so ` + "`kickoff list --all`" + ` still shows it.
It refuses, and deletes nothing, while any of those branches has commits not in main.`,
		Example: "  kickoff finish kickoff-240510-dashboard\n  kickoff finish kickoff-240510-dashboard --merge --dry-run",
		Args:    exactArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx, opts.Name = cmd.Context(), args[0]
			if runF != nil {
				return runF(opts)
			}
			return finishRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Merge, "merge", false, "merge the kickoff into main first when it merges cleanly")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "print the plan and change nothing")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

// finishJSON is `kickoff finish --json` (docs/schema/finish.json); with --dry-run it says
// what would be done.
type finishJSON struct {
	Kickoff    string     `json:"kickoff"`
	Head       string     `json:"head"`
	MainCommit string     `json:"main_commit"`
	Merged     bool       `json:"merged"` // finish made the merge into main
	Deleted    []string   `json:"deleted"`
	Record     string     `json:"record"`
	Version    string     `json:"version"` // the platform version, X.Y.Z
	Tag        string     `json:"tag"`     // its final tag, platform/vX.Y.Z
	Pushed     bool       `json:"pushed"`  // the remote was updated; false: finished locally (no remote)
	Resumed    bool       `json:"resumed"` // it picked up an interrupted finish
	DryRun     bool       `json:"dry_run"`
	Steps      []planStep `json:"steps"`
	Notes      []string   `json:"notes"`
	// Repos is the finish in each repository of a platform of several (repos:); the fields
	// above are then this repository's (else the last's), deleted the branches of all.
	Repos []finishRepoJSON `json:"repos,omitempty"`
}

// finishRepoJSON is the finish in one repository of the platform.
type finishRepoJSON struct {
	Repo       string   `json:"repo"`
	Present    bool     `json:"present"` // false: the kickoff is not in this repository
	Head       string   `json:"head,omitempty"`
	MainCommit string   `json:"main_commit,omitempty"`
	Merged     bool     `json:"merged"`
	Dropped    bool     `json:"dropped"` // no commits of its own there: dropped, not shipped
	Deleted    []string `json:"deleted"`
	Pushed     bool     `json:"pushed"`
	Tag        string   `json:"tag,omitempty"`        // the final tag here; none where nothing shipped
	TagCommit  string   `json:"tag_commit,omitempty"` // the commit it names
}

func finishRun(opts *FinishOptions) error {
	f, ctx := opts.F, opts.Ctx
	if _, err := kickoff.ParseName(opts.Name); err != nil {
		return FlagErrorf("%v", err)
	}
	env, cfg, err := lifecycleEnv(f)
	if err != nil {
		return err
	}
	plat, err := platformOf(f, env, cfg)
	if err != nil {
		return err
	}
	if !plat.Single() {
		return finishAcross(opts, plat, env, cfg)
	}
	if err := env.Connect(ctx); err != nil {
		return err
	}
	// The final platform tag goes on once the kickoff is known to be in main and before any
	// branch is deleted; when it fails, finish undoes what it did and deletes nothing.
	var tagged platver.Tagged
	tagRemote := ""
	if env.Repo.HasRemote(env.Remote) {
		tagRemote = env.Remote
	}
	fp, err := env.PlanFinish(ctx, opts.Name, kickoff.FinishOptions{
		Merge: opts.Merge, FeaturePrefix: kickoff.FeaturePrefix(cfg.Feature.Template),
		Hooks: []kickoff.FinishHook{finishTagStep(f, tagRemote, &tagged)}, Now: f.Now(),
	})
	if err != nil {
		return err
	}
	if opts.DryRun && opts.JSON {
		// Which tag it would be: the kickoff's version, or the one it would be assigned.
		if tagged, err = finishTagPreview(ctx, f, opts.Name); err != nil {
			f.IO.Eprintf("kickoff: the final tag is not known yet: %v\n", err)
		}
	}
	res := finishJSON{
		Kickoff: opts.Name, Head: fp.Head.String(), MainCommit: fp.MainCommit.String(), Merged: fp.Merges,
		Deleted: []string{opts.Name}, Record: kickoff.FinishedRefPrefix + opts.Name,
		DryRun: opts.DryRun, Steps: planSteps(&fp.Plan), Notes: orEmpty(fp.Notes),
	}
	for _, ft := range fp.Features {
		res.Deleted = append(res.Deleted, ft.Branch)
	}
	if opts.DryRun && opts.JSON {
		return f.IO.JSON(res.withTag(tagged))
	}
	if opts.DryRun {
		printLifecyclePlan(f, "kickoff finish "+opts.Name, &fp.Plan, fp.Notes)
		return nil
	}
	printNotes(f, fp.Notes)
	crashAfterStep(f, &fp.Plan)
	err = runPlan(ctx, f, &fp.Plan)
	if err != nil {
		return finishFailed(f, opts.Name, err, tagged)
	}
	var deleted []string
	if !fp.Kickoff.Finished { // else a resumed finish deleting the features left behind
		deleted = append(deleted, opts.Name)
	}
	for _, ft := range fp.Features {
		deleted = append(deleted, ft.Branch)
	}
	if opts.JSON {
		res.Deleted, res.Pushed, res.Resumed = orEmpty(deleted), fp.Pushes, fp.Resumed
		res.Merged, res.MainCommit = fp.Merges, fp.MainCommit.String()
		return f.IO.JSON(res.withTag(tagged))
	}
	where := ""
	if !fp.Pushes {
		where = " locally (no remote: nothing was pushed)"
	}
	_, err = fmt.Fprintf(f.IO.Out, "%s finished%s: deleted %d branch%s, record kept at %s\n", opts.Name, where, len(deleted), map[bool]string{true: "", false: "es"}[len(deleted) == 1], kickoff.FinishedRefPrefix+opts.Name)
	return err
}

// finishFailed explains a finish that stopped: the step that failed, which steps were
// undone, which stayed (the final tag, a pushed main: never taken back) and what to do.
func finishFailed(f *Factory, name string, err error, tagged platver.Tagged) error {
	var re *kickoff.RunError
	if !errors.As(err, &re) {
		return err
	}
	f.IO.Eprintf("%s %s: %v\n", f.IO.Red("kickoff finish stopped at:"), re.Step, re.Err)
	for _, d := range re.Undone {
		f.IO.Eprintf("  undone: %s\n", d)
	}
	for _, d := range re.Kept {
		if tagged.Tag != "" && strings.Contains(d, "final platform tag") {
			d += fmt.Sprintf(" (%s on %s)", tagged.Tag, gitrepo.ShortID(tagged.Commit))
		}
		f.IO.Eprintf("  stayed: %s\n", d)
	}
	for _, ue := range re.UndoErrs {
		f.IO.Eprintf("  %s %v\n", f.IO.Red("not undone:"), ue)
	}
	switch {
	case len(re.UndoErrs) > 0:
		f.IO.Eprintf("Some steps could not be undone: check the refs named above, then run `kickoff finish %s` again; it picks up from what is done.\n", name)
	case len(re.Kept) > 0:
		f.IO.Eprintf("What stayed is kept on purpose (a pushed tag or main is never taken back). Fix the cause, then run `kickoff finish %s` again: it picks up from what is done.\n", name)
	default:
		f.IO.Eprintf("Nothing changed. Fix the cause, then run `kickoff finish %s` again.\n", name)
	}
	return ErrSilent
}

// finishTagStep puts the final platform tag on the main commit that shipped the kickoff
// and pushes it when there is a remote (version.Store.TagShipped); its note goes into the
// finished record, and the tag into *tagged (for --json and the report of a later failure).
func finishTagStep(f *Factory, remote string, tagged *platver.Tagged) kickoff.FinishHook {
	desc := "put the final platform tag on the main commit that shipped, and push it"
	if remote == "" {
		desc = "put the final platform tag on the main commit that shipped (here only: no remote)"
	}
	return kickoff.FinishHook{
		Desc: desc, Kind: kickoff.StepTag, Remote: remote,
		Run: func(ctx context.Context, info kickoff.FinishInfo) (string, error) {
			store, err := versionStore(f)
			if err != nil {
				return "", err
			}
			t, err := store.TagShipped(ctx, info.Kickoff.String(), info.MainCommit.String())
			if err != nil {
				return "", err
			}
			*tagged = t
			if t.Created {
				f.IO.Eprintf("%s\n", taggedMessage(store, t))
			}
			return "version: " + t.Tag, nil
		},
	}
}

// finishTagPreview is the final tag a finish would put: the kickoff's platform version, or
// the one it would be assigned (nothing is reserved).
func finishTagPreview(ctx context.Context, f *Factory, name string) (platver.Tagged, error) {
	store, err := versionStore(f)
	if err != nil {
		return platver.Tagged{}, err
	}
	store.AfterAssign = nil
	a, err := store.Assign(ctx, name, platver.AssignOptions{DryRun: true})
	if err != nil {
		return platver.Tagged{}, err
	}
	return platver.Tagged{Kickoff: name, Version: a.Version, Tag: a.Tag}, nil
}

// withTag fills in the final tag, once known: the version, the tag and the tag step's ref.
func (r finishJSON) withTag(t platver.Tagged) finishJSON {
	if t.Tag == "" {
		return r
	}
	r.Version, r.Tag = t.Version.String(), t.Tag
	for i, s := range r.Steps {
		if s.Kind == string(kickoff.StepTag) {
			r.Steps[i].Refs = []string{"refs/tags/" + t.Tag}
		}
	}
	return r
}

// finishTagAcrossStep puts the final platform tag, in every repository where the kickoff
// shipped, on the main commit that carries it there (version.Store.TagShippedBuild), all
// or nothing. A resumed finish whose interrupted run tagged them all finds nothing left
// to tag. *tagged gets the tag and every repository's copy, the earlier run's included.
func finishTagAcrossStep(f *Factory, store *platver.Store, tagged *platver.Tagged) kickoff.FinishHook {
	return kickoff.FinishHook{
		Desc: "put the final platform tag on the main commit that shipped in each repository, and push it",
		Kind: kickoff.StepTag, Remote: store.Remote,
		Run: func(ctx context.Context, info kickoff.FinishInfo) (string, error) {
			name := info.Kickoff.String()
			mains := platver.Build{Commits: map[string]string{}}
			for repo, h := range info.Mains {
				mains.Commits[repo] = h.String()
			}
			var t platver.Tagged
			if len(mains.Commits) > 0 {
				var err error
				if t, err = store.TagShippedBuild(ctx, name, mains); err != nil {
					return "", err
				}
			} else {
				a, has, err := store.Lookup(ctx, name)
				if err != nil || !has {
					return "", err
				}
				t = platver.Tagged{Kickoff: name, Version: a.Version, Tag: store.Scheme.Tag(a.Version)}
			}
			// The repositories an interrupted finish tagged and retired already.
			where, err := store.Where(ctx, t.Version, 0)
			if err != nil {
				return "", err
			}
			for _, w := range where {
				if w.Tag == t.Tag && !slices.ContainsFunc(t.Repos, func(r platver.RepoTag) bool { return r.Repo == w.Repo }) {
					t.Repos = append(t.Repos, w)
				}
			}
			t.Skipped = nil // said by finish, with the reason
			*tagged = t
			if t.Created {
				f.IO.Eprintf("Tagged %s in every repository where it shipped:\n", t.Tag)
				sayRepoTags(f, t)
			}
			return "version: " + t.Tag, nil
		},
	}
}

// withRepoTags is withTag, and each repository's copy of the tag.
func (r finishJSON) withRepoTags(t platver.Tagged) finishJSON {
	r = r.withTag(t)
	r.Repos = slices.Clone(r.Repos)
	for i, rj := range r.Repos {
		for _, rt := range t.Repos {
			if rt.Repo == rj.Repo {
				r.Repos[i].Tag, r.Repos[i].TagCommit = rt.Tag, rt.Commit
			}
		}
	}
	return r
}

// crashAfterEnv is for tests only: KICKOFF_TEST_CRASH_AFTER=N makes `kickoff finish` kill
// itself with SIGKILL (as `kill -9` would) right after its Nth step, so the stories can
// check that re-running finish resumes from every interrupted state.
const crashAfterEnv = "KICKOFF_TEST_CRASH_AFTER"

// crashAfterStep arms the test-only crash hook (crashAfterEnv) on the plan's steps.
func crashAfterStep(f *Factory, p *kickoff.Plan) {
	n, err := strconv.Atoi(f.Getenv(crashAfterEnv))
	if err != nil || n <= 0 {
		return
	}
	done := 0
	for i := range p.Steps {
		if do := p.Steps[i].Do; do != nil {
			p.Steps[i].Do = func(ctx context.Context) error {
				err := do(ctx)
				if done++; err == nil && done == n {
					killSelf()
				}
				return err
			}
		}
	}
}

func killSelf() {
	p, err := os.FindProcess(os.Getpid())
	if err == nil {
		_ = p.Kill()
	}
	select {}
}

// finishAcross is `kickoff finish` in a platform of several repositories: refused while any
// repository holds work not in its main, then the kickoff is retired in every repository
// that has it as one plan (a failure undoes what can be undone everywhere), the final
// platform tag put in every repository where it shipped, on the main commit that carries
// it there, before any branch is deleted.
func finishAcross(opts *FinishOptions, plat *platform.Platform, env *kickoff.Env, cfg *config.Config) error {
	f, ctx := opts.F, opts.Ctx
	ms := plat.Members(plat.Repos, env)
	if err := platform.Connect(ctx, ms); err != nil {
		return err
	}
	store, err := versionStore(f)
	if err != nil {
		return err
	}
	withMembers(store, ms)
	var tagged platver.Tagged
	fp, err := platform.PlanFinish(ctx, ms, opts.Name, kickoff.FinishOptions{
		Merge: opts.Merge, FeaturePrefix: kickoff.FeaturePrefix(cfg.Feature.Template),
		Hooks: []kickoff.FinishHook{finishTagAcrossStep(f, store, &tagged)}, Now: f.Now(),
	})
	if err != nil {
		return err
	}
	res := finishJSON{Kickoff: opts.Name, Record: kickoff.FinishedRefPrefix + opts.Name, DryRun: opts.DryRun,
		Steps: planSteps(&fp.Plan), Notes: []string{}, Deleted: []string{}, Pushed: true}
	var repos []string
	for _, r := range fp.Repos {
		rj := finishRepoJSON{Repo: r.Repo, Present: true, Head: r.Head.String(), MainCommit: r.MainCommit.String(),
			Merged: r.Merges, Dropped: r.Empty, Deleted: []string{}, Pushed: r.Pushes}
		if !r.Kickoff.Finished {
			rj.Deleted = append(rj.Deleted, opts.Name)
		}
		for _, ft := range r.Features {
			rj.Deleted = append(rj.Deleted, ft.Branch)
		}
		res.Head, res.MainCommit, res.Merged = rj.Head, rj.MainCommit, rj.Merged // this repository's plan is last
		res.Pushed = res.Pushed && r.Pushes
		res.Resumed = res.Resumed || r.Resumed
		res.Deleted = append(res.Deleted, rj.Deleted...)
		for _, n := range r.Notes {
			res.Notes = append(res.Notes, r.Repo+": "+n)
		}
		res.Repos = append(res.Repos, rj)
		repos = append(repos, r.Repo)
	}
	for _, name := range fp.Done { // an interrupted finish retired it there
		res.Repos = append(res.Repos, finishRepoJSON{Repo: name, Present: true, Deleted: []string{}})
		res.Resumed = true
	}
	for _, name := range fp.Missing {
		res.Repos = append(res.Repos, finishRepoJSON{Repo: name, Deleted: []string{}})
	}
	if opts.DryRun && opts.JSON {
		// Which tag each repository would get: the kickoff's version, or the one it would
		// be assigned, on its main commit.
		preview, err := finishTagPreview(ctx, f, opts.Name)
		if err != nil {
			f.IO.Eprintf("kickoff: the final tag is not known yet: %v\n", err)
		}
		for name, h := range fp.Mains() {
			if preview.Tag == "" {
				break
			}
			preview.Repos = append(preview.Repos, platver.RepoTag{Repo: name, Tag: preview.Tag, Commit: h.String()})
		}
		return f.IO.JSON(res.withRepoTags(preview))
	}
	if opts.DryRun {
		printLifecyclePlan(f, "kickoff finish "+opts.Name, &fp.Plan, res.Notes)
		return nil
	}
	printNotes(f, res.Notes)
	crashAfterStep(f, &fp.Plan)
	if err := runPlan(ctx, f, &fp.Plan); err != nil {
		return finishFailed(f, opts.Name, err, tagged)
	}
	if tagged.Tag != "" {
		for _, r := range fp.Repos {
			if r.Empty {
				f.IO.Eprintf("  %s: no %s: %s had no commits of its own there\n", r.Repo, tagged.Tag, opts.Name)
			}
		}
	}
	if opts.JSON {
		return f.IO.JSON(res.withRepoTags(tagged))
	}
	_, err = fmt.Fprintf(f.IO.Out, "%s finished in %s: deleted %d branch%s, records kept at %s\n", opts.Name, strings.Join(repos, ", "),
		len(res.Deleted), map[bool]string{true: "", false: "es"}[len(res.Deleted) == 1], kickoff.FinishedRefPrefix+opts.Name)
	return err
}
