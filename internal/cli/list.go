package cli

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/platform"
	"github.com/kickoffhq/kickoff/internal/term"
)

// ListOptions are the inputs of `kickoff list`.
type ListOptions struct {
	F     *Factory        // streams, environment, clock and the services built from them
	Ctx   context.Context // the command's context, set when it runs
	JSON  bool
	All   bool
	Fetch bool
}

func newCmdList(f *Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List live kickoffs: commits ahead/behind main, last commit, feature branches",
		Long: `List the live kickoffs: every kickoff branch, local or on the remote (as last fetched),
not yet finished, including new ones with no commits of their own. --all adds finished
kickoffs, from their records under refs/kickoff/finished/.`,
		Args: noArgs(""),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return listRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&opts.All, "all", false, "include finished kickoffs")
	cmd.Flags().BoolVar(&opts.Fetch, "fetch", false, "fetch from the remote first")
	return cmd
}

// listItem is one kickoff in `kickoff list --json`.
type listItem struct {
	Name       string        `json:"name"`
	Date       string        `json:"date"` // YYYY-MM-DD
	Summary    string        `json:"summary"`
	State      string        `json:"state"` // live | finished
	Local      bool          `json:"local"`
	Remote     bool          `json:"remote"`
	Head       string        `json:"head"`
	Ahead      int           `json:"ahead"`  // commits not in main
	Behind     int           `json:"behind"` // main commits it lacks
	LastCommit listCommit    `json:"last_commit"`
	Features   []listFeature `json:"features"`
	FinishedAt *time.Time    `json:"finished_at,omitempty"`
	Version    string        `json:"version,omitempty"`
	Slots      []string      `json:"slots,omitempty"`
	// Repos is the kickoff in each repository of a platform of several (repos:); the
	// fields above are then this repository's (else the first that has it).
	Repos []listRepo `json:"repos,omitempty"`
}

// listRepo is a kickoff in one repository of the platform, in `kickoff list --json`.
type listRepo struct {
	Repo       string        `json:"repo"`
	Via        string        `json:"via"`
	Present    bool          `json:"present"` // false: the kickoff is not in this repository
	State      string        `json:"state,omitempty"`
	Local      bool          `json:"local"`
	Remote     bool          `json:"remote"`
	Head       string        `json:"head,omitempty"`
	Ahead      int           `json:"ahead"`
	Behind     int           `json:"behind"`
	LastCommit *listCommit   `json:"last_commit,omitempty"`
	Features   []listFeature `json:"features"`
}

type listCommit struct {
	Author  string    `json:"author"`
	Email   string    `json:"email"`
	Time    time.Time `json:"time"`
	Subject string    `json:"subject"`
}

type listFeature struct {
	Branch string `json:"branch"`
	Local  bool   `json:"local"`
	Remote bool   `json:"remote"`
	Ahead  int    `json:"ahead"` // commits not in main
	Merged bool   `json:"merged"`
}

func listRun(opts *ListOptions) error {
	f, ctx := opts.F, opts.Ctx
	env, cfg, err := lifecycleEnv(f)
	if err != nil {
		return err
	}
	plat, err := platformOf(f, env, cfg)
	if err != nil {
		return err
	}
	if !plat.Single() {
		return listAcross(opts, plat, env, cfg)
	}
	if opts.Fetch {
		if err := env.Connect(ctx); err != nil {
			return err
		}
	}
	ks, err := kickoff.ListWarn(env.Repo, cfg.Remote, opts.All, func(msg string) { f.IO.Eprintf("warning: %s\n", msg) })
	if err != nil {
		return err
	}
	ds, err := env.Describe(ks, kickoff.FeaturePrefix(cfg.Feature.Template))
	if err != nil {
		return err
	}
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.Name.String()
	}
	versions, slots := listAnnotations(ctx, f, names)
	items := make([]listItem, len(ds))
	for i, d := range ds {
		items[i] = listItemOf(d, versions, slots)
	}
	return printList(f, opts, items, nil)
}

