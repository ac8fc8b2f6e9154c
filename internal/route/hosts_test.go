package route

import "testing"

func TestHostPolicy(t *testing.T) {
	table := &Table{Mode: ModeHost, Domain: "dev.acme.io", Routes: []Route{{Slot: "dev1", App: "fe", Host: "fe-dev1.other.test"}}}
	tests := []struct {
		addr  string
		allow []string
		host  string
		want  bool
	}{
		{"127.0.0.1:8080", nil, "localhost", true},
		{"127.0.0.1:8080", nil, "dev3-fe.localhost", true},
		{"127.0.0.1:8080", nil, "127.0.0.1", true},
		{"127.0.0.1:8080", nil, "::1", true},
		{"127.0.0.1:8080", nil, "dev.acme.io", true},
		{"127.0.0.1:8080", nil, "dev2-spring.dev.acme.io", true},
		{"127.0.0.1:8080", nil, "fe-dev1.other.test", true},
		{"127.0.0.1:8080", nil, "attacker.example", false},
		{"127.0.0.1:8080", nil, "localhost.attacker.example", false},
		{"127.0.0.1:8080", nil, "evildev.acme.io", false},
		{"127.0.0.1:8080", nil, "", false},
		{"127.0.0.1:8080", nil, "10.9.8.7", false},
		{"10.9.8.7:8080", nil, "10.9.8.7", true},
		{"box.example:8080", nil, "box.example", true},
		{":8080", []string{"Box.Example."}, "box.example", true},
		{":8080", nil, "box.example", false},
	}
	for _, tt := range tests {
		if got := newHostPolicy(tt.addr, tt.allow).allows(table, tt.host); got != tt.want {
			t.Errorf("addr %s allow %v: host %q allowed = %v, want %v", tt.addr, tt.allow, tt.host, got, tt.want)
		}
	}
	for addr, want := range map[string]bool{":8080": true, "0.0.0.0:80": true, "[::]:80": true, "127.0.0.1:80": false, "localhost:80": false} {
		if IsAllInterfaces(addr) != want {
			t.Errorf("IsAllInterfaces(%q) = %v", addr, !want)
		}
	}
}
