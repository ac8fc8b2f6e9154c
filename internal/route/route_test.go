package route

import (
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/config"
)

func testConfig(t *testing.T, yaml string) *config.Config {
	t.Helper()
	c := config.Default()
	if err := config.Parse([]byte(yaml), c); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDesired(t *testing.T) {
	no := false
	_ = no
	for _, tc := range []struct {
		name, yaml string
		want       []string // key host path strip backend
		err        string
	}{
		{
			name: "path mode strips by default, keeps when told",
			yaml: "slots: [dev1, dev2]\napps:\n  fe: {image: a/fe, port: 3000, strip_prefix: false}\n  my_api: {image: a/api, port: 80}\n",
			want: []string{
				"dev1/fe localhost /dev1/fe/ false 127.0.0.1:20000",
				"dev1/my_api localhost /dev1/my_api/ true 127.0.0.1:20001",
				"dev2/fe localhost /dev2/fe/ false 127.0.0.1:20100",
				"dev2/my_api localhost /dev2/my_api/ true 127.0.0.1:20101",
			},
		},
		{
			name: "host mode with the default template, remote docker host",
			yaml: "slots: [dev1, dev3]\nrouting: {mode: host, domain: Dev.Acme.io}\nhosts: {dev3: 'ssh://deploy@qa3.internal'}\napps:\n  my_api: {image: a/api, port: 80}\n",
			want: []string{
				"dev1/my_api dev1-my-api.dev.acme.io  false 127.0.0.1:20000",
				"dev3/my_api dev3-my-api.dev.acme.io  false qa3.internal:20100",
			},
		},
		{
			name: "custom template",
			yaml: "slots: [dev1]\nrouting: {mode: host, domain: qa.acme.io, host_template: '{app}.{slot}.{domain}'}\napps:\n  fe: {image: a/fe, port: 3000}\n",
			want: []string{"dev1/fe fe.dev1.qa.acme.io  false 127.0.0.1:20000"},
		},
		{
			name: "two apps, one route",
			yaml: "slots: [dev1]\nrouting: {mode: host, domain: qa.acme.io, host_template: '{slot}.{domain}'}\napps:\n  fe: {image: a/fe, port: 3000}\n  be: {image: a/be, port: 3000}\n",
			err:  "routing: dev1/be and dev1/fe would both get the route dev1.qa.acme.io/",
		},
		{
			name: "dash and underscore collide",
			yaml: "slots: [dev1]\nrouting: {mode: host}\napps:\n  my-api: {image: a/fe, port: 3000}\n  my_api: {image: a/be, port: 3000}\n",
			err:  "routing: dev1/my-api and dev1/my_api would both get the route dev1-my-api.localhost/",
		},
		{
			name: "slot and app names that run together",
			yaml: "slots: [dev1, dev1-fe]\nrouting: {mode: host}\napps:\n  fe-x: {image: a/fe, port: 3000}\n  x: {image: a/be, port: 3000}\n",
			err:  "routing: dev1/fe-x and dev1-fe/x would both get the route dev1-fe-x.localhost/",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			routes, err := Desired(testConfig(t, tc.yaml), Options{})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range routes {
				got = append(got, strings.Join([]string{r.Key(), r.Host, r.Path, map[bool]string{true: "true", false: "false"}[r.StripPrefix], r.Backend.String()}, " "))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("routes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestDesiredRejectsBadDomain(t *testing.T) {
	c := testConfig(t, "slots: [dev1]\napps:\n  fe: {image: a/fe, port: 3000}\n")
	for _, d := range []string{"", "dev_acme.io", "-dev.acme.io", "dev..acme.io", "dev.acme.io/x", strings.Repeat("a", 64) + ".io"} {
		c.Routing.Domain = d
		if _, err := Desired(c, Options{}); err == nil || !strings.Contains(err.Error(), "is not a valid host name") {
			t.Errorf("domain %q: err = %v", d, err)
		}
	}
}
