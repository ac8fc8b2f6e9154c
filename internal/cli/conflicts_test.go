package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/radar"
)

func TestConflictsFlags(t *testing.T) {
	o, err := parseFlags(t, newCmdConflicts, "main", "feature/PROJ-7", "--base", "trunk", "--json", "--exit-zero", "--pairs-from", "pairs.txt")
	if err != nil || !reflect.DeepEqual(o.Refs, []string{"main", "feature/PROJ-7"}) || o.Base != "trunk" || !o.JSON || !o.ExitZero || o.PairsFile != "pairs.txt" {
		t.Errorf("conflicts: %+v %v", o, err)
	}
	if o, err := parseFlags(t, newCmdConflicts); err != nil || len(o.Refs) != 0 || o.Base != "" {
		t.Errorf("no refs: %+v %v, want main and the live kickoffs", o, err)
	}
	wantUsage(t, newCmdConflicts, "--bogus")
}

// conflictsRepo has two feature branches that change line 3 of app.txt differently.
func conflictsRepo(t *testing.T) *gittest.Repo {
	t.Helper()
	r := gittest.NewLocal(t)
	r.Commit("app.txt", "one\ntwo\nthree\nfour\nfive\n", "base")
	for _, b := range []string{"feature/PROJ-4-a", "feature/PROJ-5-b"} {
		r.Git("checkout", "-q", "-b", b, "main")
		r.Commit("app.txt", "one\ntwo\n"+b+"\nfour\nfive\n", b[8:14]+" edit line 3")
	}
	r.Git("checkout", "-q", "main")
	return r
}

func TestConflictsRun(t *testing.T) {
	const a, b = "feature/PROJ-4-a", "feature/PROJ-5-b"
	r := conflictsRepo(t)
	run := func(o ConflictsOptions) (string, error) {
		t.Helper()
		f, out, _ := repoFactory(t, r.Dir)
		o.F, o.Ctx = f, t.Context()
		err := conflictsRun(&o)
		return out.String(), err
	}

	// A conflicting pair exits 1 after the report: one line per pair, then the details.
	out, err := run(ConflictsOptions{Refs: []string{"main", a, b}})
	if exitCode(err) != ExitFailure {
		t.Errorf("a conflicting pair: err = %v (exit %d), want exit %d", err, exitCode(err), ExitFailure)
	}
	for _, line := range []string{
		"main\t" + a + "\tclean\n",
		"main\t" + b + "\tclean\n",
		a + "\t" + b + "\t1 conflicted file\n",
		"\n" + a + " x " + b + ": 1 conflicted file\n",
		"  app.txt  ours 3  theirs 3\n",
		"PROJ-4  PROJ-4 edit line 3\n",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("kickoff conflicts lacks %q:\n%s", line, out)
		}
	}
	if _, err := run(ConflictsOptions{Refs: []string{"main", a, b}, ExitZero: true}); err != nil {
		t.Errorf("--exit-zero: err = %v", err)
	}

	out, err = run(ConflictsOptions{Refs: []string{a, b}, JSON: true})
	var rep radar.Report
	decode(t, []byte(out), &rep)
	if exitCode(err) != ExitFailure || len(rep.Pairs) != 1 || rep.Pairs[0].Clean || rep.Pairs[0].Conflicts[0].Path != "app.txt" {
		t.Errorf("--json: %v %+v", err, rep)
	}

	// --pairs-from compares exactly the listed pairs.
	pairs := filepath.Join(t.TempDir(), "pairs.txt")
	if err := os.WriteFile(pairs, []byte("main "+a+"\n\nmain "+b+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(ConflictsOptions{PairsFile: pairs}); err != nil || out != "main\t"+a+"\tclean\nmain\t"+b+"\tclean\n" {
		t.Errorf("--pairs-from: %v\n%s", err, out)
	}

	for _, o := range []ConflictsOptions{{PairsFile: pairs, Refs: []string{"main"}}, {PairsFile: pairs, Base: "main"}, {Refs: []string{a}}} {
		if out, err := run(o); !isUsage(err) || out != "" {
			t.Errorf("%+v: err = %v, stdout %q; want a usage error", o, err, out)
		}
	}
}

func TestReadPairs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pairs.txt")
	os.WriteFile(path, []byte("main a\n\n  a b  \nmain b\n"), 0o644)
	names, pairs, err := readPairs(path)
	if err != nil || !reflect.DeepEqual(names, []string{"main", "a", "b"}) || !reflect.DeepEqual(pairs, [][2]int{{0, 1}, {1, 2}, {0, 2}}) {
		t.Errorf("readPairs = %q %v %v", names, pairs, err)
	}
	os.WriteFile(path, []byte("main a\nmain a b\n"), 0o644)
	if _, _, err := readPairs(path); err == nil || !strings.Contains(err.Error(), path+`:2: want two refs, got "main a b"`) {
		t.Errorf("three refs on a line: err = %v, want the line named", err)
	}
}
