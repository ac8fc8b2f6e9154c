package route

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/kickoffhq/kickoff/internal/awsenv"
	"github.com/kickoffhq/kickoff/internal/config"
)

// Tags on everything the ALB driver creates; rules without them are never touched.
const (
	TagManagedBy    = "managed-by"
	TagManagedValue = "kickoff"
	TagRoute        = "kickoff:route"   // slot/app
	TagProject      = "kickoff:project" // the project, when several share a listener
)

// DefaultPriorityBase is where the priorities of kickoff's rules start: the rule of slot i
// and app j asks for base + i x 100 + j and takes the next free one if that is in use.
const DefaultPriorityBase = 1000

// ALB is the driver for an AWS Application Load Balancer: one target group per slot and app
// (the instance and the app's host port), one listener rule per route, and Route 53 records
// when a zone is configured.
type ALB struct {
	ELB          *elb.Client
	R53          *route53.Client // nil: no zone, the plan says which record to create
	ListenerARN  string
	VPCID        string // empty: the load balancer's VPC
	Zone         string // Route 53 hosted zone ID
	Mode         string
	Domain       string
	Project      string
	Region       string
	PriorityBase int
	Health       map[string]string // app -> health check path
	// SideBySide moves a route whose port changed within its target group: the new
	// target is registered, becomes healthy, then the old one is deregistered
	// (routing.switch side-by-side).
	SideBySide bool
	// TargetWait bounds the wait for a new target to be healthy; 0 means DefaultTargetWait.
	TargetWait time.Duration
}

// DefaultTargetWait bounds the wait for a newly registered target to pass the target
// group's health check (30-second checks, 5 in a row by default).
const DefaultTargetWait = 5 * time.Minute

// NewALBFromConfig builds the ALB driver from routing.* and the standard AWS chain; wrap
// (may be nil) wraps the transport of its AWS calls.
func NewALBFromConfig(ctx context.Context, cfg *config.Config, wrap awsenv.Wrap) (Driver, error) {
	return NewALB(ctx, cfg, AWSOptions{Region: cfg.Routing.Region, Endpoint: cfg.Routing.Endpoint, Wrap: wrap})
}

// NewALB is NewALBFromConfig with AWS options (tests shorten the retry backoff).
func NewALB(ctx context.Context, cfg *config.Config, o AWSOptions) (*ALB, error) {
	rc := cfg.Routing
	if rc.ListenerARN == "" {
		return nil, errors.New("routing.listener_arn: the ALB driver needs the ARN of the listener to add rules to (arn:aws:elasticloadbalancing:...:listener/app/...)")
	}
	if err := CheckInstances(cfg); err != nil {
		return nil, err
	}
	if o.Region == "" {
		o.Region = regionOfARN(rc.ListenerARN)
	}
	awsCfg, err := loadAWS(ctx, o)
	if err != nil {
		return nil, err
	}
	a := &ALB{
		ELB: elb.NewFromConfig(awsCfg), ListenerARN: rc.ListenerARN, VPCID: rc.VPCID,
		Zone: rc.Route53Zone, Mode: rc.Mode, Domain: strings.ToLower(rc.Domain), Project: cfg.Project,
		Region: awsCfg.Region, PriorityBase: DefaultPriorityBase, Health: map[string]string{},
		SideBySide: cfg.SideBySide(),
	}
	if rc.Route53Zone != "" {
		a.R53 = route53.NewFromConfig(awsCfg)
	}
	for name, app := range cfg.Apps {
		a.Health[name] = app.Health
	}
	return a, nil
}

// regionOfARN takes the region from arn:aws:elasticloadbalancing:<region>:...
func regionOfARN(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) > 3 && strings.HasPrefix(arn, "arn:") {
		return parts[3]
	}
	return ""
}

func (a *ALB) Name() string { return "alb" }

// albRule is a rule kickoff manages, as found.
type albRule struct {
	RuleARN  string
	TGARN    string
	TGOwned  bool // the target group carries kickoff's tags
	Targets  []elbtypes.TargetDescription
	Priority int
}

// albState is what Plan learnt and Apply needs.
type albState struct {
	LBARN, DNSName, LBZone, VPCID string
	used                          map[int]bool // priorities in use on the listener
	records                       map[string]recordRef
}

