// Package compose builds a slot's Compose model with compose-spec/compose-go (never string
// templates), writes it as the slot's compose file (or, for a swarm slot, as a stack file:
// swarm.go), and drives the engine through `docker compose` or, when that plugin is absent,
// `docker-compose`, or through `docker stack` for a swarm slot (stack.go), and holds the
// engine's create-only lock containers (lock.go). It knows nothing of kickoffs, ledgers or
// terminals.
package compose
