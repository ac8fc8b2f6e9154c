// Package jira is kickoff's small client over go-jira (REST v2): issue look-up and
// transitions here, with versions and comments added by their owners in files of their own.
// Every failure is classified (unreachable, unauthorized, not found) into an error that tells
// the user what to fix. It knows nothing of cobra or terminals.
package jira
