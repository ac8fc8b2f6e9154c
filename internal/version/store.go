package version

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/retry"
)

// DefaultAttempts bounds how often an assigner that lost a race recomputes and retries.
var DefaultAttempts = retry.Race.Attempts

// Store reads and changes the platform versions of one repository. The remote holds the
// truth; without a remote the reservations are local refs, with the same guarantees
// inside that one repository.
type Store struct {
	Repo     *gitrepo.Repo
	Remote   string // "" when the repository has no remote
	Main     string
	Scheme   Scheme
	Bump     Bump
	Attempts int
	Now      func() time.Time

	// Members are the platform's repositories (repos:), this one first, which the final
	// and candidate tags go to; nil: this repository alone. Reservations stay in Repo.
	Members []Member

	// AfterAssign, when set, runs after a reservation was pushed (e.g. the Jira fixVersion
	// step for assignments made by `release`). Its error does not undo the reservation;
	// the hook reports it itself.
	AfterAssign func(ctx context.Context, a Assignment)

	// Getenv supplies the credentials and the network timeout for the remote, as for every
	// other fetch and push (see gitrepo.Repo.Auth); nil reads the process environment.
	Getenv func(string) string

	// Keys says which PROJ-123 words are Jira issues in notes and fixVersions: jira.projects
	// (New sets it); a caller that asked Jira for its projects may widen it.
	Keys kickoff.KeyScope

	// Warn is told about refs left out of the book because they do not parse (e.g. a
	// pushed tag whose version is beyond MaxComponent); nil drops the warnings.
	Warn func(msg string)
}

func (s *Store) getenv(key string) string {
	if s.Getenv == nil {
		return os.Getenv(key)
	}
	return s.Getenv(key)
}

// racePolicy is how a writer that lost a race retries: retry.Race, with Attempts calls
// when set.
func (s *Store) racePolicy() retry.Policy { return retry.Race.WithAttempts(s.Attempts) }

// New returns the store of repo as configured.
func New(repo *gitrepo.Repo, cfg *config.Config) *Store {
	s := &Store{
		Repo:     repo,
		Main:     cfg.Main,
		Scheme:   Scheme{Prefix: cfg.Versions.TagPrefix},
		Bump:     Bump(cfg.Versions.Bump),
		Attempts: DefaultAttempts,
		Now:      time.Now,
		Keys:     kickoff.ProjectScope(cfg.Jira.Projects),
	}
	if repo.HasRemote(cfg.Remote) {
		s.Remote = cfg.Remote
	}
	return s
}

// Errors a caller can tell apart.
var ErrNoKickoff = errors.New("no such kickoff")

// ReservedError: the version belongs to another kickoff.
type ReservedError struct {
	Version Version
	Kickoff string
}

func (e *ReservedError) Error() string {
	return fmt.Sprintf("%s is already reserved by %s: pick another with --set, or let kickoff compute the next one", e.Version, e.Kickoff)
}

// HasVersionError: the kickoff already has another version and --force was not given.
type HasVersionError struct {
	Kickoff string
	Version Version
}

func (e *HasVersionError) Error() string {
	return fmt.Sprintf("%s already has version %s: add --force to re-assign it (the old version is freed)", e.Kickoff, e.Version)
}

// ReleasedError: --set names a released version or one below the highest release.
type ReleasedError struct {
	Version, Highest Version
}

func (e *ReleasedError) Error() string {
	if e.Version == e.Highest {
		return fmt.Sprintf("%s is already released: pick a version above it", e.Version)
	}
	return fmt.Sprintf("%s is lower than the released %s: pick a version above it", e.Version, e.Highest)
}

// Read returns the current book: from the remote (authoritative, read-only) when there
// is one, else from local refs.
func (s *Store) Read(ctx context.Context) (*Book, error) {
	var refs map[string]refInfo
	var err error
	if s.Remote != "" {
		refs, err = remoteRefs(ctx, s.Repo, s.Remote, s.getenv)
	} else {
		refs, err = localRefs(ctx, s.Repo)
	}
	if err != nil {
		return nil, err
	}
	return newBook(s.Scheme, refs, s.Warn), nil
}

