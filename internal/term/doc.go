// Package term owns the terminal: whether stdout is a TTY, whether colour is allowed, tables,
// JSON output and progress lines. Commands ask this package, never the OS.
package term
