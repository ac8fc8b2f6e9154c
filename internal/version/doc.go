// Package version owns platform versions: parsing and bumping X.Y.Z, the race-free
// reservation of a version for a kickoff (refs under refs/kickoff/ created on the remote
// with atomic create-only pushes), release-candidate and final tags (only on builds of
// their kickoff; in a platform of several repositories, in each one on the commit it
// shipped, all or nothing), warnings about reservations left below a release, and release notes.
// It knows nothing of cobra, terminals or HTTP; Jira is reached through a small interface.
package version
