package kickoff

import (
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// MemberRefPrefix holds one ref per feature branch made by `kickoff feature`:
// refs/kickoff/features/<kickoff>/<feature branch>, pointing at the commit the feature was
// cut from. It is pushed with the feature, so every clone knows which kickoff a feature
// belongs to, even after the kickoff was merged into main (when commit ancestry can no
// longer tell). The local git config (branch.<feature>.kickoff) says the same for this clone.
const MemberRefPrefix = "refs/kickoff/features/"

func memberRef(kickoff Name, branch string) plumbing.ReferenceName {
	return plumbing.ReferenceName(MemberRefPrefix + kickoff.String() + "/" + branch)
}

// members maps feature branch -> kickoff from the membership refs (local and fetched).
func (e *Env) members() map[string]string {
	out := map[string]string{}
	_ = e.Repo.ForEachRef(func(name plumbing.ReferenceName, _ plumbing.Hash) error {
		rest, ok := strings.CutPrefix(name.String(), MemberRefPrefix)
		if !ok {
			return nil
		}
		k, branch, ok := strings.Cut(rest, "/")
		if ok && IsName(k) {
			out[branch] = k
		}
		return nil
	})
	return out
}

// recordedKickoff is the kickoff a branch was cut from, as recorded by `kickoff feature`
// (git config here, else the membership ref); "" when not recorded.
func (e *Env) recordedKickoff(branch string, members map[string]string) string {
	if rec := e.Repo.BranchOption(branch, ConfigKickoffKey); IsName(rec) {
		return rec
	}
	if members == nil {
		members = e.members()
	}
	return members[branch]
}

func (e *Env) stepRecordMember(p *Plan, k Name, branch string, base plumbing.Hash, push bool) {
	ref := memberRef(k, branch)
	p.addOp(e, &Op{Kind: OpMember, Desc: "record that " + branch + " belongs to " + k.String() + " (" + string(ref) + ")",
		Ref: string(ref), Branch: branch, Kickoff: k.String(), At: base.String()})
	if push {
		p.addOp(e, &Op{Kind: OpPush, Desc: "push that record to " + e.Remote, Ref: string(ref), At: base.String()})
	}
}
