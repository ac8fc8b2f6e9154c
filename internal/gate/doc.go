// Package gate is the CI gate `kickoff check` runs on a pull request: which head it
// checks, against which refs (its target, main, every other live kickoff), which
// conflicts fail it, and what its verdict says (conclusion, annotated findings, summary).
// It is not part of radar because these are workflow rules (a feature branch belongs to
// a kickoff, main is the trunk) over the radar's verdicts, which know only refs; it
// knows nothing of cobra, terminals or the GitHub API (the CLI prints and publishes).
package gate
