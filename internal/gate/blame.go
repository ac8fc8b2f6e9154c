package gate

import (
	"slices"

	"github.com/kickoffhq/kickoff/internal/radar"
)

// Owners of a conflict: whose change the conflict is.
const (
	// OwnerHead: the head's own commits make it; it fails the check when the pair blocks.
	OwnerHead = "head"
	// OwnerTarget: the head's target (the kickoff a feature merges into) already has the
	// same conflict with the same ref; reported as the kickoff's, as information.
	OwnerTarget = "target"
	// OwnerBehindMain: the conflict is there only because one side has not merged main's
	// latest commits that the other has: it is that side's conflict with main.
	OwnerBehindMain = "behind-main"
)

// Blame says whose a conflict of a pair is, and between which refs it is reported:
// [head, B] for the head's own, [target, B] for its target's, [X, main] for a side
// behind main.
type Blame struct {
	Path    string    `json:"path"`
	Kind    string    `json:"kind"`
	Owner   string    `json:"owner"`
	Between [2]string `json:"between"`
}

// Own says whether the conflict is the head's.
func (b Blame) Own() bool { return b.Owner == OwnerHead }

// Ancestry answers whether commit a is reachable from commit b (a == b counts).
type Ancestry func(a, b string) (bool, error)

// attribution holds the verdicts blame reads: the head's pairs, and the extra pairs
// (target x B, X x main) merged only for refs the head conflicts with.
type attribution struct {
	head, target, main string // names; target is "" when the head has no parent kickoff
	headMain           *radar.Pair
	targetWith         map[string]*radar.Pair // B -> target x B
	withMain           map[string]*radar.Pair // X -> X x main (X is A: ours are X's lines)
	isAncestor         Ancestry
}

// blame attributes each conflict of p (head x p.B, role) in order.
//
// The rules, first match wins:
//  1. target: the head merges into a kickoff (target) other than main, and target x B
//     has a conflict at the same path, of the same kind, whose B-side lines hold every
//     B-side range of this one (B's version of the file is the same blob in both
//     merges, so the ranges are comparable). The feature added nothing to it.
//  2. behind-main, B's side: B is a kickoff whose merge base with main is a proper
//     ancestor of the head's (the head has main commits B lacks), and B x main has a
//     conflict at the path whose B-side lines hold every B-side range of this one: B
//     meets the same lines of main when it merges main; reported as "B vs main".
//  3. behind-main, the head's side: the same with the roles swapped, checked on the
//     head's lines against head x main; reported as "head vs main" (the main pair
//     reports and judges it, so it is not counted twice).
//  4. otherwise the head's own.
func (a *attribution) blame(p radar.Pair, role string) ([]Blame, error) {
	out := make([]Blame, len(p.Conflicts))
	for i, c := range p.Conflicts {
		b := Blame{Path: c.Path, Kind: c.Kind, Owner: OwnerHead, Between: [2]string{a.head, p.B}}
		switch {
		case a.target != "" && p.B != a.target && a.sameConflict(a.targetWith[p.B], c, theirsOf, theirsOf):
			b.Owner, b.Between = OwnerTarget, [2]string{a.target, p.B}
		case role == RoleKickoff:
			behindB, behindHead, err := a.behind(p.B)
			if err != nil {
				return nil, err
			}
			switch {
			case behindB && a.sameConflict(a.withMain[p.B], c, oursOf, theirsOf):
				b.Owner, b.Between = OwnerBehindMain, [2]string{p.B, a.main}
			case behindHead && a.sameConflict(a.headMain, c, oursOf, oursOf):
				b.Owner, b.Between = OwnerBehindMain, [2]string{a.head, a.main}
			}
		}
		out[i] = b
	}
	return out, nil
}

// behind says whether kickoff x has merged less of main than the head (behindX) or the
// head less than x (behindHead), by their merge bases with main.
func (a *attribution) behind(x string) (behindX, behindHead bool, err error) {
	xm := a.withMain[x]
	if xm == nil || a.headMain == nil || len(xm.MergeBases) == 0 || len(a.headMain.MergeBases) == 0 {
		return false, false, nil
	}
	bx, bh := xm.MergeBases[0], a.headMain.MergeBases[0]
	if bx == bh {
		return false, false, nil
	}
	if behindX, err = a.isAncestor(bx, bh); err != nil || behindX {
		return behindX, false, err
	}
	behindHead, err = a.isAncestor(bh, bx)
	return false, behindHead, err
}

func oursOf(c radar.Conflict) []radar.Range   { return c.Ours }
func theirsOf(c radar.Conflict) []radar.Range { return c.Theirs }

// sameConflict says whether other has a conflict at c's path that is the same one, seen
// from the side both merges share: otherSide picks that side's ranges in other's
// conflicts, side in c. Conflicts without line ranges (modify/delete, renames, binary
// files) match by kind.
func (a *attribution) sameConflict(other *radar.Pair, c radar.Conflict, otherSide, side func(radar.Conflict) []radar.Range) bool {
	if other == nil {
		return false
	}
	for _, o := range other.Conflicts {
		if o.Path != c.Path {
			continue
		}
		mine, theirs := side(c), otherSide(o)
		if len(mine) == 0 || len(theirs) == 0 {
			return o.Kind == c.Kind && len(mine) == 0 && len(theirs) == 0
		}
		return covered(mine, theirs)
	}
	return false
}

// covered says whether every range of rs lies within some range of by. Within, not
// meeting: git joins conflict hunks a few lines apart into one, so a conflict the head
// adds next to an inherited one grows the region, and the grown region is the head's.
func covered(rs, by []radar.Range) bool {
	for _, r := range rs {
		if !slices.ContainsFunc(by, func(b radar.Range) bool { return b[0] <= r[0] && r[1] <= b[1] }) {
			return false
		}
	}
	return true
}
