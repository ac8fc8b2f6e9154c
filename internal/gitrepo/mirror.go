package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
)

// OpenBareClone opens the bare repository at dir that keeps url's branches as
// remote-tracking branches of remote (refs/remotes/<remote>/*, as a clone does, so every
// lifecycle rule reads it as it reads a clone): it is created, empty, when absent; fetch to
// fill it. One whose remote is not so (a cache written by someone else, or for another URL)
// has it set again: the next fetch replaces what it holds.
func OpenBareClone(dir, remote, url string) (*Repo, error) {
	if _, err := os.Stat(filepath.Join(dir, "HEAD")); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		if _, err := git.PlainInit(dir, true); err != nil {
			return nil, fmt.Errorf("create the bare clone of %s at %s: %w", RedactURL(url), dir, err)
		}
	}
	r, err := Open(dir)
	if err != nil {
		return nil, fmt.Errorf("open the bare clone of %s at %s: %w", RedactURL(url), dir, err)
	}
	if !r.Bare() {
		return nil, fmt.Errorf("%s is not a bare repository: remove it and kickoff will clone %s there again", dir, RedactURL(url))
	}
	want := &gitconfig.RemoteConfig{Name: remote, URLs: []string{url}, Fetch: []gitconfig.RefSpec{gitconfig.RefSpec("+refs/heads/*:refs/remotes/" + remote + "/*")}}
	if rem, err := r.repo.Remote(remote); err == nil {
		c := rem.Config()
		if len(c.URLs) == 1 && c.URLs[0] == url && len(c.Fetch) == 1 && c.Fetch[0] == want.Fetch[0] {
			return r, nil
		}
		if err := r.repo.DeleteRemote(remote); err != nil {
			return nil, err
		}
	}
	if _, err := r.repo.CreateRemote(want); err != nil {
		return nil, fmt.Errorf("set the remote of %s: %w", dir, err)
	}
	return r, nil
}

// RemoteFor is the name of the first remote (sorted) whose URL is the repository at url
// (SameRepository; a relative path is taken from base).
func (r *Repo) RemoteFor(url, base string) (string, bool) {
	for _, name := range r.RemoteNames() {
		rem, err := r.repo.Remote(name)
		if err != nil {
			continue
		}
		for _, u := range rem.Config().URLs {
			if SameRepository(u, url, r.Root, base) {
				return name, true
			}
		}
	}
	return "", false
}

// SameRepository reports whether two remote URLs name the same repository: the same host
// and path whatever the protocol (git@host:acme/fe.git, ssh://host/acme/fe and
// https://host/acme/fe.git are one), or the same folder for local paths (relative ones
// taken from baseA and baseB).
func SameRepository(a, b, baseA, baseB string) bool {
	return CanonicalURL(a, baseA) == CanonicalURL(b, baseB)
}

var scpLike = regexp.MustCompile(`^(?:[^@/]+@)?([A-Za-z0-9.-]+):(.*)$`)

// CanonicalURL is the form of a remote URL SameRepository compares: "host/path" (lower-case
// host, no user, port kept, no trailing ".git" or "/") for network URLs, the absolute
// cleaned folder (symbolic links resolved) for a local path or file:// URL.
func CanonicalURL(raw, base string) string {
	if scheme, rest, ok := strings.Cut(raw, "://"); ok {
		if strings.EqualFold(scheme, "file") {
			return localPath(rest, base)
		}
		if _, after, ok := strings.Cut(rest, "@"); ok && !strings.Contains(rest[:strings.Index(rest, "@")], "/") {
			rest = after
		}
		host, path, _ := strings.Cut(rest, "/")
		return strings.ToLower(host) + "/" + trimGit(path)
	}
	if m := scpLike.FindStringSubmatch(raw); m != nil && !strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, ".") && len(m[1]) > 1 {
		return strings.ToLower(m[1]) + "/" + trimGit(strings.TrimPrefix(m[2], "/"))
	}
	return localPath(raw, base)
}

func trimGit(path string) string {
	path = strings.TrimRight(path, "/")
	return strings.TrimRight(strings.TrimSuffix(path, ".git"), "/")
}

func localPath(p, base string) string {
	if !filepath.IsAbs(p) {
		p = filepath.Join(base, p)
	}
	p = filepath.Clean(p)
	if real, err := filepath.EvalSymlinks(p); err == nil {
		p = real
	}
	return p
}
