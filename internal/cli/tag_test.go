package cli

import (
	"reflect"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
)

func TestTagFlags(t *testing.T) {
	o, err := parseFlags(t, newCmdTag, "kickoff-240510-x", "--rc", "--commit", "3f2a1bc", "--json")
	if err != nil || o.Kickoff != "kickoff-240510-x" || !o.RC || o.Commit != "3f2a1bc" || !o.JSON {
		t.Errorf("tag options = %+v, %v", o, err)
	}
	if o, err = parseFlags(t, newCmdTag); err != nil || o.Kickoff != "" {
		t.Errorf("no kickoff: %+v, %v", o, err)
	}
	wantUsage(t, newCmdTag, "a", "b")
}

func TestTagRun(t *testing.T) {
	const k = "kickoff-240510-dashboard"
	r := gittest.New(t)
	newKickoff(t, r, k)
	head := r.Git("rev-parse", "HEAD")
	tag := func(o TagOptions) (string, string, error) {
		t.Helper()
		f, out, errOut := repoFactory(t, r.Dir)
		o.F, o.Ctx = f, t.Context()
		err := tagRun(&o)
		return out.String(), errOut.String(), err
	}
	out, errOut, err := tag(TagOptions{RC: true})
	if err != nil || out != "platform/v0.1.0-rc.1\n" || errOut != "Tagged "+head[:12]+" as platform/v0.1.0-rc.1 and pushed it to origin.\n" {
		t.Errorf("--rc: %q %q %v", out, errOut, err)
	}
	out, _, err = tag(TagOptions{Kickoff: k, RC: true, JSON: true})
	var got tagJSON
	decode(t, []byte(out), &got)
	if err != nil || !reflect.DeepEqual(got, tagJSON{Kickoff: k, Version: "0.1.0", Tag: "platform/v0.1.0-rc.1", Commit: head, RC: 1}) {
		t.Errorf("--rc again --json: %+v %v", got, err)
	}
	if _, errOut, err = tag(TagOptions{}); err != nil || !strings.HasPrefix(errOut, "Tagged ") {
		t.Errorf("final: %q %v", errOut, err)
	}
	if out, errOut, err = tag(TagOptions{}); err != nil || out != "platform/v0.1.0\n" || errOut != "platform/v0.1.0 is already on "+head[:12]+"; nothing to do.\n" {
		t.Errorf("final again: %q %q %v", out, errOut, err)
	}
	if _, _, err = tag(TagOptions{Kickoff: "kickoff-240601-gone"}); err == nil || !strings.Contains(err.Error(), "kickoff-240601-gone has no local or remote branch here") {
		t.Errorf("no branch: %v", err)
	}
}
