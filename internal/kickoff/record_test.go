package kickoff_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// A finished kickoff leaves an annotated tag object outside refs/tags, at its last commit,
// tagged when it finished, listing main's commit, its features and the hooks' notes; it is
// pushed, and `list --all` reads the time and features back from it.
func TestFinishedRecord(t *testing.T) {
	g := gittest.New(t)
	pushKickoff(g)
	head := g.Git("rev-parse", "HEAD")
	pushFeature(g, true)
	mergeToMain(g, "feature/PROJ-1", "kickoff-240510-dash")
	mainCommit := g.Git("rev-parse", "main")

	when := time.Date(2024, 5, 20, 15, 4, 5, 0, time.UTC)
	e := env(t, g)
	fp, err := e.PlanFinish(context.Background(), "kickoff-240510-dash", kickoff.FinishOptions{
		FeaturePrefix: "feature/",
		Now:           when,
		Hooks: []kickoff.FinishHook{{Desc: "final tag", Run: func(context.Context, kickoff.FinishInfo) (string, error) {
			return "version: platform/v1.3.0 ", nil
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := fp.Plan.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	ref := kickoff.FinishedRefPrefix + "kickoff-240510-dash"
	if got := g.Git("cat-file", "-t", ref); got != "tag" {
		t.Fatalf("record is a %s, want an annotated tag", got)
	}
	if got := g.Git("rev-parse", ref+"^{commit}"); got != head {
		t.Errorf("record points at %s, want the kickoff's last commit %s", got, head)
	}
	wantMsg := "kickoff kickoff-240510-dash finished\n\nmain: " + mainCommit + "\nfeatures: feature/PROJ-1\nversion: platform/v1.3.0"
	if got := g.Git("tag", "-l", "--format=%(contents)", "kickoff-240510-dash"); got != "" {
		t.Errorf("record shows up as a tag: %q", got)
	}
	if got := g.Git("for-each-ref", "--format=%(contents)", ref); got != wantMsg {
		t.Errorf("record message:\n%s\nwant:\n%s", got, wantMsg)
	}
	if got := g.Git("ls-remote", "origin", ref); got == "" {
		t.Error("record not pushed")
	}

	all, err := kickoff.List(e.Repo, "origin", true)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := e.Describe(all, "feature/")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || !ds[0].Finished || !ds[0].FinishedAt.Equal(when) || len(ds[0].Features) != 1 || ds[0].Features[0].Branch != "feature/PROJ-1" {
		t.Fatalf("finished detail = %+v", ds)
	}
}

// A record that is a plain ref (no tag object) still lists the kickoff, without details.
func TestFinishedRecordPlainRef(t *testing.T) {
	g := gittest.New(t)
	g.Git("update-ref", kickoff.FinishedRefPrefix+"kickoff-240401-old", "HEAD")
	e := env(t, g)
	all, err := kickoff.List(e.Repo, "origin", true)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := e.Describe(all, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || !ds[0].Finished || !ds[0].FinishedAt.IsZero() || len(ds[0].Features) != 0 {
		t.Errorf("detail = %+v", ds)
	}
	if !strings.HasPrefix(ds[0].Ref("origin"), kickoff.FinishedRefPrefix) {
		t.Errorf("ref = %s", ds[0].Ref("origin"))
	}
}
