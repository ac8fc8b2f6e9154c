package cli

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/registry/regtest"
	"github.com/kickoffhq/kickoff/internal/slot"
)

func TestReleaseFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr bool
		check   func(*ReleaseOptions) bool
	}{
		{[]string{"kickoff-240510-x", "--slot", "dev3"}, false, func(o *ReleaseOptions) bool { return o.Kickoff == "kickoff-240510-x" && o.Slot == "dev3" }},
		{[]string{"--slot", "dev1", "--app", "fe=main", "--app", "be=kickoff-240502-y", "--dry-run", "--no-wait", "--force", "--json"}, false,
			func(o *ReleaseOptions) bool {
				return o.Kickoff == "" && len(o.Apps) == 2 && o.Apps[1] == "be=kickoff-240502-y" && o.DryRun && o.NoWait && o.Force && o.JSON
			}},
		{[]string{"kickoff-240510-x"}, true, nil},                 // no --slot
		{[]string{"--slot", "dev1", "--app", "fe"}, true, nil},    // no =REF
		{[]string{"--slot", "dev1", "--app", "=main"}, true, nil}, // no app
		{[]string{"a", "b", "--slot", "dev1"}, true, nil},         // two kickoffs
	}
	for _, tt := range tests {
		got, err := parseFlags(t, newCmdRelease, tt.args...)
		if tt.wantErr {
			if !isUsage(err) {
				t.Errorf("%v: err = %v, want a usage error", tt.args, err)
			}
			continue
		}
		if err != nil || got == nil || !tt.check(got) {
			t.Errorf("%v: err %v, options %+v", tt.args, err, got)
		}
	}
}

// A release names its kickoff, or runs on its branch; its slot is configured. These are
// usage errors, found before anything is read from the registry.
func TestReleaseRunUsage(t *testing.T) {
	r := routesRepo(t)
	for _, tt := range []struct {
		kickoff, slot, want string
	}{
		{"", "dev1", "name the kickoff (kickoff-YYMMDD-summary), or run this on its branch"},
		{"not-a-kickoff", "dev1", `"not-a-kickoff" is not a kickoff name`},
		{"kickoff-240510-x", "dev9", `unknown slot "dev9": configured slots are dev1, dev2`},
	} {
		f, _, _ := slotFactory(t, r.Dir)
		err := releaseRun(&ReleaseOptions{F: f, Ctx: t.Context(), Kickoff: tt.kickoff, Slot: tt.slot, DryRun: true})
		if !isUsage(err) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("release %q --slot %s: err = %v, want a usage error %q", tt.kickoff, tt.slot, err, tt.want)
		}
	}
}

// A dry run plans each app's move (from -> to) from the registry and changes nothing; no
// engine is needed. Without a kickoff argument, the checked-out kickoff branch is released.
func TestReleaseRunDryRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	reg := regtest.Start(t)
	r := gittest.New(t)
	r.Write(".kickoff.yaml", "slots: [dev1, dev2]\napps:\n  be: {image: acme-be, port: 8080, health: /health}\n")
	newKickoff(t, r, k)
	head := r.Git("rev-parse", "HEAD")
	tag, err := slot.ImageTag(config.DefaultImageTag, "be", k, head)
	if err != nil {
		t.Fatal(err)
	}
	reg.Push(t, "acme-be", tag, regtest.Image{App: "be", Version: "be-dashboard"})
	f, out, errOut := slotFactory(t, r.Dir)
	f.Env = append(f.Env, "KICKOFF_REGISTRY="+reg.Host)
	if err := releaseRun(&ReleaseOptions{F: f, Ctx: t.Context(), Kickoff: k, Slot: "dev2", DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if want := "dev2  " + k + "  v0.1.0\nbe\t-\tacme-be:" + tag + "\tkickoff\tchanged\n"; out.String() != want {
		t.Errorf("release --dry-run printed:\n%s\nwant:\n%s", out, want)
	}
	if !strings.HasSuffix(errOut.String(), "dry run: nothing changed\n") {
		t.Errorf("stderr = %q, want the dry run said", errOut)
	}
	if tags := r.Git("tag"); tags != "" {
		t.Errorf("a dry run tagged %s", tags)
	}

	f, out, _ = slotFactory(t, r.Dir)
	f.Env = append(f.Env, "KICKOFF_REGISTRY="+reg.Host)
	if err := releaseRun(&ReleaseOptions{F: f, Ctx: t.Context(), Slot: "dev2", DryRun: true, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var res struct {
		DryRun bool `json:"dry_run"`
		Plan   struct {
			Slot, Kickoff string
		}
		Record any
	}
	decode(t, out.Bytes(), &res)
	if !res.DryRun || res.Plan.Slot != "dev2" || res.Plan.Kickoff != k || res.Record != nil {
		t.Errorf("release --slot dev2 --dry-run --json on %s = %+v", k, res)
	}
}
