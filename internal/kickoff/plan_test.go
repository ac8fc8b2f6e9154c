package kickoff

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestPlanUndoesInReverse(t *testing.T) {
	var log []string
	step := func(name string, fail bool) (func(context.Context) error, func(context.Context) error) {
		return func(context.Context) error {
				if fail {
					return errors.New("boom")
				}
				log = append(log, "do "+name)
				return nil
			}, func(context.Context) error {
				log = append(log, "undo "+name)
				return nil
			}
	}
	var p Plan
	d, u := step("a", false)
	p.Add("step a", d, u)
	d, u = step("b", false)
	p.Add("step b", d, u)
	p.Add("note only", nil, nil)
	d, u = step("c", true)
	p.Add("step c", d, u)
	err := p.Run(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "step c: boom (earlier steps were undone)") {
		t.Fatalf("err = %v", err)
	}
	if got := strings.Join(log, ","); got != "do a,do b,undo b,undo a" {
		t.Fatalf("log = %s", got)
	}
	if !strings.Contains(p.String(), "3. note only") {
		t.Fatalf("plan text:\n%s", p.String())
	}
}
