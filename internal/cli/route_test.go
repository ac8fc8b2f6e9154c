package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/route"
	"github.com/kickoffhq/kickoff/internal/term"
)

// printPlan prints one line per change, terraform style, and the notes after.
func TestPrintPlan(t *testing.T) {
	p := &route.Plan{Driver: "alb", Mode: "host", Changes: []route.Change{
		{Action: route.ActionAdd, Kind: route.KindRule, Slot: "dev3", App: "fe", Name: "dev3-fe.qa.acme.io/",
			After: &route.Route{Host: "dev3-fe.qa.acme.io", Backend: route.Backend{Host: "i-0abc", Port: 20300}, Priority: 7}},
		{Action: route.ActionChange, Kind: route.KindRule, Slot: "dev1", App: "web", Name: "qa.acme.io/dev1/web/",
			Fields: []route.Field{{Name: "strip_prefix", Before: "false", After: "true"}, {Name: "path", Before: "/dev1/web/"}}},
		{Action: route.ActionRemove, Kind: route.KindRule, Slot: "dev4", App: "fe", Name: "dev4-fe.qa.acme.io/"},
		{Action: route.ActionAdd, Kind: route.KindRecord, Name: "*.qa.acme.io", Fields: []route.Field{{Name: "alias", After: "alb-1"}}},
	}, Notes: []string{"point *.qa.acme.io at the load balancer"}}
	var out bytes.Buffer
	printPlan(&Factory{IO: term.Test(strings.NewReader(""), &out, &bytes.Buffer{})}, p)
	want := `kickoff route plan (host mode, alb driver):

  + rule dev3/fe dev3-fe.qa.acme.io/ -> i-0abc:20300 (priority 7)
  ~ rule dev1/web qa.acme.io/dev1/web/
      strip_prefix: false -> true
      path: /dev1/web/ -> (none)
  - rule dev4/fe dev4-fe.qa.acme.io/
  + record *.qa.acme.io alias: (none) -> alb-1

Plan: 2 to add, 1 to change, 1 to remove.

Note: point *.qa.acme.io at the load balancer
`
	if out.String() != want {
		t.Errorf("printPlan printed:\n%s\nwant:\n%s", out.String(), want)
	}
}
