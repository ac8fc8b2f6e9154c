package cli

import (
	"context"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/route"
	"github.com/kickoffhq/kickoff/internal/slot"
	platver "github.com/kickoffhq/kickoff/internal/version"
	"github.com/kickoffhq/kickoff/internal/web"
)

// slotHealth is the dashboard's view of a slot's live health: app -> healthy, unhealthy
// (no running container counts as unhealthy) or unknown (the engine could not be asked).
func slotHealth(ctx context.Context, svc *slot.Service, name string) map[string]string {
	st, err := svc.Status(ctx, name, true)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, a := range st.Apps {
		switch a.Health {
		case slot.Healthy:
			out[a.Name] = web.HealthUp
		case slot.Unhealthy, slot.Down:
			out[a.Name] = web.HealthDown
		default:
			out[a.Name] = web.HealthUnknown
		}
	}
	return out
}

// releaseVersions is the version store as the release path's slot.Versioner.
type releaseVersions struct{ s *platver.Store }

func (v releaseVersions) EnsureVersion(ctx context.Context, kickoff string, dryRun bool) (string, error) {
	a, err := v.s.Assign(ctx, kickoff, platver.AssignOptions{DryRun: dryRun})
	if err != nil {
		return "", err
	}
	return a.Version.String(), nil
}

func (v releaseVersions) TagRC(ctx context.Context, kickoff, _, commit string) (string, error) {
	t, err := v.s.TagCandidate(ctx, kickoff, commit)
	if err != nil {
		return "", err
	}
	return t.Tag, nil
}

// releaseRoutes applies a slot's routes after a deploy, the release path's slot.Router.
type releaseRoutes struct {
	cfg      *config.Config
	stateDir string
}

func (r releaseRoutes) ApplySlot(ctx context.Context, slot string) error {
	_, err := route.ApplySlot(ctx, r.cfg, r.stateDir, slot)
	return err
}
