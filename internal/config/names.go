package config

// IsSlotName reports whether s is a valid slot name, by the rule slots: is checked with.
// Data read back from elsewhere (ledger records, state files) is held to the same rule.
func IsSlotName(s string) bool { return slotRe.MatchString(s) }

// IsAppName reports whether s is a valid app name, by the rule apps: is checked with.
func IsAppName(s string) bool { return appRe.MatchString(s) }