// listItemOf is a kickoff's row of `kickoff list`.
func listItemOf(d kickoff.Detail, versions map[string]string, slots map[string][]string) listItem {
	it := listItem{
		Name: d.Name.String(), Date: d.Name.Date.Format(time.DateOnly), Summary: d.Name.Summary,
		State: "live", Local: d.Local, Remote: d.Remote, Head: d.Head.String(),
		Ahead: d.Ahead, Behind: d.Behind,
		LastCommit: listCommit{Author: d.Last.Author, Email: d.Last.Email, Time: d.Last.When, Subject: d.Last.Subject},
		Features:   []listFeature{},
		Version:    versions[d.Name.String()],
		Slots:      slots[d.Name.String()],
	}
	if d.Finished {
		it.State = "finished"
		if !d.FinishedAt.IsZero() {
			t := d.FinishedAt
			it.FinishedAt = &t
		}
	}
	for _, ft := range d.Features {
		it.Features = append(it.Features, listFeature{Branch: ft.Branch, Local: ft.Local, Remote: ft.Remote, Ahead: ft.Ahead, Merged: ft.Ahead == 0})
	}
	return it
}

// printList prints the rows of `kickoff list`: as JSON, or a table with, in a platform of
// several repositories (repos names them), one MAIN column per repository.
func printList(f *Factory, opts *ListOptions, items []listItem, repos []string) error {
	if opts.JSON {
		return f.IO.JSON(items)
	}
	if len(items) == 0 {
		if f.IO.IsStdoutTTY() {
			f.IO.Eprintf("No live kickoffs. Start one with `kickoff new SUMMARY`.\n")
		}
		return nil
	}
	header := []string{"KICKOFF", "DATE", "MAIN", "LAST COMMIT", "FEATURES", "VERSION", "SLOTS"}
	if len(repos) > 0 {
		header = append([]string{"KICKOFF", "DATE"}, append(upper(repos), header[3:]...)...)
	}
	if opts.All {
		header = append(header, "STATE")
	}
	t := f.IO.NewTable(header...).Shrink("LAST COMMIT")
	now := f.Now()
	for _, it := range items {
		name := it.Name
		if it.State == "finished" {
			name = f.IO.Dim(name)
		}
		author := term.Clean(it.LastCommit.Author) // written by whoever committed
		last := author + ", " + it.LastCommit.Time.UTC().Format(time.RFC3339)
		if f.IO.IsStdoutTTY() {
			last = author + ", " + term.Ago(it.LastCommit.Time, now)
		}
		var feats []string
		for _, ft := range it.Features {
			feats = append(feats, ft.Branch)
		}
		row := []string{name, it.Date, aheadBehind(f, it.Ahead, it.Behind)}
		if len(repos) > 0 {
			row, feats = row[:2], nil
			for _, r := range it.Repos {
				if !r.Present {
					row = append(row, f.IO.Yellow("missing"))
					continue
				}
				row = append(row, aheadBehind(f, r.Ahead, r.Behind))
				for _, ft := range r.Features {
					feats = append(feats, r.Repo+":"+ft.Branch)
				}
			}
		}
		row = append(row, last, orDash(strings.Join(feats, ",")), orDash(it.Version), orDash(strings.Join(it.Slots, ",")))
		if opts.All {
			row = append(row, it.State)
		}
		t.Row(row...)
	}
	return t.Render()
}

// listVersions is the VERSION of each kickoff, read from local refs as the rest of `kickoff
// list` is: every assignment made here writes them, and `kickoff list --fetch` brings in
// the others'.
func listVersions(ctx context.Context, f *Factory, kickoffs []string) (map[string]string, error) {
	store, err := versionStore(f)
	if err != nil {
		return nil, err
	}
	book, err := store.ReadLocal(ctx)
	if err != nil {
		return nil, err
	}
	return book.VersionsOf(kickoffs), nil
}

