package radar

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// MinGit is the oldest git whose merge-tree can merge without a work tree (--write-tree).
var MinGit = [2]int{2, 38}

var gitVersionRe = regexp.MustCompile(`git version (\d+)\.(\d+)`)

// GitVersion is the version of the git binary on PATH.
type GitVersion struct {
	Major, Minor int
	Raw          string
}

// AtLeast reports whether v >= major.minor.
func (v GitVersion) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

// ParseGitVersion reads the output of `git version`.
func ParseGitVersion(out string) (GitVersion, error) {
	m := gitVersionRe.FindStringSubmatch(out)
	if m == nil {
		return GitVersion{}, fmt.Errorf("cannot read the git version from %q", strings.TrimSpace(out))
	}
	maj, _ := strconv.Atoi(m[1])
	min, _ := strconv.Atoi(m[2])
	return GitVersion{Major: maj, Minor: min, Raw: strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(out), "git version "))}, nil
}

// CheckGit finds git and checks it can run `git merge-tree --write-tree`.
func CheckGit(ctx context.Context) (GitVersion, error) {
	key, err := gitVersionKey()
	if err != nil {
		return GitVersion{}, err
	}
	v, _, err := checkGit(ctx, nil, key, nil)
	return v, err
}

// gitVersionKey finds git on PATH and names this very binary (path, size and
// modification time): the key its version is cached under.
func gitVersionKey() (string, error) {
	bin, err := exec.LookPath("git")
	if err != nil {
		return "", fmt.Errorf("the conflict radar needs the git binary (>= %d.%d) on PATH: %w", MinGit[0], MinGit[1], err)
	}
	key := bin
	if fi, err := os.Stat(bin); err == nil {
		key = fmt.Sprintf("git-version:%s:%d:%d", bin, fi.Size(), fi.ModTime().UnixNano())
	}
	return key, nil
}

// gitVersionAnswer is the output of `git version`, asked ahead (see askGitVersion).
type gitVersionAnswer struct {
	out string
	err error
}

// askGitVersion runs `git version` in the background: a first run, which has no cache to
// ask, runs it while it creates the cache.
func askGitVersion(ctx context.Context) <-chan gitVersionAnswer {
	ch := make(chan gitVersionAnswer, 1)
	go func() {
		b, err := gitrepo.Command(ctx, "", "version").Output()
		ch <- gitVersionAnswer{string(b), err}
	}()
	return ch
}

// checkGit reads git's version from the cache, else from `git version` (asked, when
// not nil, is that already running). fresh is git's answer when the cache had none: the
// caller stores it with the run's results (see storeRun), so it costs no write of its own.
func checkGit(ctx context.Context, c *cache, key string, asked <-chan gitVersionAnswer) (v GitVersion, fresh string, err error) {
	var out string
	if !c.get(bucketMeta, key, &out) {
		if asked == nil {
			asked = askGitVersion(ctx)
		}
		a := <-asked
		if a.err != nil {
			return GitVersion{}, "", fmt.Errorf("run git version: %w", a.err)
		}
		out, fresh = a.out, a.out
	}
	v, err = ParseGitVersion(out)
	if err != nil {
		return GitVersion{}, "", err
	}
	if !v.AtLeast(MinGit[0], MinGit[1]) {
		return v, "", fmt.Errorf("git %s is too old for the conflict radar: it needs git >= %d.%d (for `git merge-tree --write-tree`); install a newer git (e.g. from your distribution's backports or git-scm.com) and run again", v.Raw, MinGit[0], MinGit[1])
	}
	return v, fresh, nil
}
