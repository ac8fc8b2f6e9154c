// Package ci owns the CI files `kickoff ci init` writes: the GitHub Actions workflow and
// the Jenkinsfile, embedded templates rendered with the pinned kickoff version, and the
// install script both share. It knows what the CI systems run, not what kickoff decides
// there (that is gate's) nor the command line (cli's).
package ci
