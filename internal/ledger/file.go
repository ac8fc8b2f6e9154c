package ledger

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// FileName is the file backend's file inside the state directory.
const FileName = "ledger.jsonl"

// FileStore is the embedded ledger: one JSON object per line in a file, appended under an
// exclusive file lock and fsynced before Append returns. Earlier lines are never rewritten, so a
// crash mid-write can at worst leave the last line torn; readers skip such a line (and any other
// line that does not parse) with a warning instead of failing.
type FileStore struct {
	path string
	// Warn receives one message per skipped line; nil logs through slog at warning level.
	Warn func(msg string)
	// LockTimeout bounds the wait for other writers; 0 means 30s.
	LockTimeout time.Duration
}

// NewFileStore returns the ledger kept in path (created on the first append).
func NewFileStore(path string) *FileStore { return &FileStore{path: path} }

// Path is the ledger file.
func (s *FileStore) Path() string { return s.path }

func (s *FileStore) warn(msg string) { warn(s.Warn, msg) }

// Append writes r as one line. It fills ID and Time when empty and returns the stored record.
func (s *FileStore) Append(ctx context.Context, r Record) (Record, error) {
	r, line, err := prepare(r)
	if err != nil {
		return r, err
	}
	line = append(line, '\n')

	// The ledger's folder is the state folder (or one the configuration named): its rules
	// hold, no symbolic link is written through.
	dir, name := filepath.Split(s.path)
	lock, err := gitrepo.StateLock(dir, name+".lock")
	if err != nil {
		return r, fmt.Errorf("lock ledger: %w", err)
	}
	timeout := s.LockTimeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	lctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ok, err := lock.TryLockContext(lctx, 5*time.Millisecond)
	if err != nil || !ok {
		if err == nil {
			err = lctx.Err()
		}
		return r, fmt.Errorf("lock ledger %s (another kickoff is writing; retry): %w", s.path, err)
	}
	defer lock.Unlock()

	_, statErr := os.Stat(s.path)
	created := errors.Is(statErr, fs.ErrNotExist)
	f, err := gitrepo.OpenStateFile(dir, name, os.O_RDWR|os.O_APPEND|os.O_CREATE)
	if err != nil {
		return r, fmt.Errorf("open ledger: %w", err)
	}
	defer f.Close()
	// A torn last line (a writer died mid-line) must not swallow this record: end it first.
	// The torn bytes stay as they are; readers skip them.
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	if _, err := f.Write(line); err != nil {
		return r, fmt.Errorf("append to ledger %s: %w", s.path, err)
	}
	if err := f.Sync(); err != nil {
		return r, fmt.Errorf("sync ledger %s: %w", s.path, err)
	}
	if created {
		syncDir(dir) // make the new file's name durable too
	}
	return r, nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// List returns the records passing f, newest first. A missing file is an empty ledger.
func (s *FileStore) List(ctx context.Context, f Filter) ([]Record, error) {
	recs, err := s.All(ctx)
	if err != nil {
		return nil, err
	}
	return newestFirst(recs, f), nil
}

// Replay folds every record of the file into slot state.
func (s *FileStore) Replay(ctx context.Context) (*Replay, error) {
	recs, err := s.All(ctx)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(recs, func(a, b Record) int { return strings.Compare(a.ID, b.ID) })
	p := &Replay{}
	for _, r := range recs {
		p.Add(r)
	}
	return p, nil
}

// All reads every readable record, oldest first, skipping (with a warning) lines that do not parse.
func (s *FileStore) All(ctx context.Context) ([]Record, error) {
	file, err := os.Open(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read ledger: %w (check the file's permissions, or set ledger/state_dir in .kickoff.yaml)", err)
	}
	defer file.Close()
	br := bufio.NewReaderSize(file, 64<<10)
	var recs []Record
	for n := 1; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		line, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read ledger %s line %d: %w (is it a regular file?)", s.path, n, err)
		}
		eof := err != nil
		if eof && len(line) == 0 {
			break
		}
		trimmed := bytes.TrimSpace(line)
		switch {
		case len(trimmed) == 0:
		case eof: // no newline: the last write did not finish
			var r Record
			if json.Unmarshal(trimmed, &r) == nil && r.check() == nil {
				// Complete JSON, only the newline is missing: keep it.
				recs = append(recs, r)
				break
			}
			s.warn(fmt.Sprintf("ledger %s: line %d is incomplete (a write was interrupted); skipped it", s.path, n))
		default:
			var r Record
			if err := json.Unmarshal(trimmed, &r); err != nil {
				s.warn(fmt.Sprintf("ledger %s: line %d is not a ledger record (%s); skipped it", s.path, n, reason(err)))
				break
			}
			if err := r.check(); err != nil {
				s.warn(fmt.Sprintf("ledger %s: line %d is not a valid ledger record (%v); skipped it", s.path, n, err))
				break
			}
			recs = append(recs, r)
		}
		if eof {
			break
		}
	}
	return recs, nil
}

func reason(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("corrupt JSON at byte %d", se.Offset)
	}
	return err.Error()
}

// warn hands a non-fatal problem to w, or logs it through slog when w is nil.
func warn(w func(string), msg string) {
	if w != nil {
		w(msg)
		return
	}
	slog.Warn(msg)
}
