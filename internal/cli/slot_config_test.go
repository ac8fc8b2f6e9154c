package cli

import "testing"

func TestSlotConfigFlags(t *testing.T) {
	o, err := parseFlags(t, newCmdSlotConfig, "dev2", "kickoff-240510-dashboard", "--offline", "--show-secrets", "--json")
	if err != nil || o.Slot != "dev2" || o.Kickoff != "kickoff-240510-dashboard" || !o.Offline || !o.ShowSecrets || !o.JSON {
		t.Errorf("slot config: %+v %v", o, err)
	}
	if o, err := parseFlags(t, newCmdSlotConfig, "dev2"); err != nil || o.Kickoff != "" || o.Offline || o.ShowSecrets {
		t.Errorf("slot config dev2: %+v %v", o, err)
	}
	wantUsage(t, newCmdSlotConfig)
	wantUsage(t, newCmdSlotConfig, "dev1", "kickoff-240510-a", "extra")
}
