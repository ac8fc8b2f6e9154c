package cli

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/kickoff"
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
	var versions map[string]string
	var slots map[string][]string
	if len(names) > 0 {
		if versions, err = listVersions(ctx, f, names); err != nil {
			f.IO.Eprintf("kickoff: versions unknown: %v\n", err)
		}
		if slots, err = listSlots(ctx, f, names); err != nil {
			f.IO.Eprintf("kickoff: slots unknown: %v\n", err)
		}
	}
	items := make([]listItem, len(ds))
	for i, d := range ds {
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
		items[i] = it
	}
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
		row := []string{name, it.Date, aheadBehind(f, it.Ahead, it.Behind), last, orDash(strings.Join(feats, ",")),
			orDash(it.Version), orDash(strings.Join(it.Slots, ","))}
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
