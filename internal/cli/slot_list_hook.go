package cli

import (
	"context"
	"slices"
)

// `kickoff list` shows where each kickoff runs: the slots whose current deploy is that
// kickoff's release, or has one of its apps pinned to it.
func init() {
	listSlots = func(ctx context.Context, f *Factory, kickoffs []string) (map[string][]string, error) {
		svc, err := slotService(f)
		if err != nil {
			return nil, err
		}
		states, err := svc.States(ctx, false)
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
}