// Sync copies reservations and version tags from the remote into local refs (pruning
// freed reservations), then reads them locally with their dates and messages. When the
// remote cannot be reached the local copy is read and the fetch error returned beside it.
func (s *Store) Sync(ctx context.Context) (*Book, error) {
	var syncErr error
	if s.Remote != "" {
		syncErr = s.Repo.FetchRefs(ctx, s.Remote, s.getenv, true,
			"+"+VersionRefPrefix+"*:"+VersionRefPrefix+"*",
			"+"+VersionOfRefPrefix+"*:"+VersionOfRefPrefix+"*",
			"+refs/heads/"+kickoff.Prefix+"*:refs/remotes/"+s.Remote+"/"+kickoff.Prefix+"*")
		if syncErr == nil { // tags and finished records are history: never pruned
			syncErr = s.Repo.FetchRefs(ctx, s.Remote, s.getenv, false,
				"+refs/tags/"+s.Scheme.Prefix+"*:refs/tags/"+s.Scheme.Prefix+"*",
				"+"+kickoff.FinishedRefPrefix+"*:"+kickoff.FinishedRefPrefix+"*")
		}
		if syncErr != nil {
			syncErr = fmt.Errorf("fetch versions from %q (showing the local copy): %w", s.Remote, syncErr)
		}
	}
	refs, err := localRefs(ctx, s.Repo)
	if err != nil {
		return nil, err
	}
	return newBook(s.Scheme, refs, s.Warn), syncErr
}

// Kickoff states, as the repository knows them after Sync.
const (
	KickoffLive     = "live"     // its branch exists here or on the remote
	KickoffFinished = "finished" // `kickoff finish` recorded it
	KickoffGone     = "gone"     // neither: deleted without finishing
)

// KickoffStates says, for each kickoff name in entries, whether it is live, finished or gone,
// and fills Entry.KickoffState.
func (s *Store) KickoffStates(entries []Entry) error {
	all, err := kickoff.List(s.Repo, s.remoteOrDefault(), true)
	if err != nil {
		return err
	}
	state := map[string]string{}
	for _, k := range all {
		if k.Finished {
			state[k.Name.String()] = KickoffFinished
		} else {
			state[k.Name.String()] = KickoffLive
		}
	}
	for i := range entries {
		if entries[i].Kickoff == "" {
			continue
		}
		if st, ok := state[entries[i].Kickoff]; ok {
			entries[i].KickoffState = st
		} else {
			entries[i].KickoffState = KickoffGone
		}
	}
	return nil
}

// findKickoff returns the live kickoff called name.
func (s *Store) findKickoff(name string) (kickoff.Kickoff, error) {
	if _, err := kickoff.ParseName(name); err != nil {
		return kickoff.Kickoff{}, fmt.Errorf("%w: %v", ErrNoKickoff, err)
	}
	remote := s.Remote
	if remote == "" {
		remote = config.DefaultRemote
	}
	all, err := kickoff.List(s.Repo, remote, false)
	if err != nil {
		return kickoff.Kickoff{}, err
	}
	for _, k := range all {
		if k.Name.String() == name {
			return k, nil
		}
	}
	return kickoff.Kickoff{}, fmt.Errorf("%w: %s has no local or remote branch here (run `git fetch`, or check the name with `kickoff list`)", ErrNoKickoff, name)
}

// RemoteName is the remote whose branches name kickoffs ("origin" when there is none).
func (s *Store) RemoteName() string { return s.remoteOrDefault() }

// ReadLocal reads the book from local refs only (the copy the last sync or assignment left).
func (s *Store) ReadLocal(ctx context.Context) (*Book, error) {
	refs, err := localRefs(ctx, s.Repo)
	if err != nil {
		return nil, err
	}
	return newBook(s.Scheme, refs, s.Warn), nil
}

// makeTag writes an annotated tag object (no ref) on commit, tagged now by the user.
func (s *Store) makeTag(ctx context.Context, name, commit, message string) (string, error) {
	h, err := s.Repo.WriteTag(ctx, gitrepo.Tag{Name: name, Target: plumbing.NewHash(commit), Message: message})
	if err != nil {
		return "", err
	}
	return h.String(), nil
}
