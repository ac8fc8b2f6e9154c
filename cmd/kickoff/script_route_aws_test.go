package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/kickoffhq/kickoff/internal/route/awstest"
)

func init() {
	scriptCmds["fakeaws"] = cmdFakeAWS
	scriptSetups = append(scriptSetups, func(env *testscript.Env) error {
		env.Values[fakeAWSKey{}] = &fakeAWSHolder{}
		return nil
	})
}

type fakeAWSKey struct{}

// fakeAWSHolder keeps a script's fake between its commands.
type fakeAWSHolder struct{ f *awstest.Fake }

// fakeaws start: run the fake ELBv2 + Route 53 (a load balancer "qa" in vpc-0feed with a
// listener, a rule someone else manages at priority 1000, the zone Z0KICKOFF), and point
// kickoff at it: KICKOFF_ROUTING_ENDPOINT, KICKOFF_ROUTING_LISTENER_ARN, static credentials.
// fakeaws fail ACTION CODE N [AFTER]: after AFTER calls of ACTION go through, answer the
// next N with the AWS error CODE.
// fakeaws calls: print how many calls changed something since the last `calls`, then one a line.
// fakeaws foreign: print the foreign rule as the fake holds it.
func cmdFakeAWS(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: fakeaws start|fail|calls|foreign")
	}
	h := ts.Value(fakeAWSKey{}).(*fakeAWSHolder)
	f := h.f
	if args[0] != "start" && f == nil {
		ts.Fatalf("fakeaws: start it first")
	}
	switch args[0] {
	case "start":
		f = awstest.New()
		ts.Defer(f.Close)
		_, l := f.AddLoadBalancer("qa", "vpc-0feed")
		foreign := f.AddRule(l, 1000, "legacy.dev.acme.io", awstest.Tag{Key: "team", Value: "platform"})
		f.AddZone("Z0KICKOFF")
		ts.Setenv("FAKEAWS_FOREIGN", foreign)
		ts.Setenv("FAKEAWS_LISTENER", l)
		for k, v := range map[string]string{
			"KICKOFF_ROUTING_ENDPOINT": f.URL, "KICKOFF_ROUTING_LISTENER_ARN": l,
			"AWS_ACCESS_KEY_ID": "AKIDKICKOFFTEST", "AWS_SECRET_ACCESS_KEY": "secret",
			"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": ts.MkAbs(".aws-none"), "AWS_SHARED_CREDENTIALS_FILE": ts.MkAbs(".aws-none"),
		} {
			ts.Setenv(k, v)
		}
		h.f = f
	case "fail":
		if len(args) != 4 && len(args) != 5 {
			ts.Fatalf("usage: fakeaws fail ACTION CODE N [AFTER]")
		}
		n, err := strconv.Atoi(args[3])
		if err != nil {
			ts.Fatalf("fakeaws fail: %v", err)
		}
		skip := 0
		if len(args) == 5 {
			if skip, err = strconv.Atoi(args[4]); err != nil {
				ts.Fatalf("fakeaws fail: %v", err)
			}
		}
		f.FailAfter(args[1], args[2], skip, n)
	case "calls":
		calls := f.Mutations()
		fmt.Fprintf(ts.Stdout(), "calls: %d\n", len(calls))
		for _, c := range calls {
			var detail []string
			for _, k := range []string{"Name", "Priority", "RuleArn", "TargetGroupArn", "Conditions.member.1.HostHeaderConfig.Values.member.1"} {
				if v := c.Form.Get(k); v != "" {
					detail = append(detail, k+"="+v)
				}
			}
			fmt.Fprintf(ts.Stdout(), "%s %s\n", c.Action, strings.Join(detail, " "))
		}
		f.ResetCalls()
	case "foreign":
		r := f.RuleByARN(ts.Getenv("FAKEAWS_FOREIGN"))
		if r == nil {
			fmt.Fprintln(ts.Stdout(), "gone")
			return
		}
		fmt.Fprintf(ts.Stdout(), "priority=%s host=%s forward=%s\n", r.Priority, r.Conditions[0].Values[0], r.Actions[0].TargetGroupArn)
	default:
		ts.Fatalf("fakeaws: unknown %q", args[0])
	}
}
