package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kickoffhq/kickoff/internal/config"
)

// Actions a record can describe.
const (
	ActionRelease  = "release"
	ActionRollback = "rollback"
	ActionClaim    = "claim"
	ActionFree     = "free"
	ActionDown     = "down"
)

// Outcomes of an action.
const (
	OutcomeSucceeded  = "succeeded"
	OutcomeFailed     = "failed"
	OutcomeRolledBack = "rolled_back" // the deploy failed and the slot was put back as it was
)

// Record is one entry of the ledger. Its JSON form is the documented schema of
// `kickoff history --json` and of the dashboard's /api/history.
type Record struct {
	ID         string    `json:"id"` // sortable by time, unique
	Time       time.Time `json:"time"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	Slot       string    `json:"slot"`
	Kickoff    string    `json:"kickoff,omitempty"`
	Version    string    `json:"version,omitempty"` // platform version, e.g. 1.3.0
	RC         string    `json:"rc,omitempty"`      // release-candidate tag, e.g. platform/v1.3.0-rc.2
	Apps       []App     `json:"apps,omitempty"`
	Issues     []Issue   `json:"issues,omitempty"`
	Outcome    string    `json:"outcome"`
	DurationMS int64     `json:"duration_ms"`
	Error      string    `json:"error,omitempty"`
	Logs       string    `json:"logs,omitempty"`   // last log lines of the failing app
	Reason     string    `json:"reason,omitempty"` // rollback --reason, claim --note
	Claim      *Claim    `json:"claim,omitempty"`
	// Commit is the commit of the team's repository whose compose file the deploy was
	// rendered from: a restore renders that file again (never a model stored here).
	Commit string `json:"commit,omitempty"`
	// EnvHashes are the environment variables each service got, by name, each with a keyed
	// hash of its value (Hasher), to tell a changed value without holding it.
	EnvHashes map[string]map[string]string `json:"env_hashes,omitempty"`
	// Fingerprint is a keyed hash of the rendered model: equal fingerprints, same model.
	Fingerprint string `json:"fingerprint,omitempty"`
	RollbackOf  string `json:"rollback_of,omitempty"`
}

// Records written before secrets were kept out of the ledger also held "compose" (the whole
// rendered model, values included) and "env" (variables with their values). Record has no
// such fields, so decoding a stored record drops them: every read through a Store is redacted.

// App is one app as a deploy left it.
type App struct {
	Name    string `json:"name"`
	Kickoff string `json:"kickoff,omitempty"` // the kickoff (or ref) the image was built from
	Ref     string `json:"ref,omitempty"`
	Commit  string `json:"commit,omitempty"`
	Image   string `json:"image"`            // repository:tag
	Digest  string `json:"digest,omitempty"` // sha256:..., so rollback pulls exactly this
	Changed bool   `json:"changed"`
}

// Issue is a Jira issue a deploy brings.
type Issue struct {
	Key     string `json:"key"`
	Summary string `json:"summary,omitempty"`
	URL     string `json:"url,omitempty"`
	Type    string `json:"type,omitempty"`
}

// Claim is a reservation of a slot.
type Claim struct {
	For   string    `json:"for"` // kickoff
	By    string    `json:"by"`
	Until time.Time `json:"until,omitzero"`
	Note  string    `json:"note,omitempty"`
}

// Filter selects records; zero fields match everything.
type Filter struct {
	Slot    string
	Kickoff string
	App     string
	Limit   int // 0: the backend's default (100)
}

// Store is a ledger backend. Append never loses a record, even with concurrent writers
// on other machines; List returns the newest first.
type Store interface {
	Append(ctx context.Context, r Record) (Record, error) // fills ID and Time when empty
	List(ctx context.Context, f Filter) ([]Record, error)
	// Replay is every record folded into slot state (States reads it), reading no more
	// than the backend needs: the s3 backend continues the replay its index holds.
	Replay(ctx context.Context) (*Replay, error)
	// HashKey is the ledger's key for Hasher, kept beside the records and never in one.
	HashKey(ctx context.Context) ([]byte, error)
}

// check holds a record to the rules names were checked with on write. Records come back
// from a shared file or bucket anyone with access can write, and their slot and app names
// end up in file names (dashboard export) and routes: a record breaking the rules is
// skipped on read, with a warning naming it, by every backend.
func (r Record) check() error {
	if r.ID == "" {
		return errors.New("no id")
	}
	if !config.IsSlotName(r.Slot) {
		return fmt.Errorf("slot %q is not a slot name", r.Slot)
	}
	for _, a := range r.Apps {
		if !config.IsAppName(a.Name) {
			return fmt.Errorf("app %q is not an app name", a.Name)
		}
	}
	return nil
}

// prepare checks what every backend needs of a record, fills its time and id when empty,
// and encodes it as every backend stores it (one JSON object).
func prepare(r Record) (Record, []byte, error) {
	if r.Action == "" {
		return r, nil, errors.New("ledger record has no action")
	}
	if r.Slot == "" {
		return r, nil, errors.New("ledger record has no slot")
	}
	if r.Time.IsZero() {
		r.Time = time.Now().UTC()
	}
	if r.ID == "" {
		r.ID = NewID(r.Time)
	}
	if err := r.check(); err != nil {
		return r, nil, fmt.Errorf("ledger record: %w", err)
	}
	data, err := json.Marshal(r)
	if err != nil {
		return r, nil, fmt.Errorf("encode ledger record: %w", err)
	}
	return r, data, nil
}
