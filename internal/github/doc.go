// Package github publishes kickoff's results to GitHub through go-github: check runs
// with line annotations, one pull-request comment kept up to date, pull-request lookups,
// and the pull request of a GitHub Actions event. It knows nothing of the radar or the
// terminal; githubtest fakes the HTTP edge.
package github
