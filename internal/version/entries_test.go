package version

import "testing"

// A row's commit is the final tag's, else the newest candidate's, else the kickoff's head at
// reservation; dates are null when unknown.
func TestEntries(t *testing.T) {
	es := testBook().Entries()
	if len(es) != 3 || es[0].Version != "1.2.0" || es[2].Version != "1.0.0" {
		t.Fatalf("entries = %+v", es)
	}
	reserved, candidate, released := es[0], es[1], es[2]
	if reserved.Tag != "platform/v1.2.0" || reserved.Status != StatusReserved || reserved.Commit != "c120" || reserved.ReservedAt != nil ||
		reserved.Candidates == nil || len(reserved.Candidates) != 0 {
		t.Errorf("reserved row = %+v", reserved)
	}
	if candidate.Commit != "c112" || candidate.ReservedAt == nil || !candidate.ReservedAt.Equal(bookDay) || len(candidate.Candidates) != 2 ||
		candidate.Candidates[0].Tag != "platform/v1.1.0-rc.1" || candidate.Candidates[0].Date != nil || candidate.ReleasedAt != nil {
		t.Errorf("candidate row = %+v", candidate)
	}
	if released.Commit != "c100" || released.ReleasedAt == nil || released.Kickoff != "kickoff-240401-old" {
		t.Errorf("released row = %+v", released)
	}
	if e, ok := testBook().Entry(Version{Minor: 1, Major: 1}); !ok || e.Status != StatusCandidate {
		t.Errorf("Entry(1.1.0) = %+v, %v", e, ok)
	}
	if _, ok := testBook().Entry(Version{Major: 7}); ok {
		t.Error("Entry of an unknown version")
	}
}
