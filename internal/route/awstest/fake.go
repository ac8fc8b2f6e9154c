package awstest

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Region and Account of the fake's ARNs.
const (
	Region  = "eu-west-1"
	Account = "123456789012"
	elbNS   = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"
	r53NS   = "https://route53.amazonaws.com/doc/2013-04-01/"
)

// Call is one request the fake answered.
type Call struct {
	Service string     // "elasticloadbalancing" or "route53"
	Action  string     // DescribeRules, ChangeResourceRecordSets, ...
	Form    url.Values // Query API parameters
	Body    string     // Route 53 request body
}

// Mutating reports whether the call changes state (not Describe*/List*).
func (c Call) Mutating() bool {
	return !strings.HasPrefix(c.Action, "Describe") && !strings.HasPrefix(c.Action, "List")
}

// Fake is the fake AWS. Its fields are its state; lock Mu when reading them while requests run.
type Fake struct {
	URL string
	Mu  sync.Mutex

	LoadBalancers map[string]*LoadBalancer
	Listeners     map[string]*Listener
	Rules         []*Rule
	TargetGroups  map[string]*TargetGroup
	Tags          map[string][]Tag
	Zones         map[string][]*Record // zone ID -> records
	Calls         []Call
	// PageSize is how many rules DescribeRules answers at once (NextMarker for the rest).
	PageSize int

	failures []failure
	seq      int
	srv      *httptest.Server
}

type failure struct {
	action, code string
	skip, n      int
}

// LoadBalancer, Listener, Rule, ... mirror the API's XML shapes.
type LoadBalancer struct {
	LoadBalancerArn       string
	DNSName               string
	CanonicalHostedZoneId string
	VpcId                 string
	Type                  string
}

type Listener struct {
	ListenerArn     string
	LoadBalancerArn string
	Port            int
	Protocol        string
}

type Rule struct {
	XMLName     xml.Name    `xml:"member"`
	ListenerArn string      `xml:"-"`
	RuleArn     string      `xml:"RuleArn"`
	Priority    string      `xml:"Priority"`
	IsDefault   bool        `xml:"IsDefault"`
	Conditions  []Condition `xml:"Conditions>member"`
	Actions     []Action    `xml:"Actions>member"`
	Transforms  []Transform `xml:"Transforms>member,omitempty"`
}

type Condition struct {
	Field             string   `xml:"Field"`
	Values            []string `xml:"Values>member"`
	HostHeaderConfig  *Values  `xml:"HostHeaderConfig,omitempty"`
	PathPatternConfig *Values  `xml:"PathPatternConfig,omitempty"`
}

type Values struct {
	Values []string `xml:"Values>member"`
}

type Action struct {
	Type           string `xml:"Type"`
	TargetGroupArn string `xml:"TargetGroupArn,omitempty"`
	Order          int    `xml:"Order,omitempty"`
}

type Transform struct {
	Type             string    `xml:"Type"`
	UrlRewriteConfig *Rewrites `xml:"UrlRewriteConfig,omitempty"`
}

type Rewrites struct {
	Rewrites []Rewrite `xml:"Rewrites>member"`
}

type Rewrite struct {
	Regex   string `xml:"Regex"`
	Replace string `xml:"Replace"`
}

type TargetGroup struct {
	XMLName         xml.Name `xml:"member"`
	TargetGroupArn  string   `xml:"TargetGroupArn"`
	TargetGroupName string   `xml:"TargetGroupName"`
	Protocol        string   `xml:"Protocol"`
	Port            int      `xml:"Port"`
	VpcId           string   `xml:"VpcId"`
	TargetType      string   `xml:"TargetType"`
	HealthCheckPath string   `xml:"HealthCheckPath"`
	// LoadBalancerArns is filled in answers: the load balancers whose rules forward here.
	LoadBalancerArns []string `xml:"LoadBalancerArns>member"`
	Targets          []Target `xml:"-"`
}

type Target struct {
	Id   string `xml:"Id"`
	Port int    `xml:"Port"`
}

type Tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// Record is a Route 53 alias record.
type Record struct {
	Name, Type, AliasDNSName, AliasZone string
}

