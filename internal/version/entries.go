package version

import "time"

// Entry is one row of the versions table (`kickoff versions`); its JSON is documented
// in README.md and stays stable.
type Entry struct {
	Version string `json:"version"`
	Tag     string `json:"tag"`
	Status  string `json:"status"` // reserved | candidate | released
	Kickoff string `json:"kickoff"`
	// KickoffState is live, finished or gone (deleted without finishing); "" when no kickoff is known.
	KickoffState string     `json:"kickoff_state,omitempty"`
	Commit       string     `json:"commit"` // final tag's commit, else newest candidate's, else the kickoff head at reservation
	ReservedAt   *time.Time `json:"reserved_at"`
	ReleasedAt   *time.Time `json:"released_at"`
	Candidates   []TagEntry `json:"candidates"`
}

// TagEntry is one release-candidate tag.
type TagEntry struct {
	Tag    string     `json:"tag"`
	Commit string     `json:"commit"`
	Date   *time.Time `json:"date"`
}

// Entries lists every version, highest first.
func (b *Book) Entries() []Entry {
	out := []Entry{}
	for _, v := range b.Versions() {
		e := Entry{Version: v.String(), Tag: b.Scheme.Tag(v), Status: b.Status(v), Kickoff: b.Kickoff(v), Candidates: []TagEntry{}}
		if r, ok := b.byVersion[v]; ok {
			e.Commit, e.ReservedAt = r.Commit, timePtr(r.Date)
		}
		for _, c := range b.candidates[v] {
			e.Candidates = append(e.Candidates, TagEntry{Tag: c.Name, Commit: c.Commit, Date: timePtr(c.Date)})
			e.Commit = c.Commit
		}
		if t, ok := b.released[v]; ok {
			e.Commit, e.ReleasedAt = t.Commit, timePtr(t.Date)
		}
		out = append(out, e)
	}
	return out
}

// Entry returns the row of one version.
func (b *Book) Entry(v Version) (Entry, bool) {
	for _, e := range b.Entries() {
		if e.Version == v.String() {
			return e, true
		}
	}
	return Entry{}, false
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
