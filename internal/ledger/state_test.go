package ledger

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func TestStatesReplaysDeploysClaimsAndDown(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	mk := func(m int, r Record) Record {
		r.Time, r.ID = at(m), NewID(at(m))
		return r
	}
	issues := []Issue{{Key: "PROJ-12", Summary: "Login"}, {Key: "PROJ-9", Summary: "Cart"}}
	recs := []Record{
		mk(0, Record{Action: ActionRelease, Slot: "dev1", Kickoff: "kickoff-a", Version: "1.3.0", Actor: "ann", Outcome: OutcomeSucceeded, Issues: issues,
			Apps: []App{{Name: "spring", Image: "spring:a1", Commit: "a1"}, {Name: "frontend", Image: "frontend:a1", Commit: "a1"}}}),
		mk(5, Record{Action: ActionRelease, Slot: "dev1", Kickoff: "kickoff-b", Version: "1.4.0", Actor: "bo", Outcome: OutcomeSucceeded, Issues: []Issue{{Key: "PROJ-15"}},
			Apps: []App{{Name: "spring", Image: "spring:b1", Commit: "b1", Changed: true}, {Name: "frontend", Image: "frontend:a1", Commit: "a1"}}}),
		mk(6, Record{Action: ActionRelease, Slot: "dev1", Kickoff: "kickoff-c", Actor: "cy", Outcome: OutcomeRolledBack, Error: "health"}),
		mk(7, Record{Action: ActionClaim, Slot: "dev2", Actor: "ann", Outcome: OutcomeSucceeded, Claim: &Claim{For: "kickoff-a", By: "ann", Until: at(60)}}),
		mk(8, Record{Action: ActionClaim, Slot: "dev3", Actor: "ann", Outcome: OutcomeSucceeded, Claim: &Claim{For: "kickoff-a", By: "ann", Until: at(9)}}),
		mk(9, Record{Action: ActionRelease, Slot: "dev4", Kickoff: "kickoff-a", Actor: "ann", Outcome: OutcomeSucceeded, Apps: []App{{Name: "spring", Image: "spring:a1"}}}),
		mk(10, Record{Action: ActionDown, Slot: "dev4", Actor: "ann", Outcome: OutcomeSucceeded}),
		mk(11, Record{Action: ActionFree, Slot: "qa9", Actor: "ann", Outcome: OutcomeSucceeded}),
	}
	slices.Reverse(recs) // order of input does not matter
	st := States(recs, []string{"dev1", "dev2", "dev3", "dev4"}, at(30))
	var names []string
	for _, s := range st {
		names = append(names, s.Slot)
	}
	if !slices.Equal(names, []string{"dev1", "dev2", "dev3", "dev4", "qa9"}) {
		t.Fatalf("slots = %v", names)
	}
	d1 := st[0]
	if d1.Kickoff != "kickoff-b" || d1.Version != "1.4.0" || len(d1.Apps) != 2 {
		t.Fatalf("dev1 = %+v", d1)
	}
	fe, sp := d1.Apps[0], d1.Apps[1]
	if fe.Name != "frontend" || fe.Actor != "ann" || !fe.Time.Equal(at(0)) || fe.Kickoff != "kickoff-a" {
		t.Errorf("unchanged frontend should still be ann's deploy of kickoff-a: %+v", fe)
	}
	if sp.Actor != "bo" || sp.Kickoff != "kickoff-b" || sp.Image != "spring:b1" {
		t.Errorf("spring = %+v", sp)
	}
	var keys []string
	for _, is := range d1.Issues {
		keys = append(keys, is.Key)
	}
	if !slices.Equal(keys, []string{"PROJ-9", "PROJ-12", "PROJ-15"}) {
		t.Errorf("dev1 issues = %v, want PROJ-9, PROJ-12 (frontend, kickoff-a), PROJ-15 (spring)", keys)
	}
	if d1.LastFailure == nil || d1.LastFailure.Kickoff != "kickoff-c" || d1.Last.Kickoff != "kickoff-c" {
		t.Errorf("dev1 failure not visible: %+v", d1.LastFailure)
	}
	if st[1].Claim == nil || st[1].Claim.For != "kickoff-a" {
		t.Errorf("dev2 claim = %+v", st[1].Claim)
	}
	if st[2].Claim != nil {
		t.Errorf("dev3's claim expired at 09:09 but shows at 09:30: %+v", st[2].Claim)
	}
	if !st[3].Down || len(st[3].Apps) != 0 {
		t.Errorf("dev4 after down = %+v", st[3])
	}
	if d1.Current == nil || d1.Current.Kickoff != "kickoff-b" || st[3].Current != nil || st[1].Current != nil {
		t.Errorf("current deploys: dev1 %+v (want kickoff-b's, not the rolled-back one), dev4 %+v and dev2 %+v (want none)", d1.Current, st[3].Current, st[1].Current)
	}

	d := Diff(st[0], st[3])
	if d.Same || len(d.Apps) != 2 || d.Apps[0].B != nil || len(d.OnlyA) != 3 || len(d.OnlyB) != 0 {
		t.Errorf("diff dev1 dev4 = %+v", d)
	}
	if same := Diff(st[0], st[0]); !same.Same || len(same.Shared) != 3 {
		t.Errorf("a slot differs from itself: %+v", same)
	}
}