// New starts a fake; Close stops it.
func New() *Fake {
	f := &Fake{
		LoadBalancers: map[string]*LoadBalancer{}, Listeners: map[string]*Listener{},
		TargetGroups: map[string]*TargetGroup{}, Tags: map[string][]Tag{}, Zones: map[string][]*Record{},
		PageSize: 5,
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL
	return f
}

func (f *Fake) Close() { f.srv.Close() }

func (f *Fake) next() int { f.seq++; return f.seq }

// AddLoadBalancer creates a load balancer with an HTTP listener and its default rule.
func (f *Fake) AddLoadBalancer(name, vpc string) (lbARN, listenerARN string) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	id := fmt.Sprintf("%016x", f.next())
	lbARN = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s", Region, Account, name, id)
	listenerARN = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:listener/app/%s/%s/%016x", Region, Account, name, id, f.next())
	f.LoadBalancers[lbARN] = &LoadBalancer{LoadBalancerArn: lbARN, DNSName: name + "-" + id[12:] + "." + Region + ".elb.amazonaws.com",
		CanonicalHostedZoneId: "Z32O12XQLNTSW2", VpcId: vpc, Type: "application"}
	f.Listeners[listenerARN] = &Listener{ListenerArn: listenerARN, LoadBalancerArn: lbARN, Port: 80, Protocol: "HTTP"}
	f.Rules = append(f.Rules, &Rule{ListenerArn: listenerARN, RuleArn: f.ruleARN(listenerARN), Priority: "default", IsDefault: true,
		Actions: []Action{{Type: "fixed-response", Order: 1}}})
	return lbARN, listenerARN
}

// AddRule adds a rule someone else manages (no kickoff tags) forwarding host to a new target group.
func (f *Fake) AddRule(listenerARN string, priority int, host string, tags ...Tag) string {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	tg := f.createTG("legacy-"+strconv.Itoa(priority), 8080, "vpc-1", "/")
	r := &Rule{ListenerArn: listenerARN, RuleArn: f.ruleARN(listenerARN), Priority: strconv.Itoa(priority),
		Conditions: []Condition{{Field: "host-header", Values: []string{host}, HostHeaderConfig: &Values{[]string{host}}}},
		Actions:    []Action{{Type: "forward", TargetGroupArn: tg.TargetGroupArn, Order: 1}}}
	f.Rules = append(f.Rules, r)
	if len(tags) > 0 {
		f.Tags[r.RuleArn] = tags
	}
	return r.RuleArn
}

// AddZone creates an empty hosted zone.
func (f *Fake) AddZone(id string) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.Zones[id] = nil
}

// Fail answers the next n calls of action with the AWS error code (Throttling,
// AccessDenied, ...).
func (f *Fake) Fail(action, code string, n int) { f.FailAfter(action, code, 0, n) }

// FailAfter lets skip calls of action through, then fails the n next ones.
func (f *Fake) FailAfter(action, code string, skip, n int) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.failures = append(f.failures, failure{action, code, skip, n})
}

// Mutations lists the calls that changed state.
func (f *Fake) Mutations() []Call { return f.callsWhere(Call.Mutating) }

// CallsOf lists the calls of one action.
func (f *Fake) CallsOf(action string) []Call {
	return f.callsWhere(func(c Call) bool { return c.Action == action })
}

// callsWhere lists the calls so far that keep says to keep, in order.
func (f *Fake) callsWhere(keep func(Call) bool) []Call {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	var out []Call
	for _, c := range f.Calls {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// ResetCalls forgets the calls so far.
func (f *Fake) ResetCalls() {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	f.Calls = nil
}

// RuleByARN returns a copy of a rule, or nil.
func (f *Fake) RuleByARN(arn string) *Rule {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	for _, r := range f.Rules {
		if r.RuleArn == arn {
			c := *r
			return &c
		}
	}
	return nil
}

// ManagedRules counts the rules tagged managed-by=kickoff.
func (f *Fake) ManagedRules() []*Rule {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	var out []*Rule
	for _, r := range f.Rules {
		for _, t := range f.Tags[r.RuleArn] {
			if t.Key == "managed-by" && t.Value == "kickoff" {
				c := *r
				out = append(out, &c)
			}
		}
	}
	return out
}

func (f *Fake) ruleARN(listenerARN string) string {
	return strings.Replace(listenerARN, ":listener/", ":listener-rule/", 1) + fmt.Sprintf("/%016x", f.next())
}

// apiError is an AWS error answer.
type apiError struct {
	status     int
	code, msg  string
	senderType string
}

func errf(status int, code, format string, a ...any) *apiError {
	return &apiError{status: status, code: code, msg: fmt.Sprintf(format, a...), senderType: "Sender"}
}

var authRe = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=[A-Z0-9]+/\d{8}/[a-z0-9-]+/(elasticloadbalancing|route53)/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$`)

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/2013-04-01/") {
		f.serveRoute53(w, r, string(body))
		return
	}
	form, err := url.ParseQuery(string(body))
	if r.Method != http.MethodPost || err != nil || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		writeELBError(w, "", errf(400, "MalformedQueryString", "want a form-encoded POST"))
		return
	}
	action := form.Get("Action")
	f.Calls = append(f.Calls, Call{Service: "elasticloadbalancing", Action: action, Form: form})
	if !authRe.MatchString(r.Header.Get("Authorization")) {
		writeELBError(w, action, errf(403, "MissingAuthenticationToken", "request is not signed with SigV4"))
		return
	}
	if form.Get("Version") != "2015-12-01" {
		writeELBError(w, action, errf(400, "InvalidAction", "Version %q", form.Get("Version")))
		return
	}
	if e := f.injected(action); e != nil {
		writeELBError(w, action, e)
		return
	}
	result, e := f.elb(action, form)
	if e != nil {
		writeELBError(w, action, e)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%sResponse xmlns="%s"><%sResult>%s</%sResult><ResponseMetadata><RequestId>req-%d</RequestId></ResponseMetadata></%sResponse>`,
		action, elbNS, action, result, action, f.next(), action)
}