func (a *ALB) Plan(ctx context.Context, desired []Route) (*Plan, error) {
	st := &albState{used: map[int]bool{}}
	ls, err := a.ELB.DescribeListeners(ctx, &elb.DescribeListenersInput{ListenerArns: []string{a.ListenerARN}})
	if err != nil {
		if c := errorCode(err); c == "ListenerNotFound" || c == "ValidationError" {
			return nil, fmt.Errorf("routing.listener_arn: there is no ALB listener %s in region %s (%s): check the ARN, the region and the account", a.ListenerARN, a.Region, errorCode(err))
		}
		return nil, awsError("elasticloadbalancing:DescribeListeners", err)
	}
	if len(ls.Listeners) == 0 {
		return nil, fmt.Errorf("routing.listener_arn: there is no ALB listener %s in region %s", a.ListenerARN, a.Region)
	}
	st.LBARN = aws.ToString(ls.Listeners[0].LoadBalancerArn)
	lbs, err := a.ELB.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{st.LBARN}})
	if err != nil {
		return nil, awsError("elasticloadbalancing:DescribeLoadBalancers", err)
	}
	if len(lbs.LoadBalancers) > 0 {
		lb := lbs.LoadBalancers[0]
		st.DNSName, st.LBZone, st.VPCID = strings.ToLower(aws.ToString(lb.DNSName)), aws.ToString(lb.CanonicalHostedZoneId), aws.ToString(lb.VpcId)
	}
	if a.VPCID != "" {
		st.VPCID = a.VPCID
	}

	var rules []elbtypes.Rule
	var marker *string
	for {
		out, err := a.ELB.DescribeRules(ctx, &elb.DescribeRulesInput{ListenerArn: aws.String(a.ListenerARN), Marker: marker})
		if err != nil {
			return nil, awsError("elasticloadbalancing:DescribeRules", err)
		}
		rules = append(rules, out.Rules...)
		if aws.ToString(out.NextMarker) == "" {
			break
		}
		marker = out.NextMarker
	}
	var arns []string
	for _, r := range rules {
		if p, err := strconv.Atoi(aws.ToString(r.Priority)); err == nil {
			st.used[p] = true
		}
		if !aws.ToBool(r.IsDefault) {
			arns = append(arns, aws.ToString(r.RuleArn))
		}
		if tg := forwardTarget(r.Actions); tg != "" {
			arns = append(arns, tg)
		}
	}
	tags, err := a.tags(ctx, arns)
	if err != nil {
		return nil, err
	}

	var actual []Route
	found := map[string]*albRule{}
	for _, r := range rules {
		arn := aws.ToString(r.RuleArn)
		key, ok := a.managed(tags[arn])
		if !ok || aws.ToBool(r.IsDefault) {
			continue // not ours: never touched
		}
		rt, ar, err := a.readRule(ctx, key, r, tags)
		if err != nil {
			return nil, err
		}
		actual = append(actual, rt)
		found[key] = ar
	}

	changes, unchanged := Diff(desired, actual)
	slotIdx, appIdx := indexes(desired)
	for i := range changes {
		c := &changes[i]
		if ar := found[c.Key()]; ar != nil {
			c.ref = ar
		}
		if c.Action == ActionAdd {
			c.After.Priority = st.pick(a.PriorityBase + slotIdx[c.Slot]*100 + appIdx[c.App])
		}
	}
	p := &Plan{Driver: a.Name(), Mode: a.Mode, Changes: changes, Unchanged: unchanged, desired: desired, state: st}
	if err := a.planOrphans(ctx, p, rules, desired); err != nil {
		return nil, err
	}
	if err := a.planRecords(ctx, p, st, desired, actual); err != nil {
		return nil, err
	}
	return p, nil
}

// planOrphans finds the target groups kickoff created that no rule forwards to and no
// wanted route will reuse, so a removal that failed half way is finished by the next apply.
func (a *ALB) planOrphans(ctx context.Context, p *Plan, rules []elbtypes.Rule, desired []Route) error {
	used := map[string]bool{}
	for _, r := range rules {
		if tg := forwardTarget(r.Actions); tg != "" {
			used[tg] = true
		}
	}
	reuse := map[string]bool{}
	for _, d := range desired {
		reuse[TargetGroupName(a.Project, d)] = true
	}
	var candidates []string
	names := map[string]string{}
	in := &elb.DescribeTargetGroupsInput{}
	for {
		out, err := a.ELB.DescribeTargetGroups(ctx, in)
		if err != nil {
			return awsError("elasticloadbalancing:DescribeTargetGroups", err)
		}
		for _, tg := range out.TargetGroups {
			arn, name := aws.ToString(tg.TargetGroupArn), aws.ToString(tg.TargetGroupName)
			if strings.HasPrefix(name, "kickoff-") && !used[arn] && !reuse[name] && len(tg.LoadBalancerArns) == 0 {
				candidates = append(candidates, arn)
				names[arn] = name
			}
		}
		if aws.ToString(out.NextMarker) == "" {
			break
		}
		in.Marker = out.NextMarker
	}
	if len(candidates) == 0 {
		return nil
	}
	tags, err := a.tags(ctx, candidates)
	if err != nil {
		return err
	}
	for _, arn := range candidates {
		key, ok := a.managed(tags[arn])
		if !ok {
			continue
		}
		slot, app, _ := strings.Cut(key, "/")
		p.Changes = append(p.Changes, Change{Action: ActionRemove, Kind: KindTargetGroup, Slot: slot, App: app, Name: names[arn], ref: arn})
	}
	return nil
}

