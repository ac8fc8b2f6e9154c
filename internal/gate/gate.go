package gate

import (
	"context"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
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
	Fork    bool // the head is in another repository
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
			return nil, fmt.Errorf("the head %s of pull request #%d is not in this clone: fetch it (git fetch origin pull/%d/head), and check out with full history (actions/checkout: fetch-depth: 0)", gitrepo.ShortID(pr.HeadSHA), pr.Number, pr.Number)
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
	anc := func(a, b string) (bool, error) {
		return env.Repo.IsAncestor(plumbing.NewHash(a), plumbing.NewHash(b))
	}
	return Check(ctx, e, anc, head, AgainstOf(h.Name, target, env.Main, names), req.FailOnKickoff)
}

// Check merges head with each ref in against (those naming the head's own commit left
// out), attributes each conflict (see blame) and decides the gate (see Blocking). The
// pairs attribution needs beyond the head's (target x B, X x main) are merged only for
// the refs the head conflicts with, so a clean head costs nothing more.
func Check(ctx context.Context, e *radar.Engine, isAncestor Ancestry, head radar.RefInfo, against []Against, failOnKickoff bool) (*Result, error) {
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
	at, err := attribute(ctx, e, refs, against, rep.Pairs, roles, isAncestor)
	if err != nil {
		return nil, err
	}
	res, err := decide(head, roles, rep.Pairs, at, failOnKickoff)
	if err != nil {
		return nil, err
	}
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

// attribute merges the extra pairs blame reads: target x B for every B the head
// conflicts with (when the target is a kickoff, not main), and X x main for every
// kickoff X it conflicts with.
func attribute(ctx context.Context, e *radar.Engine, refs []radar.RefInfo, against []Against, got []radar.Pair, roles []Against, isAncestor Ancestry) (*attribution, error) {
	at := &attribution{head: refs[0].Name, targetWith: map[string]*radar.Pair{}, withMain: map[string]*radar.Pair{}, isAncestor: isAncestor}
	idx := map[string]int{} // name -> index in refs
	for i, a := range against {
		idx[a.Name] = i + 1
		switch a.Role {
		case RoleMain:
			at.main = a.Name
		case RoleTarget:
			at.target = a.Name
		}
	}
	if at.main == "" { // the target is main
		at.main = at.target
		at.target = ""
	}
	if at.target != "" && refs[idx[at.target]].Commit == refs[0].Commit {
		at.target = ""
	}
	type extra struct {
		into map[string]*radar.Pair
		key  string
	}
	var pairs [][2]int
	var extras []extra
	for i, p := range got {
		if p.B == at.main {
			at.headMain = &got[i]
		}
		if p.Clean {
			continue
		}
		if at.target != "" && p.B != at.target {
			pairs = append(pairs, [2]int{idx[at.target], idx[p.B]})
			extras = append(extras, extra{at.targetWith, p.B})
		}
		if roles[i].Role == RoleKickoff {
			pairs = append(pairs, [2]int{idx[p.B], idx[at.main]})
			extras = append(extras, extra{at.withMain, p.B})
		}
	}
	if len(pairs) == 0 {
		return at, nil
	}
	rep, err := e.Compare(ctx, refs, pairs)
	if err != nil {
		return nil, fmt.Errorf("attribute the conflicts: %w", err)
	}
	for i, x := range extras {
		x.into[x.key] = &rep.Pairs[i]
	}
	return at, nil
}

// Blocking says whether a conflict with a ref of this role fails the check: with the
// target or main always, with another kickoff only when the team asked for it.
func Blocking(role string, failOnKickoff bool) bool {
	return role != RoleKickoff || failOnKickoff
}

// decide turns the radar's verdicts (one per role, in order) into the gate's: a pair
// fails the check when its role blocks and one of its conflicts is the head's own.
func decide(head radar.RefInfo, roles []Against, pairs []radar.Pair, at *attribution, failOnKickoff bool) (*Result, error) {
	res := &Result{Head: head.Name, HeadCommit: head.Commit, Passed: true, Pairs: []Pair{}}
	for i, p := range pairs {
		cp := Pair{Pair: p, Role: roles[i].Role, Blocking: Blocking(roles[i].Role, failOnKickoff), Blame: []Blame{}}
		if roles[i].Role == RoleTarget {
			res.Target = roles[i].Name
		}
		bs, err := at.blame(p, roles[i].Role)
		if err != nil {
			return nil, err
		}
		cp.Blame = bs
		for _, b := range bs {
			if b.Own() {
				cp.Own++
			}
		}
		if cp.Own > 0 && cp.Blocking {
			res.Passed = false
		}
		res.Pairs = append(res.Pairs, cp)
	}
	return res, nil
}
