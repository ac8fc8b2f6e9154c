package cli

import (
	"context"
	"time"
)

// The router's 404 page says what each slot runs, from the slot service's ledger view.
func init() {
	slotDescriber = func(f *Factory) func(slot string) string {
		svc, err := slotService(f)
		if err != nil {
			return nil
		}
		return func(name string) string {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			rec, err := svc.Current(ctx, name)
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
	}
}
