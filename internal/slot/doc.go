// Package slot owns QA slots: the release plan (per app: from -> to), the per-slot lock,
// claims, the deploy with its health gate and rollback, and the slot state read back from
// the ledger and the engine. It knows nothing of cobra or terminals.
package slot
