package awstest

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// The Route 53 half of the fake: REST paths under /2013-04-01/, XML bodies.

var rrsetPath = regexp.MustCompile(`^/2013-04-01/hostedzone/([A-Z0-9]+)/rrset/?$`)

type changeBatchRequest struct {
	XMLName     xml.Name `xml:"ChangeResourceRecordSetsRequest"`
	ChangeBatch struct {
		Comment string `xml:"Comment"`
		Changes []struct {
			Action string    `xml:"Action"`
			RRSet  xmlRecord `xml:"ResourceRecordSet"`
		} `xml:"Changes>Change"`
	} `xml:"ChangeBatch"`
}

type xmlRecord struct {
	Name        string `xml:"Name"`
	Type        string `xml:"Type"`
	AliasTarget *struct {
		HostedZoneId         string `xml:"HostedZoneId"`
		DNSName              string `xml:"DNSName"`
		EvaluateTargetHealth bool   `xml:"EvaluateTargetHealth"`
	} `xml:"AliasTarget,omitempty"`
}

func (f *Fake) serveRoute53(w http.ResponseWriter, r *http.Request, body string) {
	m := rrsetPath.FindStringSubmatch(r.URL.Path)
	action := "ListResourceRecordSets"
	if r.Method == http.MethodPost {
		action = "ChangeResourceRecordSets"
	}
	f.Calls = append(f.Calls, Call{Service: "route53", Action: action, Form: r.URL.Query(), Body: body})
	if !authRe.MatchString(r.Header.Get("Authorization")) {
		writeR53Error(w, errf(403, "MissingAuthenticationToken", "request is not signed with SigV4"))
		return
	}
	if m == nil {
		writeR53Error(w, errf(404, "UnknownOperation", "%s %s", r.Method, r.URL.Path))
		return
	}
	records, ok := f.Zones[m[1]]
	if !ok {
		writeR53Error(w, errf(404, "NoSuchHostedZone", "No hosted zone found with ID: %s", m[1]))
		return
	}
	if e := f.injected(action); e != nil {
		writeR53Error(w, e)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	if r.Method == http.MethodGet {
		sort.Slice(records, func(i, j int) bool { return records[i].Name < records[j].Name })
		var out []xmlRecord
		for _, rec := range records {
			x := xmlRecord{Name: rec.Name, Type: rec.Type}
			x.AliasTarget = &struct {
				HostedZoneId         string `xml:"HostedZoneId"`
				DNSName              string `xml:"DNSName"`
				EvaluateTargetHealth bool   `xml:"EvaluateTargetHealth"`
			}{rec.AliasZone, rec.AliasDNSName, false}
			out = append(out, x)
		}
		fmt.Fprintf(w, `<ListResourceRecordSetsResponse xmlns="%s">%s<IsTruncated>false</IsTruncated><MaxItems>300</MaxItems></ListResourceRecordSetsResponse>`,
			r53NS, marshal(struct {
				R []xmlRecord `xml:"ResourceRecordSets>ResourceRecordSet"`
			}{R: out}))
		return
	}
	var req changeBatchRequest
	if err := xml.Unmarshal([]byte(body), &req); err != nil || len(req.ChangeBatch.Changes) == 0 {
		writeR53Error(w, errf(400, "InvalidInput", "bad ChangeResourceRecordSetsRequest: %v", err))
		return
	}
	next := slices.Clone(records)
	for _, c := range req.ChangeBatch.Changes {
		rr := c.RRSet
		if rr.AliasTarget == nil || rr.Type != "A" {
			writeR53Error(w, errf(400, "InvalidInput", "this fake takes A alias records only"))
			return
		}
		name := strings.ToLower(strings.TrimSuffix(rr.Name, ".")) + "."
		rec := &Record{Name: name, Type: rr.Type, AliasDNSName: strings.TrimSuffix(rr.AliasTarget.DNSName, ".") + ".", AliasZone: rr.AliasTarget.HostedZoneId}
		i := slices.IndexFunc(next, func(x *Record) bool { return x.Name == name && x.Type == rr.Type })
		switch c.Action {
		case "UPSERT":
			if i >= 0 {
				next[i] = rec
			} else {
				next = append(next, rec)
			}
		case "CREATE":
			if i >= 0 {
				writeR53Error(w, errf(400, "InvalidChangeBatch", "Tried to create resource record set [name='%s', type='A'] but it already exists", name))
				return
			}
			next = append(next, rec)
		case "DELETE":
			if i < 0 || *next[i] != *rec {
				writeR53Error(w, errf(400, "InvalidChangeBatch", "Tried to delete resource record set [name='%s', type='A'] but it was not found", name))
				return
			}
			next = slices.Delete(next, i, i+1)
		default:
			writeR53Error(w, errf(400, "InvalidInput", "action %q", c.Action))
			return
		}
	}
	f.Zones[m[1]] = next // a batch is all or nothing
	fmt.Fprintf(w, `<ChangeResourceRecordSetsResponse xmlns="%s"><ChangeInfo><Id>/change/C%d</Id><Status>PENDING</Status><SubmittedAt>2026-11-25T12:00:00Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>`, r53NS, f.next())
}

func writeR53Error(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(e.status)
	fmt.Fprintf(w, `<?xml version="1.0"?><ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>req-err</RequestId></ErrorResponse>`,
		r53NS, e.senderType, e.code, xmlEscape(e.msg))
}

// Record returns the alias target of a record in a zone ("" when absent).
func (f *Fake) Record(zone, name string) string {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	for _, r := range f.Zones[zone] {
		if r.Name == strings.TrimSuffix(name, ".")+"." {
			return strings.TrimSuffix(r.AliasDNSName, ".")
		}
	}
	return ""
}
