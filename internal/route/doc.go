// Package route owns routing: the routes the configured slots and apps need (host or path
// mode), the plan that turns the routes that exist into them, the drivers that apply it (an
// AWS ALB with Route 53, or the local routing table) and the built-in reverse-proxy router.
// It knows nothing of cobra or terminals; the CLI prints its plans.
package route
