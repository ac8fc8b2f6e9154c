// Package ledger owns the deploy records: what was put on which slot, by whom, when and with
// what outcome. Backends (file, s3) sit behind Store; nothing here knows of Docker or HTTP
// handlers.
package ledger
