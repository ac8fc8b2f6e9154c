package gate

import (
	"context"
	"fmt"

	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/radar"
)

// Roles of the refs a head is checked against.
const (
	RoleTarget  = "target"  // where the pull request merges
	RoleMain    = "main"    // the trunk
	RoleKickoff = "kickoff" // another live kickoff
)

// Request is what the gate is asked to check.
type Request struct {
	Ref    string       // the head named by the user; "" for the pull request's head, else HEAD
	Target string       // the branch the head merges into; "" to decide (see TargetOf)
	PR     *PullRequest // the pull request under check, when there is one

	FailOnKickoff bool // a conflict with another kickoff fails the check (conflicts.fail_on_kickoff)
}

// PullRequest is what the gate uses of a pull request.
type PullRequest struct {
	Number  int
	HeadSHA string
	HeadRef string
	BaseRef string
}

// Head is the commit under check: Rev resolves it, Name is what the report calls it.
type Head struct {
	Rev, Name string
}

// HeadOf decides what to check: the ref the user named, else the pull request's head,
// else HEAD, named after the current branch (current is asked only then).
func HeadOf(req Request, current func() string) Head {
	switch {
	case req.Ref != "":
		return Head{Rev: req.Ref, Name: req.Ref}
	case req.PR != nil:
		return Head{Rev: req.PR.HeadSHA, Name: req.PR.HeadRef}
	}
	if name := current(); name != "" {
		return Head{Rev: "HEAD", Name: name}
	}
	return Head{Rev: "HEAD", Name: "HEAD"}
}

// TargetOf decides where the head merges: the target the user named, else the pull
// request's base, else the kickoff the head belongs to (kickoffOf is asked only then),
// else main.
func TargetOf(req Request, head, main string, kickoffOf func(branch string) (kickoff.Name, bool)) string {
	switch {
	case req.Target != "":
		return req.Target
	case req.PR != nil && req.PR.BaseRef != "":
		return req.PR.BaseRef
	}
	if k, ok := kickoffOf(head); ok && k.String() != head {
		return k.String()
	}
	return main
}

// Against is one ref a head is checked against.
type Against struct {
	Name string
	Role string
}

// AgainstOf lists the refs the head is checked against: the target, main unless it is
// the target, then every live kickoff but the target, the head itself and main.
func AgainstOf(head, target, main string, live []string) []Against {
	out := []Against{{Name: target, Role: RoleTarget}}
	if target != main {
		out = append(out, Against{Name: main, Role: RoleMain})
	}
	for _, n := range live {
		if n != target && n != head && n != main {
			out = append(out, Against{Name: n, Role: RoleKickoff})
		}
	}
	return out
}

// Run checks what req names with the radar e: it decides the head, its target and the
// refs to check against (env's main and live kickoffs), then merges.
func Run(ctx context.Context, env *kickoff.Env, e *radar.Engine, req Request) (*Result, error) {
	h := HeadOf(req, env.Repo.CurrentBranch)
	target := TargetOf(req, h.Name, env.Main, env.KickoffOf)
	heads, err := e.Resolve([]string{h.Rev})
	if err != nil {
		if pr := req.PR; pr != nil {
			return nil, fmt.Errorf("the head %s of pull request #%d is not in this clone: fetch it (git fetch origin pull/%d/head), and check out with full history (actions/checkout: fetch-depth: 0)", short(pr.HeadSHA), pr.Number, pr.Number)
		}
		return nil, err
	}
	head := heads[0]
	head.Name = h.Name
	live, err := kickoff.Live(env.Repo, env.Remote)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(live))
	for i, k := range live {
		names[i] = k.Name.String()
	}
	return Check(ctx, e, head, AgainstOf(h.Name, target, env.Main, names), req.FailOnKickoff)
}

// Check merges head with each ref in against (those naming the head's own commit left
// out) and decides the gate (see Blocking).
func Check(ctx context.Context, e *radar.Engine, head radar.RefInfo, against []Against, failOnKickoff bool) (*Result, error) {
	names := make([]string, len(against))
	for i, a := range against {
		names[i] = a.Name
	}
	others, err := e.Resolve(names)
	if err != nil {
		return nil, err
	}
	refs := append([]radar.RefInfo{head}, others...)
	var pairs [][2]int
	var roles []Against
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
	res := decide(head, roles, rep.Pairs, failOnKickoff)
	local := map[string]bool{}
	for _, o := range others {
		local[o.Name] = o.Local
	}
	for i := range res.Pairs {
		res.Pairs[i].Local = local[res.Pairs[i].B]
	}
	res.HeadLocal = head.Local
	return res, nil
}

// Blocking says whether a conflict with a ref of this role fails the check: with the
// target or main always, with another kickoff only when the team asked for it.
func Blocking(role string, failOnKickoff bool) bool {
	return role != RoleKickoff || failOnKickoff
}

// decide turns the radar's verdicts (one per role, in order) into the gate's.
func decide(head radar.RefInfo, roles []Against, pairs []radar.Pair, failOnKickoff bool) *Result {
	res := &Result{Head: head.Name, HeadCommit: head.Commit, Passed: true, Pairs: []Pair{}}
	for i, p := range pairs {
		cp := Pair{Pair: p, Role: roles[i].Role, Blocking: Blocking(roles[i].Role, failOnKickoff)}
		if roles[i].Role == RoleTarget {
			res.Target = roles[i].Name
		}
		if !p.Clean && cp.Blocking {
			res.Passed = false
		}
		res.Pairs = append(res.Pairs, cp)
	}
	return res
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
