// Package retry is kickoff's one retry policy: how often, and how patiently, an operation
// that may succeed on a second try is tried again. A writer that lost a race on a shared
// git ref or S3 object, a throttled AWS call and a busy Jira all wait the same way
// (exponential backoff with jitter, github.com/cenkalti/backoff/v5); only the values differ
// between a lost race (milliseconds) and a busy service (seconds). It knows nothing of git,
// AWS or Jira: callers say which errors are worth another try.
package retry
