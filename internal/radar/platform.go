package radar

import (
	"slices"
	"strings"
)

// RepoReport is the report of one repository of a platform of several (repos:).
type RepoReport struct {
	Repo string `json:"repo"`
	*Report
}

// PlatformPair is one pair of refs (kickoffs, main) over the platform's repositories: it
// conflicts when it conflicts in any of them.
type PlatformPair struct {
	A     string `json:"a"`
	B     string `json:"b"`
	Clean bool   `json:"clean"`
	// In are the repositories holding both refs; ConflictedIn those where they conflict.
	In           []string `json:"in"`
	ConflictedIn []string `json:"conflicted_in"`
}

// Summarize joins the reports of the platform's repositories into one verdict per pair of
// ref names, in the order the pairs are first seen.
func Summarize(reports []RepoReport) []PlatformPair {
	var out []PlatformPair
	at := map[[2]string]int{}
	for _, r := range reports {
		if r.Report == nil {
			continue
		}
		for _, p := range r.Pairs {
			key := [2]string{p.A, p.B}
			if strings.Compare(p.A, p.B) > 0 {
				key = [2]string{p.B, p.A}
			}
			i, ok := at[key]
			if !ok {
				out = append(out, PlatformPair{A: p.A, B: p.B, Clean: true, In: []string{}, ConflictedIn: []string{}})
				i = len(out) - 1
				at[key] = i
			}
			pp := &out[i]
			if !slices.Contains(pp.In, r.Repo) {
				pp.In = append(pp.In, r.Repo)
			}
			if !p.Clean {
				pp.Clean = false
				if !slices.Contains(pp.ConflictedIn, r.Repo) {
					pp.ConflictedIn = append(pp.ConflictedIn, r.Repo)
				}
			}
		}
	}
	return out
}
