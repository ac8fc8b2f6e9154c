package cli

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/kickoffhq/kickoff/internal/ci"
	"github.com/kickoffhq/kickoff/internal/github/githubtest"
	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/slot"
)

// These tests run the generated CI files' shell steps with bash, in the environment
// GitHub Actions or Jenkins gives them, against real repositories with a bare "origin"
// (reached through an https URL rewritten by git's insteadOf, as a real remote would be
// named), a `curl` that serves a release archive of the real kickoff binary built here,
// and GitHub faked at the HTTP edge.

const testVersion = "1.4.0"

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// kickoffBinary builds cmd/kickoff once per test process.
func kickoffBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kickoff-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "kickoff")
		out, err := exec.Command("go", "build", "-o", builtBin, "github.com/kickoffhq/kickoff/cmd/kickoff").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// ciWorld is a CI machine: a tools folder first on PATH (curl, docker fakes), the
// release files curl serves, a log of what the fakes were asked.
type ciWorld struct {
	t                  *testing.T
	tools, releases    string
	log                string
	origin, originURL  string
	home, gitconfig    string
	gh                 *githubtest.Fake
	baseEnv            []string
	archiveURL, sumURL string
}

func newCIWorld(t *testing.T) *ciWorld {
	t.Helper()
	base := t.TempDir()
	w := &ciWorld{t: t, tools: filepath.Join(base, "tools"), releases: filepath.Join(base, "releases"), log: filepath.Join(base, "calls.log"),
		origin: filepath.Join(base, "origin.git"), originURL: "https://github.example/acme/shop.git", home: filepath.Join(base, "home")}
	for _, d := range []string{w.tools, w.releases, w.home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The release: goreleaser's archive name and checksums.txt.
	archive := fmt.Sprintf("kickoff_%s_%s_%s.tar.gz", testVersion, runtime.GOOS, runtime.GOARCH)
	sum := writeArchive(t, filepath.Join(w.releases, archive), kickoffBinary(t))
	writeFile(t, filepath.Join(w.releases, "checksums.txt"), fmt.Sprintf("%s  %s\n%s  kickoff_%s_other_os.tar.gz\n", sum, archive, strings.Repeat("0", 64), testVersion))
	w.archiveURL = fmt.Sprintf("%s/download/v%s/%s", ci.Releases, testVersion, archive)
	w.sumURL = fmt.Sprintf("%s/download/v%s/checksums.txt", ci.Releases, testVersion)
	// curl -fsSL --retry 3 -o FILE URL: serves the file of that name from the release,
	// only for this release's URLs; anything else fails like a 404.
	writeFile(t, filepath.Join(w.tools, "curl"), fmt.Sprintf(`#!/bin/bash
out=; url=
while [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift 2;; --retry) shift 2;; -*) shift;; *) url=$1; shift;; esac; done
echo "curl $url" >> %q
case "$url" in %s/download/v%s/*) cp "%s/${url##*/}" "$out";; *) echo "curl: (22) 404" >&2; exit 22;; esac
`, w.log, ci.Releases, testVersion, w.releases))
	writeFile(t, filepath.Join(w.tools, "docker"), fmt.Sprintf("#!/bin/bash\necho \"docker $*\" >> %q\n", w.log))
	for _, f := range []string{"curl", "docker"} {
		if err := os.Chmod(filepath.Join(w.tools, f), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// git: the origin is named by an https URL, as on a real CI machine, and reached on
	// disk.
	w.gitconfig = filepath.Join(w.home, ".gitconfig")
	writeFile(t, w.gitconfig, fmt.Sprintf("[user]\n\tname = CI\n\temail = ci@example.com\n[url \"file://%s\"]\n\tinsteadOf = %s\n[advice]\n\tdetachedHead = false\n", w.origin, w.originURL))
	w.gh = githubtest.New(t, "gh-token")
	w.baseEnv = append(gittest.Env(), "HOME="+w.home, "GIT_CONFIG_GLOBAL="+w.gitconfig, "NO_COLOR=1",
		"PATH="+w.tools+string(os.PathListSeparator)+os.Getenv("PATH"))
	return w
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeArchive writes a tar.gz holding bin as "kickoff" (goreleaser's layout) and
// returns its sha256.
func writeArchive(t *testing.T, path, bin string) string {
	t.Helper()
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Name: "kickoff", Mode: 0o755, Size: int64(len(data))}); err != nil {
		t.Fatal(err)
	}
	tw.Write(data)
	for _, c := range []interface{ Close() error }{tw, gz, f} {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	raw, _ := os.ReadFile(path)
	h := sha256.Sum256(raw)
	return hex.EncodeToString(h[:])
}

// git runs git in dir with the world's configuration.
func (w *ciWorld) git(dir string, args ...string) string {
	w.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = w.baseEnv
	out, err := cmd.CombinedOutput()
	if err != nil {
		w.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// step runs script with bash as the CI system would (Actions: bash -e -o pipefail) in
// dir with env added; it returns the output and the exit code.
func (w *ciWorld) step(dir, script string, env ...string) (string, int) {
	w.t.Helper()
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(append([]string{}, w.baseEnv...), env...)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		w.t.Fatal(err)
	}
	return string(out), code
}

func (w *ciWorld) calls() string {
	data, _ := os.ReadFile(w.log)
	return string(data)
}

// teamRepo pushes to the origin: main, two kickoffs (login changes line 2 of app.txt,
// billing line 8), feature/PROJ-7-banner of login (line 4) and feature/PROJ-8-footer of
// billing (line 6); pull requests 7 and 8 as refs/pull/N/head. It returns the work
// repository used to push.
func (w *ciWorld) teamRepo() string {
	w.t.Helper()
	work := filepath.Join(filepath.Dir(w.origin), "dev")
	w.git(filepath.Dir(w.origin), "init", "-q", "--bare", "-b", "main", w.origin)
	w.git(filepath.Dir(w.origin), "init", "-q", "-b", "main", work)
	w.git(work, "remote", "add", "origin", w.originURL)
	app := "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n"
	commit := func(content, msg string) {
		writeFile(w.t, filepath.Join(work, "app.txt"), content)
		w.git(work, "add", "-A")
		w.git(work, "commit", "-q", "-m", msg)
	}
	writeFile(w.t, filepath.Join(work, ".kickoff.yaml"), "apps:\n  web:\n    image: registry.example.com/shop/web\n    port: 8080\n  api:\n    image: registry.example.com/shop/api\n    port: 8081\n    repo: https://github.example/acme/api.git\n")
	commit(app, "base")
	w.git(work, "checkout", "-q", "-b", "kickoff-241101-login")
	commit(strings.Replace(app, "two\n", "two: login\n", 1), "LOG-1 login")
	w.git(work, "checkout", "-q", "-b", "feature/PROJ-7-banner")
	commit(strings.Replace(strings.Replace(app, "two\n", "two: login\n", 1), "four\n", "four: banner\n", 1), "PROJ-7 banner")
	w.git(work, "checkout", "-q", "-b", "kickoff-241102-billing", "main")
	commit(strings.Replace(app, "eight\n", "eight: billing\n", 1), "BILL-2 billing")
	w.git(work, "checkout", "-q", "-b", "feature/PROJ-8-footer")
	commit(strings.Replace(strings.Replace(app, "eight\n", "eight: billing\n", 1), "six\n", "six: footer\n", 1), "PROJ-8 footer")
	w.git(work, "push", "-q", "origin", "main", "kickoff-241101-login", "kickoff-241102-billing", "feature/PROJ-7-banner", "feature/PROJ-8-footer",
		"feature/PROJ-7-banner:refs/pull/7/head", "feature/PROJ-8-footer:refs/pull/8/head")
	w.gh.AddPull(7, githubtest.PullRequest{HeadSHA: w.git(work, "rev-parse", "feature/PROJ-7-banner"), HeadRef: "feature/PROJ-7-banner", BaseRef: "kickoff-241101-login"})
	w.gh.AddPull(8, githubtest.PullRequest{HeadSHA: w.git(work, "rev-parse", "feature/PROJ-8-footer"), HeadRef: "feature/PROJ-8-footer", BaseRef: "kickoff-241102-billing"})
	return work
}

// workflowStep is a step of the generated workflow.
type workflowStep struct {
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]any    `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

type workflow struct {
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Env   map[string]string `yaml:"env"`
		Steps []workflowStep    `yaml:"steps"`
	} `yaml:"jobs"`
}

var exprRe = regexp.MustCompile(`\$\{\{\s*([^}]+?)\s*\}\}`)

// expand evaluates the ${{ ... }} expressions the workflow uses, as Actions would.
func expand(t *testing.T, s string, ctx map[string]string) string {
	return exprRe.ReplaceAllStringFunc(s, func(m string) string {
		k := exprRe.FindStringSubmatch(m)[1]
		v, ok := ctx[k]
		if !ok {
			t.Errorf("the workflow uses ${{ %s }}, which this test does not know", k)
		}
		return v
	})
}

// actionsEnv is the environment of a step: the runner's, the job's and the step's.
func actionsEnv(t *testing.T, wf workflow, st workflowStep, ctx map[string]string, runner []string) []string {
	env := append([]string{}, runner...)
	for k, v := range wf.Jobs["conflicts"].Env {
		env = append(env, k+"="+expand(t, v, ctx))
	}
	for k, v := range st.Env {
		env = append(env, k+"="+expand(t, v, ctx))
	}
	return env
}

func TestGitHubWorkflowRuns(t *testing.T) {
	w := newCIWorld(t)
	dev := w.teamRepo()
	data, err := ci.Render(ci.GitHub, ci.Params{Version: testVersion, Main: "main"})
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("the workflow is not YAML: %v\n%s", err, data)
	}
	// Triggers: pull requests, and pushes to main and kickoffs.
	push, _ := wf.On["push"].(map[string]any)
	if _, ok := wf.On["pull_request"]; !ok || fmt.Sprint(push["branches"]) != "[main kickoff-*]" {
		t.Errorf("on: %v", wf.On)
	}
	if wf.Permissions["checks"] != "write" || wf.Permissions["pull-requests"] != "write" || wf.Permissions["contents"] != "read" {
		t.Errorf("permissions %v", wf.Permissions)
	}
	steps := wf.Jobs["conflicts"].Steps
	var install, radarStep, cache *workflowStep
	for i, s := range steps {
		switch {
		case strings.HasPrefix(s.Uses, "actions/checkout@"):
			if s.With["fetch-depth"] != 0 {
				t.Errorf("checkout without full history: %v", s.With)
			}
		case strings.HasPrefix(s.Uses, "actions/cache@"):
			cache = &steps[i]
		case strings.HasPrefix(s.Name, "Install kickoff"):
			install = &steps[i]
		case s.Name == "Conflict radar":
			radarStep = &steps[i]
		}
	}
	if install == nil || radarStep == nil || cache == nil {
		t.Fatalf("steps: %+v", steps)
	}
	// The cache: every attempt its own key, restoring the newest by prefix, so a run
	// after one branch moved reuses every other pair's verdict.
	ctx := map[string]string{"runner.os": "Linux", "runner.temp": filepath.Join(t.TempDir()), "github.run_id": "41", "github.run_attempt": "2",
		"secrets.GITHUB_TOKEN": "gh-token", "github.event.pull_request.number || github.ref": "7"}
	if key, restore := expand(t, fmt.Sprint(cache.With["key"]), ctx), expand(t, fmt.Sprint(cache.With["restore-keys"]), ctx); cache.With["path"] != ".git/kickoff" || key != "kickoff-radar-Linux-41-2" || !strings.HasPrefix(key, restore) || restore == key {
		t.Errorf("cache %v: key %q restore %q", cache.With, key, restore)
	}

	// The runner: what Actions sets for every step.
	ghPath := filepath.Join(t.TempDir(), "github_path")
	summary := filepath.Join(t.TempDir(), "summary.md")
	writeFile(t, ghPath, "")
	runner := []string{"GITHUB_ACTIONS=true", "CI=true", "RUNNER_OS=Linux", "RUNNER_TEMP=" + ctx["runner.temp"], "GITHUB_PATH=" + ghPath,
		"GITHUB_STEP_SUMMARY=" + summary, "GITHUB_REPOSITORY=acme/shop", "GITHUB_API_URL=" + strings.TrimSuffix(w.gh.URL, "/")}

	// Install: the pinned release archive, checked, never "latest".
	out, code := w.step(t.TempDir(), install.Run, actionsEnv(t, wf, *install, ctx, runner)...)
	if code != 0 {
		t.Fatalf("install step exit %d:\n%s", code, out)
	}
	if got := w.calls(); got != "curl "+w.archiveURL+"\ncurl "+w.sumURL+"\n" {
		t.Errorf("install downloaded:\n%s\nwant the %s archive and its checksums", got, testVersion)
	}
	pathAdd, _ := os.ReadFile(ghPath)
	binDir := strings.TrimSpace(string(pathAdd))
	if _, err := os.Stat(filepath.Join(binDir, "kickoff")); err != nil {
		t.Fatalf("GITHUB_PATH %q has no kickoff: %v", binDir, err)
	}
	runner = append(runner, "PATH="+binDir+string(os.PathListSeparator)+w.tools+string(os.PathListSeparator)+os.Getenv("PATH"))

	// A pull request: actions/checkout with fetch-depth 0 (every branch, full history),
	// at the merge commit; the event payload names the head.
	checkout := func(ref string) string {
		dir := filepath.Join(t.TempDir(), "ws")
		w.git(filepath.Dir(dir), "clone", "-q", "--no-checkout", w.originURL, dir)
		w.git(dir, "fetch", "-q", "origin", ref)
		w.git(dir, "checkout", "-q", "--detach", "FETCH_HEAD")
		return dir
	}
	event := func(v any) string {
		p := filepath.Join(t.TempDir(), "event.json")
		data, _ := json.Marshal(v)
		writeFile(t, p, string(data))
		return p
	}
	prEvent := func(n int, head, base, headRepo string) string {
		return event(map[string]any{"action": "synchronize", "number": n, "pull_request": map[string]any{"number": n,
			"head": map[string]any{"sha": w.git(dev, "rev-parse", head), "ref": head, "repo": map[string]any{"full_name": headRepo}},
			"base": map[string]any{"ref": base, "repo": map[string]any{"full_name": "acme/shop"}}}})
	}
	ws := checkout("refs/pull/8/head")
	prEnv := append(actionsEnv(t, wf, *radarStep, ctx, runner), "GITHUB_EVENT_NAME=pull_request", "GITHUB_REF=refs/pull/8/merge",
		"GITHUB_EVENT_PATH="+prEvent(8, "feature/PROJ-8-footer", "kickoff-241102-billing", "acme/shop"))
	out, code = w.step(ws, radarStep.Run, prEnv...)
	if code != 0 || !strings.Contains(out, "published check run") || !strings.Contains(out, "no conflicts: no pull-request comment") {
		t.Fatalf("a clean pull request: exit %d\n%s", code, out)
	}
	runs, comments := w.gh.Snapshot()
	if len(runs) != 1 || runs[0].Conclusion != "success" || len(comments) != 0 {
		t.Fatalf("after the clean pull request: runs %+v comments %+v", runs, comments)
	}
	if s, _ := os.ReadFile(summary); !strings.Contains(string(s), "Conflict radar") {
		t.Errorf("no report in the step summary: %q", s)
	}

	// main moves under it: a hotfix on line 6, which the footer changed too. The push's
	// run re-checks the open pull requests and turns #8 red on its head.
	w.git(dev, "checkout", "-q", "main")
	writeFile(t, filepath.Join(dev, "app.txt"), "one\ntwo\nthree\nfour\nfive\nsix: hotfix\nseven\neight\n")
	w.git(dev, "commit", "-q", "-am", "OPS-9 hotfix")
	w.git(dev, "push", "-q", "origin", "main")
	ws = checkout("refs/heads/main")
	pushEnv := append(actionsEnv(t, wf, *radarStep, ctx, runner), "GITHUB_EVENT_NAME=push", "GITHUB_REF=refs/heads/main",
		"GITHUB_EVENT_PATH="+event(map[string]any{"ref": "refs/heads/main", "after": w.git(dev, "rev-parse", "main")}))
	out, code = w.step(ws, radarStep.Run, pushEnv...)
	if code != 0 || !strings.Contains(out, "re-checking the open pull requests main moved under: 2 of 2") {
		t.Fatalf("the push's re-check: exit %d\n%s", code, out)
	}
	runs, comments = w.gh.Snapshot()
	footer := w.git(dev, "rev-parse", "feature/PROJ-8-footer")
	last := map[string]githubtest.CheckRun{}
	for _, r := range runs {
		last[r.HeadSHA] = r
	}
	if r := last[footer]; r.Conclusion != "failure" || r.Title != "Conflicts with main" {
		t.Errorf("#8 after main moved: %+v", r)
	}
	if len(comments) != 1 || comments[0].Issue != 8 {
		t.Errorf("comments after the push: %+v", comments)
	}

	// A fork's pull request: a read-only token. The report is in the log, nothing is
	// published, and the job fails only on the verdict.
	w.gh.Deny = true
	ws = checkout("refs/pull/8/head")
	forkEnv := append(actionsEnv(t, wf, *radarStep, ctx, runner), "GITHUB_EVENT_NAME=pull_request", "GITHUB_REF=refs/pull/8/merge",
		"GITHUB_EVENT_PATH="+prEvent(8, "feature/PROJ-8-footer", "kickoff-241102-billing", "someone/shop"))
	out, code = w.step(ws, radarStep.Run, forkEnv...)
	if code != 1 || !strings.Contains(out, "comes from a fork") || !strings.Contains(out, "FAIL") || strings.Contains(out, "not published to GitHub") {
		t.Errorf("a fork's pull request: exit %d\n%s", code, out)
	}
}

// jenkinsStage is a stage of the generated Jenkinsfile with its sh blocks in order.
type jenkinsStage struct {
	Name string
	Sh   []string
}

var (
	stageRe = regexp.MustCompile(`stage\('([^']+)'\)`)
	shRe    = regexp.MustCompile(`(?s)sh '''\n(.*?)'''`)
	envRe   = regexp.MustCompile(`(?m)^\s+([A-Z_]+) = (?:'([^']*)'|"([^"]*)")$`)
)

// parseJenkinsfile reads the stages' sh blocks and the environment block. Groovy would
// unescape backslashes in ”' strings: the blocks must have none, so what runs here is
// what Jenkins runs.
func parseJenkinsfile(t *testing.T, src string) ([]jenkinsStage, map[string]string) {
	var stages []jenkinsStage
	idx := stageRe.FindAllStringSubmatchIndex(src, -1)
	for i, m := range idx {
		end := len(src)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		st := jenkinsStage{Name: src[m[2]:m[3]]}
		for _, sh := range shRe.FindAllStringSubmatch(src[m[1]:end], -1) {
			if strings.Contains(sh[1], `\`) {
				t.Errorf("stage %s: a backslash in an sh block (Groovy unescapes it)", st.Name)
			}
			st.Sh = append(st.Sh, sh[1])
		}
		stages = append(stages, st)
	}
	env := map[string]string{}
	for _, m := range envRe.FindAllStringSubmatch(src, -1) {
		env[m[1]] = m[2] + m[3]
	}
	return stages, env
}

func TestJenkinsfileRuns(t *testing.T) {
	w := newCIWorld(t)
	dev := w.teamRepo()
	data, err := ci.Render(ci.Jenkins, ci.Params{Version: testVersion, Main: "main"})
	if err != nil {
		t.Fatal(err)
	}
	stages, env := parseJenkinsfile(t, string(data))
	byName := map[string]jenkinsStage{}
	for _, s := range stages {
		byName[s.Name] = s
	}
	if len(byName["Install kickoff"].Sh) != 1 || len(byName["Conflict radar"].Sh) != 3 || len(byName["Build images"].Sh) != 1 {
		t.Fatalf("stages: %+v", stages)
	}
	if env["KICKOFF_VERSION"] != testVersion {
		t.Errorf("environment %v", env)
	}
	for _, want := range []string{"when { changeRequest() }", "gitUsernamePassword(credentialsId: scm.userRemoteConfigs[0].credentialsId)",
		"string(credentialsId: env.KICKOFF_GITHUB_CREDENTIALS, variable: 'GITHUB_TOKEN')", "when { not { changeRequest() } }"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the Jenkinsfile lacks %q", want)
		}
	}
	// The agent's workspace, as the multibranch job checks it out for pull request 7: a
	// shallow clone of the head with the target merged in (the merge commit Jenkins
	// builds), nothing else fetched.
	ws := filepath.Join(t.TempDir(), "ws")
	w.git(filepath.Dir(ws), "init", "-q", "-b", "main", ws)
	w.git(ws, "remote", "add", "origin", w.originURL)
	w.git(ws, "fetch", "-q", "--depth=5", "origin", "+refs/pull/7/head:refs/remotes/origin/PR-7", "+refs/heads/kickoff-241101-login:refs/remotes/origin/kickoff-241101-login")
	w.git(ws, "checkout", "-q", "--detach", "origin/PR-7")
	w.git(ws, "merge", "-q", "--no-edit", "origin/kickoff-241101-login")
	agent := []string{"WORKSPACE=" + ws, "JENKINS_URL=https://jenkins.example/", "GITHUB_API_URL=" + strings.TrimSuffix(w.gh.URL, "/")}
	for k, v := range env {
		agent = append(agent, k+"="+strings.ReplaceAll(v, "${WORKSPACE}", ws))
	}
	out, code := w.step(ws, byName["Install kickoff"].Sh[0], agent...)
	if code != 0 || w.calls() != "curl "+w.archiveURL+"\ncurl "+w.sumURL+"\n" {
		t.Fatalf("install: exit %d\n%s\ncalls:\n%s", code, out, w.calls())
	}

	// The pull request 7 (banner into login): fetch with full history, then check its
	// head, and publish with the token credential.
	pr := append(agent, "CHANGE_ID=7", "CHANGE_BRANCH=feature/PROJ-7-banner", "CHANGE_TARGET=kickoff-241101-login", "BRANCH_NAME=PR-7",
		"GIT_COMMIT="+w.git(ws, "rev-parse", "HEAD"))
	radarSh := byName["Conflict radar"].Sh
	if out, code := w.step(ws, radarSh[0], pr...); code != 0 {
		t.Fatalf("fetch: exit %d\n%s", code, out)
	}
	if shallow := w.git(ws, "rev-parse", "--is-shallow-repository"); shallow != "false" {
		t.Errorf("still shallow after the fetch")
	}
	publishSh, plainSh := radarSh[1], radarSh[2]
	if !strings.Contains(publishSh, "--publish") || strings.Contains(plainSh, "--publish") {
		t.Fatalf("the radar's sh blocks: %q", radarSh)
	}
	out, code = w.step(ws, plainSh, pr...)
	banner := w.git(dev, "rev-parse", "feature/PROJ-7-banner")
	if code != 0 || !strings.Contains(out, "check feature/PROJ-7-banner ("+banner[:12]+") against its target kickoff-241101-login") {
		t.Fatalf("check without a token: exit %d\n%s", code, out)
	}
	if runs, _ := w.gh.Snapshot(); len(runs) != 0 {
		t.Errorf("published without a token: %+v", runs)
	}
	out, code = w.step(ws, publishSh, append(pr, "GITHUB_TOKEN=gh-token")...)
	runs, _ := w.gh.Snapshot()
	if code != 0 || len(runs) != 1 || runs[0].HeadSHA != banner || runs[0].Conclusion != "success" {
		t.Fatalf("check --publish: exit %d runs %+v\n%s", code, runs, out)
	}

	// A branch build of login: each app built from this repository gets exactly the tag
	// `kickoff release` looks for; api is built from its own repository.
	w.git(ws, "checkout", "-q", "--detach", "origin/kickoff-241101-login")
	login := w.git(ws, "rev-parse", "HEAD")
	out, code = w.step(ws, byName["Build images"].Sh[0], append(agent, "BRANCH_NAME=kickoff-241101-login", "GIT_COMMIT="+login)...)
	if code != 0 {
		t.Fatalf("build: exit %d\n%s", code, out)
	}
	tag, err := slot.ImageTag("{{.Branch}}-{{.ShortSHA}}", "web", "kickoff-241101-login", login)
	if err != nil {
		t.Fatal(err)
	}
	image := "registry.example.com/shop/web:" + tag
	if calls := w.calls(); !strings.HasSuffix(calls, "docker build -t "+image+" .\ndocker push "+image+"\n") || strings.Contains(calls, "shop/api") {
		t.Errorf("docker calls:\n%s\nwant web built and pushed as %s, api not", calls, image)
	}
}

func TestCIInitFlags(t *testing.T) {
	o, err := parseFlags(t, newCmdCI, "init", "github", "--version", "1.4.0", "--force")
	if err != nil {
		t.Fatal(err)
	}
	if o.Provider != "github" || o.Version != "1.4.0" || !o.Force {
		t.Errorf("ci init options = %+v", o)
	}
	if o, err := parseFlags(t, newCmdCI, "init", "jenkins", "--version", "v2.0.1"); err != nil || o.Provider != "jenkins" {
		t.Errorf("ci init jenkins: %+v, %v", o, err)
	}
	wantUsage(t, newCmdCI, "init", "gitlab", "--version", "1.4.0")
	wantUsage(t, newCmdCI, "init", "github", "--version", "latest")
	// A development build has no release to pin: the user must name one.
	wantUsage(t, newCmdCI, "init", "github")
}
