package route

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// recordRef is a Route 53 alias record as found.
type recordRef struct {
	Name, DNSName, Zone string
}

// planRecords adds one change per host name whose alias record does not point at the load
// balancer (with routing.route53_zone), or a note naming the one record to create by hand.
func (a *ALB) planRecords(ctx context.Context, p *Plan, st *albState, desired, actual []Route) error {
	hosts := uniqueHosts(desired)
	if a.R53 == nil {
		if st.DNSName == "" {
			return nil
		}
		if a.Mode == ModeHost && allUnder(hosts, a.Domain) {
			p.Notes = append(p.Notes, fmt.Sprintf("create one DNS record for every route: *.%s CNAME %s (or set routing.route53_zone and kickoff manages one record per route)", a.Domain, st.DNSName))
		} else {
			for _, h := range hosts {
				p.Notes = append(p.Notes, fmt.Sprintf("point %s at the load balancer: %s CNAME %s (or set routing.route53_zone)", h, h, st.DNSName))
			}
		}
		return nil
	}
	st.records = map[string]recordRef{}
	in := &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(a.Zone)}
	for {
		out, err := a.R53.ListResourceRecordSets(ctx, in)
		if err != nil {
			return awsError("route53:ListResourceRecordSets", err)
		}
		for _, rr := range out.ResourceRecordSets {
			if rr.Type != r53types.RRTypeA || rr.AliasTarget == nil {
				continue
			}
			name := strings.TrimSuffix(strings.ToLower(aws.ToString(rr.Name)), ".")
			st.records[name] = recordRef{Name: name, DNSName: strings.TrimSuffix(strings.ToLower(aws.ToString(rr.AliasTarget.DNSName)), "."), Zone: aws.ToString(rr.AliasTarget.HostedZoneId)}
		}
		if !out.IsTruncated {
			break
		}
		in.StartRecordName, in.StartRecordType, in.StartRecordIdentifier = out.NextRecordName, out.NextRecordType, out.NextRecordIdentifier
	}
	owner := map[string]Route{}
	for _, r := range desired {
		if o, ok := owner[r.Host]; !ok {
			owner[r.Host] = r
		} else if o.Slot != r.Slot {
			owner[r.Host] = Route{Host: r.Host} // shared by slots (path mode): no single owner
		}
	}
	for _, h := range hosts {
		have, ok := st.records[h]
		want := recordRef{Name: h, DNSName: st.DNSName, Zone: st.LBZone}
		r := owner[h]
		switch {
		case !ok:
			p.Changes = append(p.Changes, Change{Action: ActionAdd, Kind: KindRecord, Slot: r.Slot, App: r.App, Name: h,
				Fields: []Field{{Name: "alias", After: st.DNSName}}, ref: want})
		case have.DNSName != want.DNSName || have.Zone != want.Zone:
			p.Changes = append(p.Changes, Change{Action: ActionChange, Kind: KindRecord, Slot: r.Slot, App: r.App, Name: h,
				Fields: []Field{{Name: "alias", Before: have.DNSName, After: st.DNSName}}, ref: want})
		}
	}
	// Records of removed routes go only when they still point at this load balancer.
	for _, r := range actual {
		if owner[r.Host].Host != "" {
			continue
		}
		if have, ok := st.records[r.Host]; ok && have.DNSName == st.DNSName {
			owner[r.Host] = r
			p.Changes = append(p.Changes, Change{Action: ActionRemove, Kind: KindRecord, Slot: r.Slot, App: r.App, Name: r.Host,
				Fields: []Field{{Name: "alias", Before: have.DNSName}}, ref: have})
		}
	}
	return nil
}

func uniqueHosts(routes []Route) []string {
	var hosts []string
	for _, r := range routes {
		if !slices.Contains(hosts, r.Host) {
			hosts = append(hosts, r.Host)
		}
	}
	return hosts
}

// allUnder reports whether every host is one label under domain, so *.domain covers them.
func allUnder(hosts []string, domain string) bool {
	for _, h := range hosts {
		label, ok := strings.CutSuffix(h, "."+domain)
		if !ok || strings.Contains(label, ".") {
			return false
		}
	}
	return len(hosts) > 0
}

// applyRecords upserts and deletes the records in one Route 53 change batch (all or nothing).
func (a *ALB) applyRecords(ctx context.Context, st *albState, records []Change) error {
	var changes []r53types.Change
	for _, c := range records {
		ref := c.ref.(recordRef)
		action := r53types.ChangeActionUpsert
		if c.Action == ActionRemove {
			action = r53types.ChangeActionDelete
		}
		changes = append(changes, r53types.Change{Action: action, ResourceRecordSet: &r53types.ResourceRecordSet{
			Name: aws.String(ref.Name), Type: r53types.RRTypeA,
			AliasTarget: &r53types.AliasTarget{DNSName: aws.String(ref.DNSName), HostedZoneId: aws.String(ref.Zone), EvaluateTargetHealth: false},
		}})
	}
	_, err := a.R53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String(a.Zone),
		ChangeBatch:  &r53types.ChangeBatch{Comment: aws.String("kickoff route apply"), Changes: changes},
	})
	if err != nil {
		return awsError("route53:ChangeResourceRecordSets", err)
	}
	return nil
}
