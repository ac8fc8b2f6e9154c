// Package platform owns the set of repositories one project spans: the repository holding
// .kickoff.yaml and those declared under repos:, each reached through a local clone
// (path:) or a bare clone kept in the user's cache folder, and the lifecycle commands run
// across them (new all or nothing, list and status per repository, sync, finish) by
// running package kickoff's single-repository plans in each. It knows nothing of cobra or
// terminals; a project without repos: is one repository, exactly as before.
package platform
