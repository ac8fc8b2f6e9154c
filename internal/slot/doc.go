// Package slot owns QA slots: the release plan (per app: from -> to), the per-slot lock (a container on the
// slot's Docker host, shared by every deployer),
// claims, the deploy with its health gate and rollback, and the live side of slot state (Compose
// project, URLs, containers, health) added to the ledger's one replay, ledger.States. Each
// operation reads the ledger once. It knows nothing of cobra or terminals.
package slot
