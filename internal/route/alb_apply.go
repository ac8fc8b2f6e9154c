package route

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// Apply makes the plan's changes in an order that never strands anything: records of
// removed routes first (while their rules still exist, a re-run still sees them), then the
// rules and orphaned target groups in plan order, then the new and changed records in one
// batch. It stops at the first failure and says what was and was not changed.
func (a *ALB) Apply(ctx context.Context, p *Plan) error {
	st, _ := p.state.(*albState)
	if st == nil {
		return errors.New("alb: apply needs a plan made by the alb driver")
	}
	var gone, rules, records []Change
	for _, c := range p.Changes {
		switch {
		case c.Kind == KindRecord && c.Action == ActionRemove:
			gone = append(gone, c)
		case c.Kind == KindRecord:
			records = append(records, c)
		default:
			rules = append(rules, c)
		}
	}
	if len(gone) > 0 {
		if err := a.applyRecords(ctx, st, gone); err != nil {
			return &ApplyError{Failed: gone[0], Pending: append(append(slices.Clone(gone[1:]), rules...), records...), Err: err}
		}
	}
	err := applyEach(ctx, rules, func(ctx context.Context, c Change) error { return a.applyRule(ctx, st, c) })
	if err != nil {
		var ae *ApplyError
		if errors.As(err, &ae) {
			ae.Done = append(slices.Clone(gone), ae.Done...)
			ae.Pending = append(ae.Pending, records...)
		}
		return err
	}
	if len(records) > 0 {
		if err := a.applyRecords(ctx, st, records); err != nil {
			return &ApplyError{Done: append(gone, rules...), Failed: records[0], Pending: records[1:], Err: err}
		}
	}
	return nil
}

func (a *ALB) applyRule(ctx context.Context, st *albState, c Change) error {
	if c.Kind == KindTargetGroup {
		if _, err := a.ELB.DeleteTargetGroup(ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: aws.String(c.ref.(string))}); err != nil {
			return awsError("elasticloadbalancing:DeleteTargetGroup", err)
		}
		return nil
	}
	ar, _ := c.ref.(*albRule)
	switch c.Action {
	case ActionAdd:
		tg, err := a.ensureTargetGroup(ctx, st, *c.After)
		if err != nil {
			return err
		}
		return a.createRule(ctx, st, *c.After, tg)
	case ActionChange:
		if ar == nil {
			return errors.New("alb: change without the rule it changes")
		}
		tg := ar.TGARN
		if a.SideBySide && tg != "" && c.Before.Backend.Port != c.After.Backend.Port {
			// A side-by-side switch: the new port joins the target group, and the old
			// target leaves only once the new one is healthy there.
			if err := a.register(ctx, tg, c.After.Backend); err != nil {
				return err
			}
			if err := a.waitTarget(ctx, tg, c.After.Backend); err != nil {
				return err
			}
			if err := a.deregister(ctx, tg, ar.Targets, c.After.Backend); err != nil {
				return err
			}
		} else if c.Before.Backend.Port != c.After.Backend.Port || tg == "" {
			// A target group's port is fixed: a new port is a new target group.
			ntg, err := a.ensureTargetGroup(ctx, st, *c.After)
			if err != nil {
				return err
			}
			tg = ntg
		} else if c.Before.Backend != c.After.Backend {
			if err := a.register(ctx, tg, c.After.Backend); err != nil {
				return err
			}
			if err := a.deregister(ctx, tg, ar.Targets, c.After.Backend); err != nil {
				return err
			}
		}
		if tg == ar.TGARN && c.Before.Host == c.After.Host && c.Before.Path == c.After.Path && c.Before.StripPrefix == c.After.StripPrefix {
			return nil // only the target moved: the rule stays as it is
		}
		in := &elb.ModifyRuleInput{RuleArn: aws.String(ar.RuleARN), Conditions: a.conditions(*c.After), Actions: forward(tg)}
		if t := transforms(*c.After); t != nil {
			in.Transforms = t
		} else if c.Before.StripPrefix {
			in.ResetTransforms = aws.Bool(true)
		}
		if _, err := a.ELB.ModifyRule(ctx, in); err != nil {
			return awsError("elasticloadbalancing:ModifyRule", err)
		}
		if tg != ar.TGARN && ar.TGARN != "" && ar.TGOwned {
			if _, err := a.ELB.DeleteTargetGroup(ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: aws.String(ar.TGARN)}); err != nil {
				return awsError("elasticloadbalancing:DeleteTargetGroup", err)
			}
		}
		return nil
	case ActionRemove:
		if ar == nil {
			return errors.New("alb: removal without the rule it removes")
		}
		if _, err := a.ELB.DeleteRule(ctx, &elb.DeleteRuleInput{RuleArn: aws.String(ar.RuleARN)}); err != nil {
			return awsError("elasticloadbalancing:DeleteRule", err)
		}
		if ar.TGARN != "" && ar.TGOwned {
			if _, err := a.ELB.DeleteTargetGroup(ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: aws.String(ar.TGARN)}); err != nil {
				return fmt.Errorf("the rule is deleted, its target group is not: %w", awsError("elasticloadbalancing:DeleteTargetGroup", err))
			}
		}
		return nil
	}
	return fmt.Errorf("alb: unknown action %q", c.Action)
}

