// Package ledger owns the deploy records: what was put on which slot, by whom, when and with
// what outcome. Backends (file: JSON lines under a file lock; s3: one object per record plus an
// index object holding a replay and the newest records) sit behind Store. Replay (States) is the
// one replay of records into slot state (what runs, the current deploy, the claim), beside the one slot-name rule and the health words the
// slots area and the dashboard share. A record never holds a secret value: Hasher hashes values
// under the ledger's own key (HashKey), kept beside the records and never in one. Nothing here
// knows of Docker, terminals or HTTP handlers.
package ledger
