package config

import (
	"fmt"
	"time"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// Upper bounds of the numbers that are not ports; beyond them a value is a typo.
const (
	MaxHealthTimeout = time.Hour
	MaxLedgerKeep    = 100_000
)

// checkNumbers range-checks every number, the ports of every slot and app included: a
// stride of 2^62 used to overflow the check of the last port and pass.
func (c *Config) checkNumbers() error {
	for _, name := range c.AppNames() {
		a := c.Apps[name]
		if a.Port < 1 || a.Port > 65535 {
			return fmt.Errorf("apps.%s.port: %d is not the port the app listens on inside its container (1-65535)", name, a.Port)
		}
		if a.HealthTimeout < 0 || a.HealthTimeout > MaxHealthTimeout {
			return fmt.Errorf("apps.%s.health_timeout: %s is not between 0 (the default, %s) and %s", name, a.HealthTimeout, DefaultHealthTimeout, MaxHealthTimeout)
		}
	}
	if c.Ports.Base < 1 || c.Ports.Base > 65535 {
		return fmt.Errorf("ports.base: %d is not a port (1-65535)", c.Ports.Base)
	}
	if c.Ports.SlotStride < 1 || c.Ports.SlotStride > 65535 {
		return fmt.Errorf("ports.slot_stride: %d is not between 1 and 65535", c.Ports.SlotStride)
	}
	// Both are at most 65535 and slots are bounded by the file, so this cannot overflow.
	if n := len(c.Slots); n > 0 {
		if last := c.Ports.Base + n*c.Ports.SlotStride - 1; last > 65535 {
			return fmt.Errorf("ports: base %d + slot_stride %d x %d slots ends at port %d, past 65535; lower base or slot_stride", c.Ports.Base, c.Ports.SlotStride, n, last)
		}
	}
	if len(c.Apps) > c.Ports.SlotStride {
		return fmt.Errorf("ports.slot_stride: %d is fewer than the %d apps", c.Ports.SlotStride, len(c.Apps))
	}
	if c.SideBySide() && 2*len(c.Apps) > c.Ports.SlotStride {
		return fmt.Errorf("ports.slot_stride: %d is fewer than two ports for each of the %d apps, which routing.switch side-by-side needs", c.Ports.SlotStride, len(c.Apps))
	}
	if c.Ledger.Keep < 0 || c.Ledger.Keep > MaxLedgerKeep {
		return fmt.Errorf("ledger.keep: %d is not between 0 (the default, %d) and %d", c.Ledger.Keep, DefaultLedgerKeep, MaxLedgerKeep)
	}
	return nil
}

// Samples the templates are rendered with. The summary is long so that the slug is cut as
// real Jira summaries are.
const (
	SampleKey     = "PROJ-123"
	SampleSummary = "Sample summary of a Jira issue long enough to be cut at forty characters"
	SampleKickoff = "kickoff-240510-sample"
	SampleVersion = "1.2.3-rc.1"
)

// checkTemplates renders the templates that make git names with a sample and checks the
// result, so that a template git would refuse fails here, in --dry-run too, and not when
// the branch or tag is created. image_tag is rendered by the slot package, which checks it
// the same way (slot.CheckImageTag).
func (c *Config) checkTemplates() error {
	k, err := kickoff.ParseName(SampleKickoff)
	if err != nil {
		return err
	}
	if _, err := kickoff.FeatureName(c.Feature.Template, SampleKey, SampleSummary, k); err != nil {
		return fmt.Errorf("%w (rendered for %s %q on %s)", err, SampleKey, SampleSummary, SampleKickoff)
	}
	p := c.Versions.TagPrefix
	if err := kickoff.CheckRefName(p + SampleVersion); err != nil {
		return fmt.Errorf("versions.tag_prefix: %q cannot start a git tag name: %q %w; e.g. platform/v or v", p, p+SampleVersion, err)
	}
	return nil
}