func (f *Fake) injected(action string) *apiError {
	for i := range f.failures {
		fl := &f.failures[i]
		if fl.action == action && fl.skip > 0 {
			fl.skip--
			continue
		}
		if fl.action == action && fl.n > 0 {
			fl.n--
			switch fl.code {
			case "AccessDenied":
				return errf(403, "AccessDenied", "User: arn:aws:sts::%s:assumed-role/qa-host/i-0abc is not authorized to perform: elasticloadbalancing:%s", Account, action)
			case "Throttling":
				return errf(400, "Throttling", "Rate exceeded")
			default:
				return errf(400, fl.code, "injected %s", fl.code)
			}
		}
	}
	return nil
}

func writeELBError(w http.ResponseWriter, action string, e *apiError) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(e.status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>req-err</RequestId></ErrorResponse>`,
		elbNS, e.senderType, e.code, xmlEscape(e.msg))
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// marshal encodes the fields of v, without an element of its own.
func marshal(v any) string {
	var b strings.Builder
	enc := xml.NewEncoder(&b)
	if err := enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: "x"}}); err != nil {
		panic(err)
	}
	if err := enc.Flush(); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(strings.TrimPrefix(b.String(), "<x>"), "</x>")
}

// list reads a Query API list: Prefix.member.1, Prefix.member.2, ...
func list(form url.Values, prefix string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := form[prefix+".member."+strconv.Itoa(i)]
		if !ok {
			return out
		}
		out = append(out, v[0])
	}
}

// structs counts the members of a list of structures: Prefix.member.N.<field>.
func structs(form url.Values, prefix string) int {
	n := 0
	for k := range form {
		rest, ok := strings.CutPrefix(k, prefix+".member.")
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, ".")
		if i, err := strconv.Atoi(num); err == nil && i > n {
			n = i
		}
	}
	return n
}

func member(prefix string, i int) string { return prefix + ".member." + strconv.Itoa(i) + "." }

func required(form url.Values, names ...string) *apiError {
	for _, n := range names {
		if form.Get(n) == "" {
			return errf(400, "ValidationError", "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", n)
		}
	}
	return nil
}

var tgNameRe = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?$`)

func (f *Fake) createTG(name string, port int, vpc, health string) *TargetGroup {
	arn := fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%016x", Region, Account, name, f.next())
	tg := &TargetGroup{TargetGroupArn: arn, TargetGroupName: name, Protocol: "HTTP", Port: port, VpcId: vpc, TargetType: "instance", HealthCheckPath: health}
	f.TargetGroups[arn] = tg
	return tg
}

func (f *Fake) readTags(form url.Values) []Tag {
	var tags []Tag
	for i := 1; i <= structs(form, "Tags"); i++ {
		p := member("Tags", i)
		tags = append(tags, Tag{Key: form.Get(p + "Key"), Value: form.Get(p + "Value")})
	}
	return tags
}