// A claim until T holds before T and is over at T.
func TestStatesClaimEndsAtItsTime(t *testing.T) {
	until := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	recs := []Record{{ID: NewID(until.Add(-time.Hour)), Action: ActionClaim, Slot: "dev1", Outcome: OutcomeSucceeded, Claim: &Claim{For: "kickoff-a", Until: until}}}
	for _, tc := range []struct {
		now    time.Time
		active bool
	}{
		{until.Add(-time.Second), true},
		{until, false},
		{until.Add(time.Second), false},
	} {
		st, _ := State(States(recs, []string{"dev1"}, tc.now), "dev1")
		if (st.Claim != nil) != tc.active {
			t.Errorf("at %s: claim %+v, want active %v", tc.now.Format(time.TimeOnly), st.Claim, tc.active)
		}
	}
}

// A Replay saved halfway (as the s3 index stores it) and continued gives what replaying
// every record at once gives, whatever the halfway point.
func TestReplaySavedAndContinuedEqualsTheWholeReplay(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	var recs []Record
	for i := range 40 {
		r := rec([]string{"dev1", "dev2", "dev3"}[i%3], []string{"ka", "kb", "kc", "kd"}[i%4], []string{"fe", "be", "api"}[:i%3+1]...)
		switch i % 7 {
		case 3:
			r = Record{Action: ActionClaim, Slot: r.Slot, Outcome: OutcomeSucceeded, Claim: &Claim{For: "kb", By: "bo", Until: t0.Add(time.Duration(i+5) * time.Hour)}}
		case 5:
			r.Outcome = OutcomeFailed
		case 6:
			r = Record{Action: ActionDown, Slot: r.Slot, Outcome: OutcomeSucceeded}
		}
		r.Time = t0.Add(time.Duration(i) * time.Hour)
		r.ID = NewID(r.Time)
		recs = append(recs, r)
	}
	slots := []string{"dev2", "dev1"}
	now := t0.Add(30 * time.Hour)
	want, _ := json.Marshal(States(recs, slots, now))
	for half := range len(recs) + 1 {
		var p Replay
		for _, r := range recs[:half] {
			p.Add(r)
		}
		saved, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var q Replay
		if err := json.Unmarshal(saved, &q); err != nil || q.check() != nil {
			t.Fatalf("saved at %d: %v %v", half, err, q.check())
		}
		for _, r := range recs[half:] {
			q.Add(r)
		}
		if got, _ := json.Marshal(q.States(slots, now)); string(got) != string(want) {
			t.Fatalf("saved at %d and continued:\n got %s\nwant %s", half, got, want)
		}
	}
}
