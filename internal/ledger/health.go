package ledger

// Health is how an app on a slot is doing, as the slots area probes it: the one vocabulary of
// `slot status`, `slot ls --json` and the dashboard.
type Health string

// Health values.
const (
	Healthy    Health = "healthy"
	Unhealthy  Health = "unhealthy"
	Down       Health = "down"        // no running container
	NotChecked Health = "not checked" // the engine was not asked, or could not be
)

// Summary is the word the dashboard shows for h (README: healthy, unhealthy or unknown):
// an app with no running container is unhealthy there, one not checked is unknown.
func (h Health) Summary() string {
	switch h {
	case Healthy:
		return "healthy"
	case Unhealthy, Down:
		return "unhealthy"
	}
	return "unknown"
}
