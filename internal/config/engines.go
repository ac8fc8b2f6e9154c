package config

import (
	"fmt"
	"slices"
	"strings"
)

// Engines a slot runs on (engine:, engines.<slot>).
const (
	EngineCompose = "compose" // a Compose project on the slot's Docker host (the default)
	EngineSwarm   = "swarm"   // a Docker Swarm stack deployed through the slot's host, a swarm manager
)

// EngineOf is the engine slot runs on: engines.<slot>, else engine:, else compose. engines:
// is a map keyed by slot beside hosts: (not a field of each host): a slot's host and its
// engine are two settings, and hosts: stays the plain slot -> URL map it has always been.
func (c *Config) EngineOf(slot string) string {
	if e := c.Engines[slot]; e != "" {
		return e
	}
	if c.Engine != "" {
		return c.Engine
	}
	return EngineCompose
}

// checkEngines checks engine: and engines: (each key a configured slot, each value an
// engine), and refuses a side-by-side switch on a swarm slot: swarm replaces a task in place
// (its host-mode port cannot be held by two tasks), so there is no second container to move
// traffic to.
func (c *Config) checkEngines() error {
	check := func(key, v string) error {
		switch v {
		case EngineCompose, EngineSwarm:
			return nil
		}
		return fmt.Errorf("%s: %q must be %s or %s", key, v, EngineCompose, EngineSwarm)
	}
	if c.Engine != "" {
		if err := check("engine", c.Engine); err != nil {
			return err
		}
	}
	for _, slot := range sortedKeys(c.Engines) {
		if !slices.Contains(c.Slots, slot) {
			return fmt.Errorf("engines.%s: %q is not a configured slot (slots: %s)", slot, slot, strings.Join(c.Slots, ", "))
		}
		if err := check("engines."+slot, c.Engines[slot]); err != nil {
			return err
		}
	}
	if c.SideBySide() {
		for _, slot := range c.Slots {
			if c.EngineOf(slot) == EngineSwarm {
				key := "engine"
				if c.Engines[slot] != "" {
					key = "engines." + slot
				}
				return fmt.Errorf("routing.switch: side-by-side does not work with %s: swarm (slot %s): swarm replaces an app's task in place on its one host port; drop routing.switch (swarm's own update stops the old task, then starts the new one) or run %s with the compose engine", key, slot, slot)
			}
		}
	}
	return nil
}
