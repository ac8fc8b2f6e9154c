package version

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// NotesRepo is one repository the notes of a platform of several cover.
type NotesRepo struct {
	Repo  string `json:"repo"`
	Range string `json:"range"` // the git revision range read there
}

// NotesAcross collects the notes of a kickoff or a version (see NotesFor) in every
// repository of the platform and groups their commits by Jira issue, each issue and each
// commit without a key saying its repository. book is this repository's (it holds the
// reservations); the others' tags are fetched. A repository without the kickoff or the
// version is left out; none having it is ErrNoKickoff. Without Members it is NotesFor.
func (s *Store) NotesAcross(ctx context.Context, book *Book, target, since string) (*Notes, error) {
	if len(s.Members) == 0 {
		return s.NotesFor(ctx, book, target, since)
	}
	kname, v := target, Version{}
	if !kickoff.IsName(target) {
		pv, err := s.Scheme.Parse(target, true)
		if err != nil {
			return s.NotesFor(ctx, book, target, since) // says what is wrong with it
		}
		v, kname = pv, book.Kickoff(pv)
	}
	var parts []*Notes
	var names []string
	for _, m := range s.Members {
		ms := s.in(m)
		b := book
		if m.Repo != s.Repo {
			var err error
			if b, err = ms.Sync(ctx); b == nil {
				return nil, inRepo(m, err)
			}
		}
		t := target
		if !kickoff.IsName(target) && b.Status(v) == "" {
			if kname == "" {
				continue // neither the version's tags nor its kickoff here
			}
			t = kname // reserved in this repository only: its kickoff's work there
		}
		n, err := ms.NotesFor(ctx, b, t, since)
		if errors.Is(err, ErrNoKickoff) {
			continue
		}
		if err != nil {
			return nil, inRepo(m, err)
		}
		parts, names = append(parts, n), append(names, m.Name)
	}
	if len(parts) == 0 {
		return s.NotesFor(ctx, book, target, since) // the error says what is missing
	}
	return mergeNotes(parts, names), nil
}

// mergeNotes joins the notes of several repositories: one issue per key with the work of
// every repository, and the commits without a key, each named by repository.
func mergeNotes(parts []*Notes, repos []string) *Notes {
	out := *parts[0]
	out.Issues, out.Unkeyed, out.Repos = []IssueNote{}, []CommitNote{}, []NotesRepo{}
	var ranges []string
	byKey := map[string]int{}
	for i, n := range parts {
		repo := repos[i]
		out.Repos = append(out.Repos, NotesRepo{Repo: repo, Range: n.Range})
		ranges = append(ranges, repo+": "+n.Range)
		if out.Kickoff == "" {
			out.Kickoff = n.Kickoff
		}
		for _, in := range n.Issues {
			j, ok := byKey[in.Key]
			if !ok {
				in.Repos = []string{repo}
				out.Issues = append(out.Issues, in)
				byKey[in.Key] = len(out.Issues) - 1
				continue
			}
			have := &out.Issues[j]
			have.Repos = appendNew(have.Repos, repo)
			have.Authors = appendNew(have.Authors, in.Authors...)
			have.Commits = appendNew(have.Commits, in.Commits...)
			have.Subjects = appendNew(have.Subjects, in.Subjects...)
			have.Branches = appendNew(have.Branches, in.Branches...)
			for _, pr := range in.PullRequests {
				if !slices.Contains(have.PullRequests, pr) {
					have.PullRequests = append(have.PullRequests, pr)
				}
			}
			slices.Sort(have.PullRequests)
		}
		for _, c := range n.Unkeyed {
			c.Repo = repo
			out.Unkeyed = append(out.Unkeyed, c)
		}
	}
	out.Range = strings.Join(ranges, "; ")
	slices.SortStableFunc(out.Issues, func(a, b IssueNote) int { return kickoff.CompareJiraKeys(a.Key, b.Key) })
	return &out
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}
