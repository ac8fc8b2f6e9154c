package cli

import (
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestFinishFlags(t *testing.T) {
	fi, err := parseFlags(t, newCmdFinish, "kickoff-240510-x", "--merge")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Name != "kickoff-240510-x" || !fi.Merge || fi.DryRun {
		t.Errorf("finish options = %+v", fi)
	}
	wantUsage(t, newCmdFinish)
}

func TestFinishRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	f, _, _ := repoFactory(t, r.Dir)
	if err := featureRun(&FeatureOptions{F: f, Ctx: t.Context(), Key: "PROJ-2"}); err != nil {
		t.Fatal(err)
	}
	r.Commit("feature.txt", "feature", "PROJ-2 feature")
	r.Git("push", "-q", "origin", "feature/PROJ-2")
	r.Git("checkout", "-q", k)
	r.Git("merge", "-q", "--no-ff", "--no-edit", "feature/PROJ-2")
	r.Git("push", "-q", "origin", k)
	r.Git("checkout", "-q", "main")
	r.Git("merge", "-q", "--no-ff", "--no-edit", k)
	r.Git("push", "-q", "origin", "main")

	f, out, _ := repoFactory(t, r.Dir)
	if err := finishRun(&FinishOptions{F: f, Ctx: t.Context(), Name: k, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var got finishJSON
	decode(t, out.Bytes(), &got)
	if got.Kickoff != k || got.Merged || got.MainCommit != r.Git("rev-parse", "main") ||
		len(got.Deleted) != 2 || got.Deleted[0] != k || got.Deleted[1] != "feature/PROJ-2" ||
		got.Record != "refs/kickoff/finished/"+k {
		t.Errorf("kickoff finish --json = %+v", got)
	}
	// The final tag finish put, and the version it stands for (the first one: nothing was assigned).
	if got.Version != "0.1.0" || got.Tag != "platform/v0.1.0" || r.Git("rev-parse", "platform/v0.1.0^{commit}") != got.MainCommit {
		t.Errorf("finish --json: version %q, tag %q; want 0.1.0 and platform/v0.1.0 on %s", got.Version, got.Tag, got.MainCommit)
	}

	f, _, _ = repoFactory(t, r.Dir)
	if err := finishRun(&FinishOptions{F: f, Ctx: t.Context(), Name: "dashboard"}); !isUsage(err) {
		t.Errorf("not a kickoff name: err = %v, want a usage error", err)
	}
}

// The text output says how many branches went, in words, and that without a remote the
// kickoff finished here only.
func TestFinishRunText(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.NewLocal(t)
	newKickoff(t, r, k)
	r.Git("checkout", "-q", "main")
	r.Git("merge", "-q", "--no-ff", "--no-edit", k)
	f, out, _ := repoFactory(t, r.Dir)
	if err := finishRun(&FinishOptions{F: f, Ctx: t.Context(), Name: k}); err != nil {
		t.Fatal(err)
	}
	if want := k + " finished locally (no remote: nothing was pushed): deleted 1 branch, record kept at refs/kickoff/finished/" + k + "\n"; out.String() != want {
		t.Errorf("kickoff finish printed %q, want %q", out, want)
	}
}
