package cli

import "github.com/kickoffhq/kickoff/internal/kickoff"

// The pieces of the --json contract that several commands share. Every command prints its
// JSON through term.IO.JSON; the schemas are in docs/schema/ (README.md, "JSON output").

// planStep is one step of a lifecycle plan as --json prints it (docs/schema/plan-step.json).
type planStep struct {
	Kind        string   `json:"kind"`
	Description string   `json:"description"`
	Refs        []string `json:"refs"`           // full ref names the step writes, moves or deletes
	Remote      string   `json:"remote"`         // "" when the step changes this repository only
	Repo        string   `json:"repo,omitempty"` // the platform's repository it is made in (repos:)
}

// planSteps is a plan as data: what --dry-run --json prints, and what --json reports done.
func planSteps(p *kickoff.Plan) []planStep {
	out := make([]planStep, 0, len(p.Steps))
	for _, s := range p.Steps {
		refs := s.Refs
		if refs == nil {
			refs = []string{}
		}
		out = append(out, planStep{Kind: string(s.Kind), Description: s.Desc, Refs: refs, Remote: s.Remote, Repo: s.Repo})
	}
	return out
}

// orEmpty is a list as JSON prints it: [] rather than null when there is nothing.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
