package config

import (
	"strings"
	"testing"
)

// engine: and engines: take compose or swarm for configured slots; a side-by-side switch
// is refused on a swarm slot.
func TestCheckEngines(t *testing.T) {
	for _, tt := range []struct{ yaml, want string }{
		{"engine: swarm", ""},
		{"engines: {dev3: swarm}", ""},
		{"engine: swarm\nengines: {dev1: compose}\nrouting: {switch: recreate}", ""},
		{"engine: kubernetes", `engine: "kubernetes" must be compose or swarm`},
		{"engines: {dev2: nomad}", `engines.dev2: "nomad" must be compose or swarm`},
		{"engines: {dev9: swarm}", `engines.dev9: "dev9" is not a configured slot`},
		{"engines: {dev3: swarm}\nrouting: {switch: side-by-side}", "routing.switch: side-by-side does not work with engines.dev3: swarm (slot dev3)"},
		{"engine: swarm\nrouting: {switch: side-by-side}", "side-by-side does not work with engine: swarm (slot dev1)"},
	} {
		c := Default()
		err := Parse([]byte(tt.yaml), c)
		if err == nil {
			err = c.Validate()
		}
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: %v, want %q", tt.yaml, err, tt.want)
		}
	}
	c := Default()
	if err := Parse([]byte("engine: swarm\nengines: {dev2: compose}"), c); err != nil {
		t.Fatal(err)
	}
	if c.EngineOf("dev1") != EngineSwarm || c.EngineOf("dev2") != EngineCompose || Default().EngineOf("dev1") != EngineCompose {
		t.Errorf("EngineOf: dev1 %s, dev2 %s, default %s", c.EngineOf("dev1"), c.EngineOf("dev2"), Default().EngineOf("dev1"))
	}
}
