package compose

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// A slot's lock is a container on the slot's Docker host, created and never started: the
// engine reserves container names atomically, so of two deployers creating the same name
// at once (two clones, two machines, CI and a laptop) exactly one succeeds and the other is
// told the name is in use. Its labels say who holds it and until when (the lease); labels
// cannot change, so a lease is never renewed, only long enough.

// LockImage is the empty image lock containers are made from: imported on the engine from
// an empty archive the first time a lock is taken there, never pulled.
const LockImage = "kickoff-lock:1"

// Labels of a lock container.
const (
	LabelLockActor   = "dev.kickoff.lock.actor"
	LabelLockWhat    = "dev.kickoff.lock.what"
	LabelLockMachine = "dev.kickoff.lock.machine"
	LabelLockPID     = "dev.kickoff.lock.pid"
	LabelLockSince   = "dev.kickoff.lock.since"
	LabelLockExpires = "dev.kickoff.lock.expires"
)

// LockInfo is who holds a lock, read back from its container's labels (anyone with access
// to the engine can write them: shown cleaned, never trusted beyond the lease).
type LockInfo struct {
	ID      string    `json:"-"`
	Name    string    `json:"name"`
	Actor   string    `json:"actor"`
	What    string    `json:"what"`
	Machine string    `json:"machine,omitempty"`
	PID     int       `json:"pid,omitempty"`
	Since   time.Time `json:"since"`
	Expires time.Time `json:"expires"`
}

// Expired reports whether the lease has run out at now; a lock whose expiry cannot be read
// never expires (break it with `kickoff slot unlock`).
func (l *LockInfo) Expired(now time.Time) bool {
	return !l.Expires.IsZero() && now.After(l.Expires)
}

func (l *LockInfo) String() string {
	s := l.Actor
	if s == "" {
		s = "an unknown deployer"
	}
	var parts []string
	if l.What != "" {
		parts = append(parts, l.What)
	}
	if l.Machine != "" {
		where := "on " + l.Machine
		if l.PID > 0 {
			where += " pid " + strconv.Itoa(l.PID)
		}
		parts = append(parts, where)
	}
	if !l.Since.IsZero() {
		parts = append(parts, "since "+l.Since.UTC().Format(time.RFC3339))
	}
	if !l.Expires.IsZero() {
		parts = append(parts, "lease until "+l.Expires.UTC().Format(time.RFC3339))
	}
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

// LockHeldError is a lock another deployer holds.
type LockHeldError struct{ Holder LockInfo }

func (e *LockHeldError) Error() string { return "locked by " + e.Holder.String() }

// CreateLock takes the lock name for info: the container is created or, when the name is
// in use, a *LockHeldError names the holder. It returns the container's id, which is what
// RemoveLock removes (never a lock someone else took after breaking ours).
func (e *Engine) CreateLock(ctx context.Context, name string, info LockInfo) (string, error) {
	args := []string{"create", "--name", name, "--network", "none", "--pull", "never",
		"--label", LabelLockActor + "=" + info.Actor,
		"--label", LabelLockWhat + "=" + info.What,
		"--label", LabelLockMachine + "=" + info.Machine,
		"--label", LabelLockPID + "=" + strconv.Itoa(info.PID),
		"--label", LabelLockSince + "=" + info.Since.UTC().Format(time.RFC3339Nano),
		"--label", LabelLockExpires + "=" + info.Expires.UTC().Format(time.RFC3339Nano),
		LockImage, "lock"}
	for attempt := 0; ; attempt++ {
		out, err := e.run(ctx, "docker", args...)
		if err == nil {
			return strings.TrimSpace(out), nil
		}
		switch {
		case strings.Contains(out, "is already in use"):
			held, rerr := e.ReadLock(ctx, name)
			if rerr != nil {
				return "", rerr
			}
			if held == nil && attempt < 3 { // removed meanwhile: try again
				continue
			}
			if held == nil {
				return "", fmt.Errorf("create lock %s on the Docker host: %w", name, err)
			}
			return "", &LockHeldError{Holder: *held}
		case attempt == 0 && strings.Contains(out, "No such image"):
			if err := e.importLockImage(ctx); err != nil {
				return "", err
			}
			continue
		}
		return "", fmt.Errorf("create lock %s on the Docker host: %w", name, err)
	}
}

// importLockImage makes LockImage on the engine from an empty archive (two blocks of zeros).
func (e *Engine) importLockImage(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, "docker", "import", "-", LockImage)
	cmd.Env = e.env()
	cmd.Stdin = strings.NewReader(strings.Repeat("\x00", 1024))
	start := time.Now()
	out, err := cmd.CombinedOutput()
	logCall("docker", []string{"import", "-", LockImage}, start, err)
	if err != nil {
		return &CommandError{Args: []string{"docker", "import", "-", LockImage}, Output: string(out), Err: err}
	}
	return nil
}

// ReadLock reads who holds the lock name; nil when nobody does.
func (e *Engine) ReadLock(ctx context.Context, name string) (*LockInfo, error) {
	out, err := e.run(ctx, "docker", "container", "inspect", "--format", "{{.Id}} {{json .Config.Labels}}", name)
	if err != nil {
		if strings.Contains(out, "No such container") {
			return nil, nil
		}
		return nil, fmt.Errorf("read lock %s on the Docker host: %w", name, err)
	}
	id, labels, _ := strings.Cut(strings.TrimSpace(out), " ")
	var lb map[string]string
	if err := json.Unmarshal([]byte(labels), &lb); err != nil {
		return nil, fmt.Errorf("read lock %s on the Docker host: its labels: %w", name, err)
	}
	l := &LockInfo{ID: id, Name: name, Actor: clean(lb[LabelLockActor]), What: clean(lb[LabelLockWhat]), Machine: clean(lb[LabelLockMachine])}
	l.PID, _ = strconv.Atoi(lb[LabelLockPID])
	l.Since, _ = time.Parse(time.RFC3339Nano, lb[LabelLockSince])
	l.Expires, _ = time.Parse(time.RFC3339Nano, lb[LabelLockExpires])
	return l, nil
}

// RemoveLock removes the lock container id; one already gone is not an error.
func (e *Engine) RemoveLock(ctx context.Context, id string) error {
	out, err := e.run(ctx, "docker", "rm", "-f", id)
	if err != nil && !strings.Contains(out, "No such container") {
		return fmt.Errorf("remove lock on the Docker host: %w", err)
	}
	return nil
}

// clean keeps a label someone else wrote printable and short: no control characters (a
// terminal's escape sequences), at most 200 characters.
func clean(v string) string {
	v = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, v)
	if r := []rune(v); len(r) > 200 {
		v = string(r[:200]) + "…"
	}
	return v
}
