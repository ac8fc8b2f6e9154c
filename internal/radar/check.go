package radar

import "context"

// Roles of the refs a head is checked against.
const (
	RoleTarget  = "target"  // where the pull request merges
	RoleMain    = "main"    // the trunk
	RoleKickoff = "kickoff" // another live kickoff
)

// CheckAgainst is one ref a head is checked against.
type CheckAgainst struct {
	Name string
	Role string
}

// CheckPair is one pair of a check: the head (A, ours) merged with another ref (B).
type CheckPair struct {
	Pair
	Role     string `json:"role"`
	Blocking bool   `json:"blocking"` // a conflict here fails the check
}

// CheckResult is the verdict of a CI gate.
type CheckResult struct {
	Head       string      `json:"head"`
	HeadCommit string      `json:"head_commit"`
	Target     string      `json:"target"`
	Passed     bool        `json:"passed"`
	Pairs      []CheckPair `json:"pairs"`
}

// Failing lists the pairs that fail the check; Warnings the conflicted pairs that do not.
func (r *CheckResult) Failing() (fail, warn []CheckPair) {
	for _, p := range r.Pairs {
		switch {
		case p.Clean:
		case p.Blocking:
			fail = append(fail, p)
		default:
			warn = append(warn, p)
		}
	}
	return fail, warn
}

// Check merges head with each ref in against. A conflict with the target or main fails
// the check; with another kickoff it is a warning unless failOnKickoff.
func (e *Engine) Check(ctx context.Context, head RefInfo, against []CheckAgainst, failOnKickoff bool) (*CheckResult, error) {
	names := make([]string, len(against))
	for i, a := range against {
		names[i] = a.Name
	}
	others, err := e.Resolve(names)
	if err != nil {
		return nil, err
	}
	refs := append([]RefInfo{head}, others...)
	var pairs [][2]int
	var roles []CheckAgainst
	for i, a := range against {
		if others[i].Commit == head.Commit {
			continue // the head itself (e.g. checking a kickoff branch)
		}
		pairs = append(pairs, [2]int{0, i + 1})
		roles = append(roles, a)
	}
	rep, err := e.Compare(ctx, refs, pairs)
	if err != nil {
		return nil, err
	}
	res := &CheckResult{Head: head.Name, HeadCommit: head.Commit, Passed: true, Pairs: []CheckPair{}}
	for i, p := range rep.Pairs {
		cp := CheckPair{Pair: p, Role: roles[i].Role, Blocking: roles[i].Role != RoleKickoff || failOnKickoff}
		if roles[i].Role == RoleTarget {
			res.Target = roles[i].Name
		}
		if !p.Clean && cp.Blocking {
			res.Passed = false
		}
		res.Pairs = append(res.Pairs, cp)
	}
	return res, nil
}