// pick takes the preferred priority, or the next free one after it.
func (st *albState) pick(preferred int) int {
	p := preferred
	for st.used[p] {
		p++
	}
	st.used[p] = true
	return p
}

func indexes(desired []Route) (slots, apps map[string]int) {
	slots, apps = map[string]int{}, map[string]int{}
	for _, r := range desired {
		if _, ok := slots[r.Slot]; !ok {
			slots[r.Slot] = len(slots)
		}
		if _, ok := apps[r.App]; !ok {
			apps[r.App] = len(apps)
		}
	}
	return
}

func (a *ALB) managed(tags map[string]string) (key string, ok bool) {
	if tags[TagManagedBy] != TagManagedValue || tags[TagProject] != a.Project {
		return "", false
	}
	key = tags[TagRoute]
	return key, strings.Count(key, "/") == 1
}

// tags reads the tags of resources, 20 at a time (the API's limit).
func (a *ALB) tags(ctx context.Context, arns []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	slices.Sort(arns)
	arns = slices.Compact(arns)
	for len(arns) > 0 {
		n := min(20, len(arns))
		res, err := a.ELB.DescribeTags(ctx, &elb.DescribeTagsInput{ResourceArns: arns[:n]})
		if err != nil {
			return nil, awsError("elasticloadbalancing:DescribeTags", err)
		}
		for _, d := range res.TagDescriptions {
			m := map[string]string{}
			for _, t := range d.Tags {
				m[aws.ToString(t.Key)] = aws.ToString(t.Value)
			}
			out[aws.ToString(d.ResourceArn)] = m
		}
		arns = arns[n:]
	}
	return out, nil
}

// readRule turns a managed rule back into the route it serves.
func (a *ALB) readRule(ctx context.Context, key string, r elbtypes.Rule, tags map[string]map[string]string) (Route, *albRule, error) {
	slot, app, _ := strings.Cut(key, "/")
	rt := Route{Slot: slot, App: app}
	ar := &albRule{RuleARN: aws.ToString(r.RuleArn)}
	ar.Priority, _ = strconv.Atoi(aws.ToString(r.Priority))
	rt.Priority = ar.Priority
	for _, c := range r.Conditions {
		switch aws.ToString(c.Field) {
		case "host-header":
			vals := c.Values
			if c.HostHeaderConfig != nil && len(c.HostHeaderConfig.Values) > 0 {
				vals = c.HostHeaderConfig.Values
			}
			if len(vals) > 0 {
				rt.Host = strings.ToLower(vals[0])
			}
		case "path-pattern":
			vals := c.Values
			if c.PathPatternConfig != nil && len(c.PathPatternConfig.Values) > 0 {
				vals = c.PathPatternConfig.Values
			}
			for _, v := range vals {
				if strings.HasSuffix(v, "/*") {
					rt.Path = strings.TrimSuffix(v, "*")
				}
			}
		}
	}
	for _, t := range r.Transforms {
		if t.Type == elbtypes.TransformTypeEnumUrlRewrite {
			rt.StripPrefix = true
		}
	}
	ar.TGARN = forwardTarget(r.Actions)
	if ar.TGARN != "" {
		_, ar.TGOwned = a.managed(tags[ar.TGARN])
		th, err := a.ELB.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String(ar.TGARN)})
		if err != nil {
			return rt, nil, awsError("elasticloadbalancing:DescribeTargetHealth", err)
		}
		for _, d := range th.TargetHealthDescriptions {
			// A deregistered target drains for a while: it is no longer the route's.
			if d.Target != nil && (d.TargetHealth == nil || d.TargetHealth.State != elbtypes.TargetHealthStateEnumDraining) {
				ar.Targets = append(ar.Targets, *d.Target)
			}
		}
		if len(ar.Targets) > 0 {
			rt.Backend = Backend{Host: aws.ToString(ar.Targets[0].Id), Port: int(aws.ToInt32(ar.Targets[0].Port))}
		}
	}
	return rt, ar, nil
}

func forwardTarget(actions []elbtypes.Action) string {
	for _, act := range actions {
		if act.Type != elbtypes.ActionTypeEnumForward {
			continue
		}
		if act.TargetGroupArn != nil {
			return *act.TargetGroupArn
		}
		if act.ForwardConfig != nil && len(act.ForwardConfig.TargetGroups) > 0 {
			return aws.ToString(act.ForwardConfig.TargetGroups[0].TargetGroupArn)
		}
	}
	return ""
}
