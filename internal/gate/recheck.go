package gate

import (
	"slices"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// Recheck picks the open pull requests a push to branch moved under: those whose check
// compares against branch (their target, main, or a live kickoff: every check compares
// against all of them). A pull request whose own head is branch is left out (its own
// pull_request run checks it); branch "" (not a push) picks them all. Without this, a
// pull request that a push to main made conflict would stay green: nothing re-ran it.
func Recheck(env *kickoff.Env, branch string, open []PullRequest) ([]PullRequest, error) {
	if branch == "" {
		return open, nil
	}
	live, err := kickoff.Live(env.Repo, env.Remote)
	if err != nil {
		return nil, err
	}
	moved := branch == env.Main || slices.ContainsFunc(live, func(k kickoff.Kickoff) bool { return k.Name.String() == branch })
	var out []PullRequest
	for _, pr := range open {
		if (pr.HeadRef == branch && !pr.Fork) || (!moved && pr.BaseRef != branch) {
			continue
		}
		out = append(out, pr)
	}
	return out, nil
}