// listSlots is the SLOTS of each kickoff: where it runs.
func listSlots(ctx context.Context, f *Factory, kickoffs []string) (map[string][]string, error) {
	svc, err := slotService(f)
	if err != nil {
		return nil, err
	}
	return svc.SlotsOf(ctx, kickoffs)
}

func aheadBehind(f *Factory, ahead, behind int) string {
	a, b := "+"+strconv.Itoa(ahead), "-"+strconv.Itoa(behind)
	if ahead > 0 {
		a = f.IO.Green(a)
	}
	if behind > 0 {
		b = f.IO.Yellow(b)
	}
	return a + "/" + b
}

func upper(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToUpper(n)
	}
	return out
}

// listAcross is `kickoff list` in a platform of several repositories: one row per kickoff
// with each repository's ahead/behind, features and last commit; a repository without it
// says "missing". The last commit is the newest of all repositories'.
func listAcross(opts *ListOptions, plat *platform.Platform, env *kickoff.Env, cfg *config.Config) error {
	f, ctx := opts.F, opts.Ctx
	ms := plat.Members(plat.Repos, env)
	if err := platform.Refresh(ctx, ms, opts.Fetch); err != nil {
		return err
	}
	rows, err := platform.List(ms, opts.All, kickoff.FeaturePrefix(cfg.Feature.Template), func(msg string) { f.IO.Eprintf("warning: %s\n", msg) })
	if err != nil {
		return err
	}
	names := make([]string, len(rows))
	for i, r := range rows {
		names[i] = r.Name.String()
	}
	versions, slots := listAnnotations(ctx, f, names)
	items := make([]listItem, len(rows))
	for i, r := range rows {
		it := listItemOf(r.First().Detail, versions, slots)
		if r.Finished() {
			it.State = "finished"
		} else {
			it.State, it.FinishedAt = "live", nil
		}
		var newest time.Time
		it.Repos, newest = listRepos(r)
		if newest.After(it.LastCommit.Time) {
			for _, lr := range it.Repos {
				if lr.LastCommit != nil && lr.LastCommit.Time.Equal(newest) {
					it.LastCommit = *lr.LastCommit
				}
			}
		}
		items[i] = it
	}
	return printList(f, opts, items, plat.Names())
}

// listRepos is a kickoff in each repository of the platform, and the time of the newest
// last commit among them.
func listRepos(r platform.Row) ([]listRepo, time.Time) {
	var out []listRepo
	var newest time.Time
	for _, c := range r.Cells {
		lr := listRepo{Repo: c.Repo, Via: string(c.Via), Present: c.Present, Features: []listFeature{}}
		if c.Present {
			ci := listItemOf(c.Detail, nil, nil)
			lr.State, lr.Local, lr.Remote, lr.Head, lr.Ahead, lr.Behind = ci.State, ci.Local, ci.Remote, ci.Head, ci.Ahead, ci.Behind
			lc := ci.LastCommit
			lr.LastCommit, lr.Features = &lc, ci.Features
			if lc.Time.After(newest) {
				newest = lc.Time
			}
		}
		out = append(out, lr)
	}
	return out, newest
}

// listAnnotations are the versions and slots of the named kickoffs, a warning for either
// that cannot be read (the list is still printed).
func listAnnotations(ctx context.Context, f *Factory, names []string) (versions map[string]string, slots map[string][]string) {
	if len(names) == 0 {
		return nil, nil
	}
	var err error
	if versions, err = listVersions(ctx, f, names); err != nil {
		f.IO.Eprintf("kickoff: versions unknown: %v\n", err)
	}
	if slots, err = listSlots(ctx, f, names); err != nil {
		f.IO.Eprintf("kickoff: slots unknown: %v\n", err)
	}
	return versions, slots
}