func readConditions(form url.Values) ([]Condition, *apiError) {
	var cs []Condition
	for i := 1; i <= structs(form, "Conditions"); i++ {
		p := member("Conditions", i)
		c := Condition{Field: form.Get(p + "Field")}
		switch c.Field {
		case "host-header":
			c.Values = list(form, p+"HostHeaderConfig.Values")
			c.HostHeaderConfig = &Values{c.Values}
		case "path-pattern":
			c.Values = list(form, p+"PathPatternConfig.Values")
			c.PathPatternConfig = &Values{c.Values}
			if len(c.Values) > 5 {
				return nil, errf(400, "ValidationError", "a path-pattern condition takes at most 5 values")
			}
		default:
			return nil, errf(400, "ValidationError", "condition field %q is not supported by this fake", c.Field)
		}
		if len(c.Values) == 0 {
			return nil, errf(400, "ValidationError", "condition %d (%s) has no values", i, c.Field)
		}
		cs = append(cs, c)
	}
	return cs, nil
}

func (f *Fake) readActions(form url.Values) ([]Action, *apiError) {
	var as []Action
	for i := 1; i <= structs(form, "Actions"); i++ {
		p := member("Actions", i)
		a := Action{Type: form.Get(p + "Type"), TargetGroupArn: form.Get(p + "TargetGroupArn"), Order: i}
		if a.Type != "forward" {
			return nil, errf(400, "ValidationError", "action type %q is not supported by this fake", a.Type)
		}
		if f.TargetGroups[a.TargetGroupArn] == nil {
			return nil, errf(400, "TargetGroupNotFound", "Target groups '%s' not found", a.TargetGroupArn)
		}
		as = append(as, a)
	}
	return as, nil
}

func readTransforms(form url.Values) ([]Transform, *apiError) {
	var ts []Transform
	for i := 1; i <= structs(form, "Transforms"); i++ {
		p := member("Transforms", i)
		t := Transform{Type: form.Get(p + "Type")}
		if t.Type != "url-rewrite" {
			return nil, errf(400, "ValidationError", "transform type %q is not supported by this fake", t.Type)
		}
		rw := &Rewrites{}
		for j := 1; j <= structs(form, p+"UrlRewriteConfig.Rewrites"); j++ {
			q := member(p+"UrlRewriteConfig.Rewrites", j)
			x := Rewrite{Regex: form.Get(q + "Regex"), Replace: form.Get(q + "Replace")}
			if _, err := regexp.Compile(x.Regex); err != nil || x.Replace == "" {
				return nil, errf(400, "ValidationError", "bad rewrite %+v", x)
			}
			rw.Rewrites = append(rw.Rewrites, x)
		}
		if len(rw.Rewrites) != 1 {
			return nil, errf(400, "ValidationError", "a url-rewrite transform takes exactly one rewrite")
		}
		t.UrlRewriteConfig = rw
		ts = append(ts, t)
	}
	return ts, nil
}

func (f *Fake) rule(arn string) *Rule {
	for _, r := range f.Rules {
		if r.RuleArn == arn {
			return r
		}
	}
	return nil
}