func (a *ALB) tagList(key string) []elbtypes.Tag {
	tags := []elbtypes.Tag{{Key: aws.String(TagManagedBy), Value: aws.String(TagManagedValue)}, {Key: aws.String(TagRoute), Value: aws.String(key)}}
	if a.Project != "" {
		tags = append(tags, elbtypes.Tag{Key: aws.String(TagProject), Value: aws.String(a.Project)})
	}
	return tags
}

// ensureTargetGroup creates the target group of a route (CreateTargetGroup answers the
// existing one when name and settings match, so a re-run after a failure is safe) and
// registers the instance.
func (a *ALB) ensureTargetGroup(ctx context.Context, st *albState, r Route) (string, error) {
	if st.VPCID == "" {
		return "", errors.New("routing.vpc_id: the load balancer's VPC is unknown; set routing.vpc_id")
	}
	health := a.Health[r.App]
	if health == "" || !strings.HasPrefix(health, "/") {
		health = "/"
	}
	out, err := a.ELB.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{
		Name:            aws.String(TargetGroupName(a.Project, r)),
		Protocol:        elbtypes.ProtocolEnumHttp,
		Port:            aws.Int32(int32(r.Backend.Port)),
		VpcId:           aws.String(st.VPCID),
		TargetType:      elbtypes.TargetTypeEnumInstance,
		HealthCheckPath: aws.String(health),
		Matcher:         &elbtypes.Matcher{HttpCode: aws.String("200-399")},
		Tags:            a.tagList(r.Key()),
	})
	if err != nil {
		return "", awsError("elasticloadbalancing:CreateTargetGroup", err)
	}
	if len(out.TargetGroups) == 0 {
		return "", errors.New("elasticloadbalancing:CreateTargetGroup answered no target group")
	}
	tg := aws.ToString(out.TargetGroups[0].TargetGroupArn)
	return tg, a.register(ctx, tg, r.Backend)
}

func (a *ALB) register(ctx context.Context, tg string, b Backend) error {
	_, err := a.ELB.RegisterTargets(ctx, &elb.RegisterTargetsInput{
		TargetGroupArn: aws.String(tg),
		Targets:        []elbtypes.TargetDescription{{Id: aws.String(b.Host), Port: aws.Int32(int32(b.Port))}},
	})
	if err != nil {
		return awsError("elasticloadbalancing:RegisterTargets", err)
	}
	return nil
}

// waitTarget waits until b is healthy in the target group tg (bounded by TargetWait).
func (a *ALB) waitTarget(ctx context.Context, tg string, b Backend) error {
	wait := a.TargetWait
	if wait <= 0 {
		wait = DefaultTargetWait
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	state := "unknown"
	for {
		th, err := a.ELB.DescribeTargetHealth(wctx, &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg),
			Targets: []elbtypes.TargetDescription{{Id: aws.String(b.Host), Port: aws.Int32(int32(b.Port))}}})
		if err != nil && wctx.Err() == nil {
			return awsError("elasticloadbalancing:DescribeTargetHealth", err)
		}
		if err == nil {
			for _, d := range th.TargetHealthDescriptions {
				if d.Target != nil && aws.ToInt32(d.Target.Port) == int32(b.Port) && d.TargetHealth != nil {
					state = string(d.TargetHealth.State)
				}
			}
			if state == string(elbtypes.TargetHealthStateEnumHealthy) {
				return nil
			}
		}
		select {
		case <-wctx.Done():
			return fmt.Errorf("target %s in %s is %s after %s: the old target stays registered; see the target group's health checks", b, tg, state, wait)
		case <-time.After(2 * time.Second):
		}
	}
}

