package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

func init() {
	scriptCmds["finish-fixture"] = cmdFinishFixture
	scriptCmds["finish-done"] = cmdFinishDone
}

// finish-fixture [-unmerged] DIR makes $WORK/DIR, a clone of the bare $WORK/DIR-remote.git,
// with kickoff-240510-dash and its feature/PROJ-1 (recorded and pushed as `kickoff feature`
// does) merged into main with merge commits and pushed; with -unmerged the kickoff is not
// merged into main. The work tree is left on the kickoff.
func cmdFinishFixture(ts *testscript.TestScript, neg bool, args []string) {
	unmerged := len(args) == 2 && args[0] == "-unmerged"
	if unmerged {
		args = args[1:]
	}
	if neg || len(args) != 1 {
		ts.Fatalf("usage: finish-fixture [-unmerged] DIR")
	}
	dir := ts.MkAbs(args[0])
	remote := dir + "-remote.git"
	git := func(a ...string) {
		cmd := exec.Command("git", a...)
		cmd.Dir = dir
		cmd.Env = scriptEnv(ts)
		if out, err := cmd.CombinedOutput(); err != nil {
			ts.Fatalf("git %s: %v\n%s", strings.Join(a, " "), err, out)
		}
	}
	write := func(name, content string) {
		ts.Check(os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
		git("add", name)
	}
	ts.Check(os.MkdirAll(dir, 0o755))
	git("init", "-q", "--bare", "-b", "main", remote)
	git("init", "-q", "-b", "main")
	git("remote", "add", "origin", remote)
	write("README.md", "대시보드 플랫폼\n")
	git("commit", "-q", "-m", "initial commit")
	git("push", "-q", "-u", "origin", "main")
	git("switch", "-q", "-c", "kickoff-240510-dash")
	write("dash.txt", "대시보드\n")
	git("commit", "-q", "-m", "PROJ-1 대시보드 화면")
	git("push", "-q", "-u", "origin", "kickoff-240510-dash")
	git("switch", "-q", "-c", "feature/PROJ-1")
	git("config", "branch.feature/PROJ-1.kickoff", "kickoff-240510-dash")
	git("update-ref", "refs/kickoff/features/kickoff-240510-dash/feature/PROJ-1", "HEAD")
	write("chart.txt", "차트\n")
	git("commit", "-q", "-m", "PROJ-1 차트 추가")
	git("push", "-q", "-u", "origin", "feature/PROJ-1", "refs/kickoff/features/kickoff-240510-dash/feature/PROJ-1")
	git("switch", "-q", "kickoff-240510-dash")
	git("merge", "-q", "--no-ff", "--no-edit", "feature/PROJ-1")
	git("push", "-q")
	if !unmerged {
		git("switch", "-q", "main")
		git("merge", "-q", "--no-ff", "--no-edit", "kickoff-240510-dash")
		git("push", "-q", "origin", "main")
		git("switch", "-q", "kickoff-240510-dash")
	}
}

// finish-done KICKOFF [FEATURE...] asserts, in the current repository and its origin, what a
// finished kickoff leaves: no branch of it or of its features here or on origin, no
// membership ref, its record here and on origin (the same object, on the kickoff's last
// commit), and its final platform tag on origin on a commit origin/main contains.
func cmdFinishDone(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: finish-done KICKOFF [FEATURE...]")
	}
	git := func(a ...string) (string, error) {
		cmd := exec.Command("git", a...)
		cmd.Dir = ts.MkAbs(".")
		cmd.Env = scriptEnv(ts)
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), err
	}
	must := func(a ...string) string {
		out, err := git(a...)
		if err != nil {
			ts.Fatalf("git %s: %v", strings.Join(a, " "), err)
		}
		return out
	}
	k := args[0]
	remote := must("ls-remote", "origin")
	local := must("for-each-ref", "--format=%(objectname) %(refname)")
	for _, b := range args {
		for _, refs := range []string{remote, local} {
			for _, ref := range []string{"refs/heads/" + b, "refs/remotes/origin/" + b} {
				if strings.Contains(refs+"\n", " "+ref+"\n") || strings.Contains(refs+"\n", "\t"+ref+"\n") {
					ts.Fatalf("%s is still there", ref)
				}
			}
		}
	}
	if strings.Contains(remote, "refs/kickoff/features/") || strings.Contains(local, "refs/kickoff/features/") {
		ts.Fatalf("membership refs left:\n%s\n%s", remote, local)
	}
	rec := "refs/kickoff/finished/" + k
	here := must("rev-parse", rec)
	there := must("ls-remote", "origin", rec)
	if !strings.HasPrefix(there, here+"\t") {
		ts.Fatalf("record here %s, on origin %q", here, there)
	}
	msg := must("cat-file", "-p", here)
	if !strings.Contains(msg, "kickoff "+k+" finished") || !strings.Contains(msg, "version: platform/v") {
		ts.Fatalf("record message:\n%s", msg)
	}
	tag := ""
	for _, line := range strings.Split(msg, "\n") {
		if v, ok := strings.CutPrefix(line, "version: "); ok {
			tag = v
		}
	}
	peeled := must("ls-remote", "origin", "refs/tags/"+tag+"^{}")
	if peeled == "" {
		ts.Fatalf("final tag %s not on origin", tag)
	}
	must("fetch", "-q", "origin", "main")
	if _, err := git("merge-base", "--is-ancestor", strings.Fields(peeled)[0], "origin/main"); err != nil {
		ts.Fatalf("final tag %s is on %s, not in origin/main", tag, peeled)
	}
	if n := strings.Count(must("ls-remote", "origin", "refs/tags/*"), "\n"); n > 1 {
		ts.Fatalf("more than one tag on origin:\n%s", must("ls-remote", "origin", "refs/tags/*"))
	}
}
