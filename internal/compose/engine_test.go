package compose

import "testing"

func TestHostName(t *testing.T) {
	for host, want := range map[string]string{
		"":                            "127.0.0.1",
		"unix:///var/run/docker.sock": "127.0.0.1",
		"ssh://deploy@qa-2.internal":  "qa-2.internal",
		"tcp://10.0.0.7:2376":         "10.0.0.7",
	} {
		if got := (&Engine{Host: host}).HostName(); got != want {
			t.Errorf("HostName(%q) = %q, want %q", host, got, want)
		}
	}
}

// Down removes a slot's containers by label, not through Compose, when its compose file
// has no services; a file it cannot parse counts as having services.
func TestHasServices(t *testing.T) {
	for file, want := range map[string]bool{
		"services:\n  web: {image: nginx}\n": true,
		"services: {}\n":                     false,
		"name: x\n":                          false,
		"":                                   false,
		"services: [\n":                      true,
	} {
		if got := hasServices([]byte(file)); got != want {
			t.Errorf("hasServices(%q) = %v, want %v", file, got, want)
		}
	}
}
