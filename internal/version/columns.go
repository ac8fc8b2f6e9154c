package version

// VersionsOf maps each of kickoffs that has a platform version to it, e.g. "1.3.0" (the
// VERSION of `kickoff list` and of the dashboard's kickoffs).
func (b *Book) VersionsOf(kickoffs []string) map[string]string {
	out := map[string]string{}
	for _, k := range kickoffs {
		if r, ok := b.Of(k); ok && !r.Version.IsZero() {
			out[k] = r.Version.String()
		}
	}
	return out
}
