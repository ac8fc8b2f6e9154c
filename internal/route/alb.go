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

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"

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
	InstanceID   string
	VPCID        string // empty: the load balancer's VPC
	Zone         string // Route 53 hosted zone ID
	Mode         string
	Domain       string
	Project      string
	Region       string
	PriorityBase int
	Health       map[string]string // app -> health check path
}

// NewALBFromConfig builds the ALB driver from routing.* and the standard AWS chain.
func NewALBFromConfig(ctx context.Context, cfg *config.Config) (Driver, error) {
	return NewALB(ctx, cfg, AWSOptions{Region: cfg.Routing.Region, Endpoint: cfg.Routing.Endpoint})
}

// NewALB is NewALBFromConfig with AWS options (tests shorten the retry backoff).
func NewALB(ctx context.Context, cfg *config.Config, o AWSOptions) (*ALB, error) {
	rc := cfg.Routing
	if rc.ListenerARN == "" {
		return nil, errors.New("routing.listener_arn: the ALB driver needs the ARN of the listener to add rules to (arn:aws:elasticloadbalancing:...:listener/app/...)")
	}
	if rc.InstanceID == "" {
		return nil, errors.New("routing.instance_id: the ALB driver needs the ID of the EC2 instance that runs the slots (i-...)")
	}
	if o.Region == "" {
		o.Region = regionOfARN(rc.ListenerARN)
	}
	awsCfg, err := loadAWS(ctx, o)
	if err != nil {
		return nil, err
	}
	a := &ALB{
		ELB: elb.NewFromConfig(awsCfg), ListenerARN: rc.ListenerARN, InstanceID: rc.InstanceID, VPCID: rc.VPCID,
		Zone: rc.Route53Zone, Mode: rc.Mode, Domain: strings.ToLower(rc.Domain), Project: cfg.Project,
		Region: awsCfg.Region, PriorityBase: DefaultPriorityBase, Health: map[string]string{},
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
			if d.Target != nil {
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
		tg, err := a.ensureTargetGroup(ctx, st, *c.After, nil)
		if err != nil {
			return err
		}
		return a.createRule(ctx, st, *c.After, tg)
	case ActionChange:
		if ar == nil {
			return errors.New("alb: change without the rule it changes")
		}
		tg := ar.TGARN
		if c.Before.Backend.Port != c.After.Backend.Port || tg == "" {
			// A target group's port is fixed: a new port is a new target group.
			ntg, err := a.ensureTargetGroup(ctx, st, *c.After, nil)
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
func (a *ALB) ensureTargetGroup(ctx context.Context, st *albState, r Route, _ []elbtypes.TargetDescription) (string, error) {
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
