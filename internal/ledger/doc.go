// Package ledger owns the deploy records: what was put on which slot, by whom, when and with
// what outcome. Backends (file: JSON lines under a file lock; s3: one object per record plus a
// "last N" object) sit behind Store; nothing here knows of Docker, terminals or HTTP handlers.
package ledger