func (f *Fake) elb(action string, form url.Values) (string, *apiError) {
	switch action {
	case "DescribeListeners":
		arns := list(form, "ListenerArns")
		if len(arns) == 0 {
			return "", errf(400, "ValidationError", "this fake wants ListenerArns")
		}
		var out []*Listener
		for _, a := range arns {
			l := f.Listeners[a]
			if l == nil {
				return "", errf(400, "ListenerNotFound", "One or more listeners not found")
			}
			out = append(out, l)
		}
		return marshal(struct {
			L []*Listener `xml:"Listeners>member"`
		}{out}), nil
	case "DescribeLoadBalancers":
		var out []*LoadBalancer
		for _, a := range list(form, "LoadBalancerArns") {
			lb := f.LoadBalancers[a]
			if lb == nil {
				return "", errf(400, "LoadBalancerNotFound", "One or more load balancers not found")
			}
			out = append(out, lb)
		}
		return marshal(struct {
			L []*LoadBalancer `xml:"LoadBalancers>member"`
		}{out}), nil
	case "DescribeRules":
		if e := required(form, "ListenerArn"); e != nil {
			return "", e
		}
		if f.Listeners[form.Get("ListenerArn")] == nil {
			return "", errf(400, "ListenerNotFound", "One or more listeners not found")
		}
		var rules []*Rule
		for _, r := range f.Rules {
			if r.ListenerArn == form.Get("ListenerArn") {
				rules = append(rules, r)
			}
		}
		start, _ := strconv.Atoi(form.Get("Marker"))
		end := min(start+f.PageSize, len(rules))
		next := ""
		if end < len(rules) {
			next = strconv.Itoa(end)
		}
		return marshal(struct {
			R    []*Rule `xml:"Rules>member"`
			Next string  `xml:"NextMarker,omitempty"`
		}{rules[start:end], next}), nil
	case "DescribeTargetGroups":
		if len(list(form, "Names"))+len(list(form, "TargetGroupArns")) > 0 || form.Get("LoadBalancerArn") != "" {
			return "", errf(400, "ValidationError", "this fake lists all target groups only")
		}
		var all []*TargetGroup
		for _, tg := range f.TargetGroups {
			c := *tg
			c.LoadBalancerArns = nil
			for _, r := range f.Rules {
				for _, a := range r.Actions {
					if lb := f.Listeners[r.ListenerArn].LoadBalancerArn; a.TargetGroupArn == tg.TargetGroupArn && !slices.Contains(c.LoadBalancerArns, lb) {
						c.LoadBalancerArns = append(c.LoadBalancerArns, lb)
					}
				}
			}
			all = append(all, &c)
		}
		sort.Slice(all, func(i, j int) bool { return all[i].TargetGroupArn < all[j].TargetGroupArn })
		start, _ := strconv.Atoi(form.Get("Marker"))
		start = min(start, len(all))
		end := min(start+f.PageSize, len(all))
		next := ""
		if end < len(all) {
			next = strconv.Itoa(end)
		}
		return marshal(struct {
			T    []*TargetGroup `xml:"TargetGroups>member"`
			Next string         `xml:"NextMarker,omitempty"`
		}{all[start:end], next}), nil
	case "DescribeTags":
		arns := list(form, "ResourceArns")
		if len(arns) == 0 || len(arns) > 20 {
			return "", errf(400, "ValidationError", "ResourceArns takes 1 to 20 ARNs, got %d", len(arns))
		}
		type desc struct {
			ResourceArn string `xml:"ResourceArn"`
			Tags        []Tag  `xml:"Tags>member"`
		}
		var out []desc
		for _, a := range arns {
			out = append(out, desc{a, f.Tags[a]})
		}
		return marshal(struct {
			D []desc `xml:"TagDescriptions>member"`
		}{out}), nil
	case "DescribeTargetHealth":
		tg := f.TargetGroups[form.Get("TargetGroupArn")]
		if tg == nil {
			return "", errf(400, "TargetGroupNotFound", "One or more target groups not found")
		}
		type health struct {
			State string `xml:"State"`
		}
		type desc struct {
			Target       Target `xml:"Target"`
			HealthCheck  string `xml:"HealthCheckPort"`
			TargetHealth health `xml:"TargetHealth"`
		}
		var out []desc
		for _, t := range tg.Targets {
			out = append(out, desc{t, strconv.Itoa(t.Port), health{"healthy"}})
		}
		return marshal(struct {
			D []desc `xml:"TargetHealthDescriptions>member"`
		}{out}), nil
	case "CreateTargetGroup":
		if e := required(form, "Name", "Protocol", "Port", "VpcId"); e != nil {
			return "", e
		}
		name := form.Get("Name")
		if !tgNameRe.MatchString(name) {
			return "", errf(400, "ValidationError", "Target group name '%s' can only contain characters that are alphanumeric characters or hyphens(-), at most 32", name)
		}
		port, _ := strconv.Atoi(form.Get("Port"))
		for _, tg := range f.TargetGroups {
			if tg.TargetGroupName == name {
				if tg.Port != port || tg.VpcId != form.Get("VpcId") {
					return "", errf(400, "DuplicateTargetGroupName", "A target group with the same name '%s' exists, but with different settings", name)
				}
				return marshal(struct {
					T []*TargetGroup `xml:"TargetGroups>member"`
				}{[]*TargetGroup{tg}}), nil
			}
		}
		if form.Get("TargetType") != "instance" || form.Get("Protocol") != "HTTP" {
			return "", errf(400, "ValidationError", "this fake wants TargetType instance and Protocol HTTP")
		}
		tg := f.createTG(name, port, form.Get("VpcId"), form.Get("HealthCheckPath"))
		f.Tags[tg.TargetGroupArn] = f.readTags(form)
		return marshal(struct {
			T []*TargetGroup `xml:"TargetGroups>member"`
		}{[]*TargetGroup{tg}}), nil
	case "RegisterTargets", "DeregisterTargets":
		tg := f.TargetGroups[form.Get("TargetGroupArn")]
		if tg == nil {
			return "", errf(400, "TargetGroupNotFound", "One or more target groups not found")
		}
		n := structs(form, "Targets")
		if n == 0 {
			return "", errf(400, "ValidationError", "Targets must not be empty")
		}
		for i := 1; i <= n; i++ {
			p := member("Targets", i)
			port, _ := strconv.Atoi(form.Get(p + "Port"))
			t := Target{Id: form.Get(p + "Id"), Port: port}
			if !strings.HasPrefix(t.Id, "i-") || port == 0 {
				return "", errf(400, "ValidationError", "target %+v: want an instance ID and a port", t)
			}
			i := slices.Index(tg.Targets, t)
			if action == "RegisterTargets" && i < 0 {
				tg.Targets = append(tg.Targets, t)
			}
			if action == "DeregisterTargets" && i >= 0 {
				tg.Targets = slices.Delete(tg.Targets, i, i+1)
			}
		}
		return "", nil
	case "CreateRule":
		if e := required(form, "ListenerArn", "Priority"); e != nil {
			return "", e
		}
		if f.Listeners[form.Get("ListenerArn")] == nil {
			return "", errf(400, "ListenerNotFound", "One or more listeners not found")
		}
		prio, err := strconv.Atoi(form.Get("Priority"))
		if err != nil || prio < 1 || prio > 50000 {
			return "", errf(400, "ValidationError", "Priority must be 1 to 50000")
		}
		for _, r := range f.Rules {
			if r.ListenerArn == form.Get("ListenerArn") && r.Priority == form.Get("Priority") {
				return "", errf(400, "PriorityInUse", "Priority '%d' is currently in use", prio)
			}
		}
		conds, e := readConditions(form)
		if e != nil {
			return "", e
		}
		acts, e := f.readActions(form)
		if e != nil {
			return "", e
		}
		trs, e := readTransforms(form)
		if e != nil {
			return "", e
		}
		if len(conds) == 0 || len(acts) == 0 {
			return "", errf(400, "ValidationError", "a rule needs conditions and actions")
		}
		r := &Rule{ListenerArn: form.Get("ListenerArn"), RuleArn: f.ruleARN(form.Get("ListenerArn")), Priority: form.Get("Priority"),
			Conditions: conds, Actions: acts, Transforms: trs}
		f.Rules = append(f.Rules, r)
		f.Tags[r.RuleArn] = f.readTags(form)
		return marshal(struct {
			R []*Rule `xml:"Rules>member"`
		}{[]*Rule{r}}), nil
	case "ModifyRule":
		r := f.rule(form.Get("RuleArn"))
		if r == nil {
			return "", errf(400, "RuleNotFound", "One or more rules not found")
		}
		if r.IsDefault {
			return "", errf(400, "OperationNotPermitted", "the default rule cannot be modified this way")
		}
		if structs(form, "Conditions") > 0 {
			conds, e := readConditions(form)
			if e != nil {
				return "", e
			}
			r.Conditions = conds
		}
		if structs(form, "Actions") > 0 {
			acts, e := f.readActions(form)
			if e != nil {
				return "", e
			}
			r.Actions = acts
		}
		if form.Get("ResetTransforms") == "true" {
			if structs(form, "Transforms") > 0 {
				return "", errf(400, "ValidationError", "ResetTransforms and Transforms together")
			}
			r.Transforms = nil
		} else if structs(form, "Transforms") > 0 {
			trs, e := readTransforms(form)
			if e != nil {
				return "", e
			}
			r.Transforms = trs
		}
		return marshal(struct {
			R []*Rule `xml:"Rules>member"`
		}{[]*Rule{r}}), nil
	case "DeleteRule":
		i := slices.IndexFunc(f.Rules, func(r *Rule) bool { return r.RuleArn == form.Get("RuleArn") })
		if i < 0 {
			return "", errf(400, "RuleNotFound", "One or more rules not found")
		}
		delete(f.Tags, f.Rules[i].RuleArn)
		f.Rules = slices.Delete(f.Rules, i, i+1)
		return "", nil
	case "DeleteTargetGroup":
		arn := form.Get("TargetGroupArn")
		for _, r := range f.Rules {
			for _, a := range r.Actions {
				if a.TargetGroupArn == arn {
					return "", errf(400, "ResourceInUse", "Target group '%s' is currently in use by a listener or a rule", arn)
				}
			}
		}
		delete(f.TargetGroups, arn)
		delete(f.Tags, arn)
		return "", nil
	}
	return "", errf(400, "InvalidAction", "the fake does not know %s", action)
}
