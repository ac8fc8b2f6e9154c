package platform

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"regexp"
	"runtime"
)

// CacheDir is where the bare clones of the platform's repositories are kept:
// os.UserCacheDir()/kickoff/repos, read from getenv (the command's environment).
func CacheDir(getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	var base string
	switch runtime.GOOS {
	case "windows":
		base = getenv("LocalAppData")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			base = filepath.Join(h, "Library", "Caches")
		}
	default:
		base = getenv("XDG_CACHE_HOME")
		if !filepath.IsAbs(base) {
			base = ""
			if h := getenv("HOME"); h != "" {
				base = filepath.Join(h, ".cache")
			}
		}
	}
	if base == "" {
		return "", errors.New("no cache folder for the bare clones of the platform's repositories: set HOME (or XDG_CACHE_HOME), or give each repository a local clone with path:")
	}
	return filepath.Join(base, "kickoff", "repos"), nil
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// CacheName is the folder name of a repository's bare clone: its canonical URL
// (gitrepo.CanonicalURL) made safe as a file name, cut short, and a hash of it so two URLs
// never share one.
func CacheName(canonical string) string {
	safe := unsafeChars.ReplaceAllString(canonical, "_")
	if len(safe) > 80 {
		safe = safe[len(safe)-80:]
	}
	sum := sha256.Sum256([]byte(canonical))
	return safe + "-" + hex.EncodeToString(sum[:4])
}
