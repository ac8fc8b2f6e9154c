package radar

import (
	"context"
	"fmt"
	"log/slog"
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
func CheckGit(ctx context.Context) (GitVersion, error) { return checkGit(ctx, nil) }

// checkGit asks `git version`, or the cache, which remembers the answer for this very
// binary (path, size and modification time).
func checkGit(ctx context.Context, c *cache) (GitVersion, error) {
	bin, err := exec.LookPath("git")
	if err != nil {
		return GitVersion{}, fmt.Errorf("the conflict radar needs the git binary (>= %d.%d) on PATH: %w", MinGit[0], MinGit[1], err)
	}
	key := bin
	if fi, err := os.Stat(bin); err == nil {
		key = fmt.Sprintf("git-version:%s:%d:%d", bin, fi.Size(), fi.ModTime().UnixNano())
	}
	var out string
	if !c.get(bucketMeta, key, &out) {
		b, err := gitrepo.Command(ctx, "", "version").Output()
		if err != nil {
			return GitVersion{}, fmt.Errorf("run %s version: %w", bin, err)
		}
		out = string(b)
		if err := c.putAll(bucketMeta, map[string]any{key: out}); err != nil {
			slog.Debug("could not cache the git version", "err", err)
		}
	}
	v, err := ParseGitVersion(out)
	if err != nil {
		return GitVersion{}, err
	}
	if !v.AtLeast(MinGit[0], MinGit[1]) {
		return v, fmt.Errorf("git %s is too old for the conflict radar: it needs git >= %d.%d (for `git merge-tree --write-tree`); install a newer git (e.g. from your distribution's backports or git-scm.com) and run again", v.Raw, MinGit[0], MinGit[1])
	}
	return v, nil
}
