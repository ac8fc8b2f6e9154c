package slot

import (
	"context"
	"slices"
)

// SlotsOf says where each of kickoffs runs (the SLOTS of `kickoff list`): the slots whose
// current deploy is that kickoff's release, or has one of its apps pinned to it, in the
// configured order. Kickoffs that run nowhere have no entry.
func (s *Service) SlotsOf(ctx context.Context, kickoffs []string) (map[string][]string, error) {
	states, err := s.States(ctx, false)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	add := func(k, slot string) {
		if slices.Contains(kickoffs, k) && !slices.Contains(out[k], slot) {
			out[k] = append(out[k], slot)
		}
	}
	for _, st := range states {
		add(st.Kickoff, st.Slot)
		for _, a := range st.Apps {
			add(a.Kickoff, st.Slot)
		}
	}
	return out, nil
}

// Describe says in a few words what a slot runs, for the router's 404 page: "runs KICKOFF
// (vVERSION)", "runs KICKOFF" before it has a version, "empty", or "" when the ledger
// cannot tell.
func (s *Service) Describe(ctx context.Context, slot string) string {
	rec, err := s.Current(ctx, slot)
	switch {
	case err != nil:
		return ""
	case rec == nil:
		return "empty"
	case rec.Version != "":
		return "runs " + rec.Kickoff + " (v" + rec.Version + ")"
	default:
		return "runs " + rec.Kickoff
	}
}
