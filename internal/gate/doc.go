// Package gate is the CI gate `kickoff check` runs on a pull request: which head it
// checks, against which refs (its target, main, every other live kickoff), whose each
// conflict is (the head's own, its target kickoff's, or a side behind main: blame.go),
// which conflicts fail it, what its verdict and its pull-request comment say (with what
// changed since the comment's last version), and which open pull requests a push moved
// under. It is not part of radar because these are workflow rules (a feature branch
// belongs to a kickoff, main is the trunk) over the radar's verdicts, which know only
// refs; it knows nothing of cobra, terminals or the GitHub API (the CLI prints and
// publishes).
package gate
