package gitrepo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"
)

// Modes of the state directory (StateDir) and what kickoff keeps there: the ledger, slot
// locks and compose files (which hold secrets), the radar cache, the routing table. Only
// the user running kickoff reads them.
const (
	StateDirMode  fs.FileMode = 0o700
	StateFileMode fs.FileMode = 0o600
)

// ErrStateSymlink is returned when a folder or file under the state directory is a
// symbolic link: kickoff never writes through one (a symlinked locks/ or ledger.jsonl
// would send its writes wherever the link points).
var ErrStateSymlink = errors.New("is a symbolic link; kickoff does not follow links in its state folder: remove it")

// StateFolder makes stateDir/rel (rel "" for stateDir itself) and every folder between,
// 0700, and returns its path. Each component under stateDir is checked with Lstat: a
// symbolic link or a file there is an error naming it. stateDir itself may be a link (a
// state_dir the user pointed somewhere).
func StateFolder(stateDir, rel string) (string, error) {
	if rel != "" && !filepath.IsLocal(rel) {
		return "", fmt.Errorf("state path %q leaves the state folder %s", rel, stateDir)
	}
	if err := os.MkdirAll(stateDir, StateDirMode); err != nil {
		return "", fmt.Errorf("create state folder: %w", err)
	}
	dir := stateDir
	if rel == "" || rel == "." {
		return dir, nil
	}
	for _, part := range splitPath(filepath.Clean(rel)) {
		dir = filepath.Join(dir, part)
		st, err := os.Lstat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(dir, StateDirMode); err != nil && !errors.Is(err, fs.ErrExist) {
				return "", fmt.Errorf("create state folder: %w", err)
			}
			if st, err = os.Lstat(dir); err != nil { // a racing creator may have made anything
				return "", err
			}
		case err != nil:
			return "", err
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return "", fmt.Errorf("%s %w", dir, ErrStateSymlink)
		}
		if !st.IsDir() {
			return "", fmt.Errorf("%s is not a folder: kickoff keeps its state there; move it away", dir)
		}
	}
	return dir, nil
}

func splitPath(p string) []string {
	dir, file := filepath.Split(p)
	if dir == "" {
		return []string{file}
	}
	return append(splitPath(filepath.Clean(dir)), file)
}

// OpenStateFile opens stateDir/rel with flag (os.O_CREATE makes it 0600) after checking
// its folders as StateFolder does, without following a symbolic link at the file itself.
func OpenStateFile(stateDir, rel string, flag int) (*os.File, error) {
	path, err := statePath(stateDir, rel)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, flag|noFollow, StateFileMode)
	if err != nil {
		if st, lerr := os.Lstat(path); lerr == nil && st.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s %w", path, ErrStateSymlink)
		}
		return nil, err
	}
	return f, nil
}

// statePath checks rel's folders and that the file is not a link, and returns its path.
func statePath(stateDir, rel string) (string, error) {
	if !filepath.IsLocal(rel) {
		return "", fmt.Errorf("state path %q leaves the state folder %s", rel, stateDir)
	}
	dir, err := StateFolder(stateDir, filepath.Dir(rel))
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, filepath.Base(rel))
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return "", fmt.Errorf("%s %w", path, ErrStateSymlink)
	}
	return path, nil
}

// WriteStateFile replaces stateDir/rel with data: written to a temporary file with an
// unpredictable name in the same folder (os.CreateTemp, 0600), synced, then renamed over
// it, so readers see the old content or the new, and nobody can plant the temporary name.
func WriteStateFile(stateDir, rel string, data []byte) error {
	path, err := statePath(stateDir, rel)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	_, werr := tmp.Write(data)
	if err := errors.Join(werr, tmp.Sync(), tmp.Close()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// StateLock returns the OS file lock stateDir/rel (not yet taken), its folders checked as
// StateFolder does and the lock file opened without following a link.
func StateLock(stateDir, rel string) (*flock.Flock, error) {
	path, err := statePath(stateDir, rel)
	if err != nil {
		return nil, err
	}
	return flock.New(path, flock.SetFlag(os.O_CREATE|os.O_RDONLY|noFollow), flock.SetPermissions(StateFileMode)), nil
}
