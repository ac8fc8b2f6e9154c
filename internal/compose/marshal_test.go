package compose

import (
	"context"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The canonical form (what the slot's fingerprint hashes) ignores the clone's path and
// sees a changed value.
func TestCanonicalIgnoresTheClonesPath(t *testing.T) {
	a, b := teamFile(t), teamFile(t)
	fp := func(dir string, env ...string) string {
		s := teamSpec(dir, "dev1", 20101)
		s.Environ = env
		m, err := Build(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Marshal(m.Project)
		if err != nil {
			t.Fatal(err)
		}
		return string(m.Canonical(out))
	}
	if fp(a) != fp(b) {
		t.Error("the same file in two clones has two canonical forms")
	}
	if fp(a) == fp(a, "DB_PASSWORD=other") {
		t.Error("a changed password has the same canonical form")
	}
}

func TestMaskedHidesSecretValues(t *testing.T) {
	m, err := Build(context.Background(), teamSpec(teamFile(t), "dev1", 20101))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Marshal(m.Masked())
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, secret := range []string{"dotenv-pass-123", "token-from-env-file", "debug"} {
		if strings.Contains(out, secret) {
			t.Errorf("masked model shows %q", secret)
		}
	}
	if !strings.Contains(out, "TZ: Asia/Seoul") || !strings.Contains(out, "KICKOFF_SLOT: dev1") {
		t.Errorf("masked model hides plain values:\n%s", out)
	}
	if *m.Project.Services["db"].Environment["MYSQL_ROOT_PASSWORD"] != "dotenv-pass-123" {
		t.Error("Masked changed the model itself")
	}
}

// Ports the short syntax can say are written short; ports with more (a name, host mode)
// stay long.
func TestShortPort(t *testing.T) {
	for _, tc := range []struct {
		long string
		want string // "" = stays long
	}{
		{"{target: 80}", "80"},
		{"{target: 80, published: '20101'}", "20101:80"},
		{"{target: 80, published: '20101', host_ip: 127.0.0.1, mode: ingress, protocol: tcp}", "127.0.0.1:20101:80"},
		{"{target: 53, published: '20153', protocol: udp}", "20153:53/udp"},
		{"{target: 80, published: '20101', mode: host}", ""},
		{"{target: 80, name: web}", ""},
		{"{published: '20101'}", ""},
		{"'80:80'", ""},
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(tc.long), &doc); err != nil {
			t.Fatal(err)
		}
		got, ok := shortPort(doc.Content[0])
		if (ok && got != tc.want) || (!ok && tc.want != "") {
			t.Errorf("shortPort(%s) = %q %v, want %q", tc.long, got, ok, tc.want)
		}
	}
}