func (a *ALB) deregister(ctx context.Context, tg string, targets []elbtypes.TargetDescription, keep Backend) error {
	var drop []elbtypes.TargetDescription
	for _, t := range targets {
		if aws.ToString(t.Id) != keep.Host || int(aws.ToInt32(t.Port)) != keep.Port {
			drop = append(drop, t)
		}
	}
	if len(drop) == 0 {
		return nil
	}
	if _, err := a.ELB.DeregisterTargets(ctx, &elb.DeregisterTargetsInput{TargetGroupArn: aws.String(tg), Targets: drop}); err != nil {
		return awsError("elasticloadbalancing:DeregisterTargets", err)
	}
	return nil
}

func (a *ALB) createRule(ctx context.Context, st *albState, r Route, tg string) error {
	for attempt := 0; ; attempt++ {
		_, err := a.ELB.CreateRule(ctx, &elb.CreateRuleInput{
			ListenerArn: aws.String(a.ListenerARN),
			Priority:    aws.Int32(int32(r.Priority)),
			Conditions:  a.conditions(r),
			Actions:     forward(tg),
			Transforms:  transforms(r),
			Tags:        a.tagList(r.Key()),
		})
		if errorCode(err) == "PriorityInUse" && attempt < 10 {
			// Someone took the priority since the plan: take the next free one.
			r.Priority = st.pick(r.Priority + 1)
			continue
		}
		if err != nil {
			return awsError("elasticloadbalancing:CreateRule", err)
		}
		return nil
	}
}

func (a *ALB) conditions(r Route) []elbtypes.RuleCondition {
	conds := []elbtypes.RuleCondition{{Field: aws.String("host-header"), HostHeaderConfig: &elbtypes.HostHeaderConditionConfig{Values: []string{r.Host}}}}
	if r.Path != "" {
		prefix := strings.TrimSuffix(r.Path, "/")
		conds = append(conds, elbtypes.RuleCondition{Field: aws.String("path-pattern"), PathPatternConfig: &elbtypes.PathPatternConditionConfig{Values: []string{prefix, r.Path + "*"}}})
	}
	return conds
}

func forward(tg string) []elbtypes.Action {
	return []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(tg)}}
}

// transforms strip the path prefix with an ALB URL rewrite: /dev1/fe/x -> /x.
func transforms(r Route) []elbtypes.RuleTransform {
	if r.Path == "" || !r.StripPrefix {
		return nil
	}
	prefix := strings.TrimSuffix(r.Path, "/")
	return []elbtypes.RuleTransform{{
		Type: elbtypes.TransformTypeEnumUrlRewrite,
		UrlRewriteConfig: &elbtypes.UrlRewriteConfig{Rewrites: []elbtypes.RewriteConfig{{
			Regex: aws.String("^" + regexp.QuoteMeta(prefix) + "/?(.*)$"), Replace: aws.String("/$1"),
		}}},
	}}
}

var tgNameBad = regexp.MustCompile(`[^A-Za-z0-9-]+`)

// TargetGroupName is the name of a route's target group: kickoff-[project-]slot-app-port,
// at most 32 characters (longer names keep a prefix and a hash).
func TargetGroupName(project string, r Route) string {
	parts := []string{"kickoff"}
	if project != "" {
		parts = append(parts, project)
	}
	parts = append(parts, r.Slot, r.App, strconv.Itoa(r.Backend.Port))
	name := strings.Trim(tgNameBad.ReplaceAllString(strings.Join(parts, "-"), "-"), "-")
	if len(name) <= 32 {
		return name
	}
	sum := sha1.Sum([]byte(name))
	return strings.TrimRight(name[:23], "-") + "-" + hex.EncodeToString(sum[:4])
}
