package version

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/jira"
	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// Notes are the release notes of a range of commits: the Jira issues they mention and
// the commits that mention none, so nothing is silently left out. JSON is documented.
type Notes struct {
	Title   string       `json:"title"`
	Kickoff string       `json:"kickoff,omitempty"`
	Version string       `json:"version,omitempty"`
	Tag     string       `json:"tag,omitempty"`
	Range   string       `json:"range"`                // git revision range the notes cover
	Jira    string       `json:"jira"`                 // ok | off | partial | failed
	JiraErr string       `json:"jira_error,omitempty"` // why enrichment failed, or which issues it missed
	Issues  []IssueNote  `json:"issues"`
	Unkeyed []CommitNote `json:"unkeyed"`
	// Repos are the repositories read, in a platform of several (NotesAcross).
	Repos []NotesRepo `json:"repos,omitempty"`
}

// IssueNote is one Jira issue and the work that mentions it.
type IssueNote struct {
	Key          string   `json:"key"`
	Summary      string   `json:"summary,omitempty"`
	Type         string   `json:"type,omitempty"`
	URL          string   `json:"url,omitempty"`
	Authors      []string `json:"authors"`
	PullRequests []int    `json:"pull_requests"`
	Commits      []string `json:"commits"`
	Subjects     []string `json:"subjects"` // of its commits (merges aside), newest first
	Branches     []string `json:"branches,omitempty"`
	Repos        []string `json:"repos,omitempty"` // where its work is, in a platform of several
}

// CommitNote is a commit that names no Jira key.
type CommitNote struct {
	SHA         string    `json:"sha"`
	Subject     string    `json:"subject"`
	Author      string    `json:"author"`
	Date        time.Time `json:"date"`
	PullRequest int       `json:"pull_request,omitempty"`
	Repo        string    `json:"repo,omitempty"` // its repository, in a platform of several
}

// commit is one commit of the range as git log gives it.
type commit struct {
	sha, author, subject, body string
	date                       time.Time
	parents                    []string
	merge                      bool
	keys                       []string // named in its message, or inherited (see CollectNotes)
	pr                         int      // its pull request, named in its message or inherited
}

var prRes = []*regexp.Regexp{
	regexp.MustCompile(`^Merge pull request #(\d+) `),      // GitHub merge commit
	regexp.MustCompile(`\(#(\d+)\)\s*$`),                   // GitHub squash merge subject
	regexp.MustCompile(`\(pull request #(\d+)\)`),          // Bitbucket
	regexp.MustCompile(`See merge request [\w./-]*!(\d+)`), // GitLab
}

// pullRequest finds the pull-request number in a merge commit's message, 0 if none.
func pullRequest(subject, body string) int {
	for _, re := range prRes {
		for _, text := range []string{subject, body} {
			if m := re.FindStringSubmatch(text); m != nil {
				n, _ := strconv.Atoi(m[1])
				return n
			}
		}
	}
	return 0
}

// IssueSource looks Jira issues up; *jira.Client is one.
type IssueSource interface {
	Issue(ctx context.Context, key string) (jira.Issue, error)
}

// CollectNotes reads the commits of `to` that are not reachable from any of `exclude`
// and finds the Jira keys of scope in their messages and in the names of branches whose
// tips are among them. A merge commit lends its keys and its pull request to the commits
// it brings in that name none; it is not listed apart, since those commits are.
func CollectNotes(ctx context.Context, repo *gitrepo.Repo, to string, exclude []string, scope kickoff.KeyScope) (*Notes, error) {
	log, err := repo.Log(ctx, to, exclude)
	if err != nil {
		return nil, fmt.Errorf("read commits of %s: %w", to, err)
	}
	var commits []commit
	inRange := map[string]int{} // sha -> index+1 in commits
	for _, e := range log {
		c := commit{sha: e.Hash.String(), author: e.Author, date: e.Date.UTC(), subject: e.Subject, body: e.Body}
		for _, p := range e.Parents {
			c.parents = append(c.parents, p.String())
		}
		c.merge = len(c.parents) > 1
		c.keys = scope.Keys(c.subject + "\n" + c.body)
		c.pr = pullRequest(c.subject, c.body)
		commits = append(commits, c)
		inRange[c.sha] = len(commits)
	}
	index := func(sha string) *commit {
		if i := inRange[sha]; i > 0 {
			return &commits[i-1]
		}
		return nil
	}
	rng := to
	for _, e := range exclude {
		rng += " ^" + e
	}
	n := &Notes{Range: rng, Jira: "off", Issues: []IssueNote{}, Unkeyed: []CommitNote{}}
	byKey := map[string]*IssueNote{}
	issue := func(key string) *IssueNote {
		in := byKey[key]
		if in == nil {
			in = &IssueNote{Key: key, Authors: []string{}, PullRequests: []int{}, Commits: []string{}, Subjects: []string{}}
			byKey[key] = in
		}
		return in
	}
	// Branches whose tip is one of these commits: their names carry keys too (fast-forward
	// merges leave no merge message behind).
	for _, b := range branchTips(repo) {
		tip := index(b.sha)
		if tip == nil {
			continue
		}
		for _, key := range scope.Keys(b.name) {
			if !slices.Contains(tip.keys, key) {
				tip.keys = append(tip.keys, key) // a fast-forwarded branch: its tip is its work
			}
			in := issue(key)
			short := b.name
			if i := strings.Index(short, "/"); i > 0 && strings.HasPrefix(short, "origin/") {
				short = short[i+1:]
			}
			if !slices.Contains(in.Branches, short) {
				in.Branches = append(in.Branches, short)
			}
		}
	}
	// A merge (a pull request of feature/PROJ-1-...) lends its keys and its pull request to
	// the commits it brings in that name none themselves. Oldest merge first, so that a
	// commit merged twice (a branch merged into another, then that one into the kickoff)
	// takes the first pull request that brought it.
	for i := len(commits) - 1; i >= 0; i-- {
		m := commits[i]
		mkeys := scope.Keys(m.subject + "\n" + m.body)
		if !m.merge || (len(mkeys) == 0 && m.pr == 0) {
			continue
		}
		side, err := repo.RevList(ctx, m.parents[1], append([]string{m.parents[0]}, exclude...)...)
		if err != nil {
			continue
		}
		for _, h := range side {
			c := index(h.String())
			if c == nil {
				continue
			}
			if len(c.keys) == 0 {
				c.keys = append(c.keys, mkeys...)
			}
			if c.pr == 0 {
				c.pr = m.pr
			}
		}
	}
	for _, c := range commits {
		if len(c.keys) == 0 {
			if !c.merge {
				n.Unkeyed = append(n.Unkeyed, CommitNote{SHA: c.sha, Subject: c.subject, Author: c.author, Date: c.date, PullRequest: c.pr})
			}
			continue
		}
		for _, key := range c.keys {
			in := issue(key)
			in.Commits = append(in.Commits, c.sha)
			if !c.merge {
				if !slices.Contains(in.Authors, c.author) {
					in.Authors = append(in.Authors, c.author)
				}
				if !slices.Contains(in.Subjects, c.subject) {
					in.Subjects = append(in.Subjects, c.subject)
				}
			}
			if c.pr != 0 && !slices.Contains(in.PullRequests, c.pr) {
				in.PullRequests = append(in.PullRequests, c.pr)
			}
		}
	}
	for _, in := range byKey {
		slices.Sort(in.PullRequests)
		n.Issues = append(n.Issues, *in)
	}
	slices.SortFunc(n.Issues, func(a, b IssueNote) int { return kickoff.CompareJiraKeys(a.Key, b.Key) })
	return n, nil
}

// branchTip is a local or remote-tracking branch ("origin/x") and its commit.
type branchTip struct {
	ref       plumbing.ReferenceName
	name, sha string
}

// branchTips lists the local and remote-tracking branches in ref order, as git
// for-each-ref does; none when the refs cannot be read (the notes then miss only branch
// names).
func branchTips(repo *gitrepo.Repo) []branchTip {
	var tips []branchTip
	_ = repo.ForEachRef(func(name plumbing.ReferenceName, h plumbing.Hash) error {
		if name.IsBranch() || name.IsRemote() {
			tips = append(tips, branchTip{name, name.Short(), h.String()})
		}
		return nil
	})
	slices.SortFunc(tips, func(a, b branchTip) int { return strings.Compare(string(a.ref), string(b.ref)) })
	return tips
}

// Enrich adds summaries, types and links from Jira. An issue Jira does not know or does not
// show (404, 403) keeps its key and commit subjects and is returned in missed, with the
// notes marked "partial"; the others are filled in. A failure of Jira as a whole (down,
// refusing the credentials) stops it, leaves the keys as they are, and is recorded in the
// notes (Jira "failed"), so the notes still come out.
func (n *Notes) Enrich(ctx context.Context, src IssueSource) (missed []error, err error) {
	if src == nil {
		return nil, nil
	}
	n.Jira = "ok"
	var names []string
	for i := range n.Issues {
		is, err := src.Issue(ctx, n.Issues[i].Key)
		if errors.Is(err, jira.ErrNotFound) || errors.Is(err, jira.ErrForbidden) {
			missed = append(missed, err)
			names = append(names, n.Issues[i].Key)
			continue
		}
		if err != nil {
			n.Jira, n.JiraErr = "failed", err.Error()
			return missed, err
		}
		n.Issues[i].Summary, n.Issues[i].Type, n.Issues[i].URL = is.Summary, is.Type, is.URL
	}
	if len(missed) > 0 {
		n.Jira, n.JiraErr = "partial", "not in Jira or not visible: "+strings.Join(names, ", ")
	}
	return missed, nil
}

// Keys lists the Jira keys of the notes.
func (n *Notes) Keys() []string {
	var out []string
	for _, in := range n.Issues {
		out = append(out, in.Key)
	}
	return out
}

// Markdown renders the notes grouped by Jira issue type.
func (n *Notes) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", n.Title)
	if len(n.Issues) == 0 && len(n.Unkeyed) == 0 {
		b.WriteString("No changes.\n")
		return b.String()
	}
	var types []string
	byType := map[string][]IssueNote{}
	for _, in := range n.Issues {
		t := in.Type
		if t == "" {
			t = "Issues"
		}
		if _, ok := byType[t]; !ok {
			types = append(types, t)
		}
		byType[t] = append(byType[t], in)
	}
	slices.SortFunc(types, func(a, b string) int {
		if d := typeRank(a) - typeRank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	for _, t := range types {
		fmt.Fprintf(&b, "## %s\n\n", plural(t))
		for _, in := range byType[t] {
			key := in.Key
			if in.URL != "" {
				key = "[" + in.Key + "](" + in.URL + ")"
			}
			line := "- " + key
			if in.Summary != "" {
				line += " " + in.Summary
			} else if subj := subjectsText(in); subj != "" {
				line += " " + subj // no summary from Jira: what the commits say
			}
			var extra []string
			if len(in.Authors) > 0 {
				extra = append(extra, strings.Join(in.Authors, ", "))
			}
			for _, pr := range in.PullRequests {
				extra = append(extra, "#"+strconv.Itoa(pr))
			}
			if len(extra) > 0 {
				line += " (" + strings.Join(extra, ", ") + ")"
			}
			if len(in.Repos) > 0 {
				line += " [" + strings.Join(in.Repos, ", ") + "]"
			}
			b.WriteString(line + "\n")
		}
		b.WriteString("\n")
	}
	if len(n.Unkeyed) > 0 {
		b.WriteString("## Commits without a Jira key\n\n")
		for _, c := range n.Unkeyed {
			subj := c.Subject
			if c.PullRequest != 0 {
				subj = strings.TrimSpace(prSuffixRe.ReplaceAllString(subj, "")) // said below
			}
			line := fmt.Sprintf("- %s %s (%s", gitrepo.ShortID(c.SHA), subj, c.Author)
			if c.PullRequest != 0 {
				line += ", #" + strconv.Itoa(c.PullRequest)
			}
			line += ")"
			if c.Repo != "" {
				line += " [" + c.Repo + "]"
			}
			b.WriteString(line + "\n")
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// subjectsText is what an issue's commits say, for notes without its Jira summary: their
// subjects, oldest first, without the key they start with or the pull request they end with
// (both are on the line already), joined by "; ".
func subjectsText(in IssueNote) string {
	var out []string
	for _, subj := range slices.Backward(in.Subjects) {
		subj = strings.TrimSpace(prSuffixRe.ReplaceAllString(subj, ""))
		subj = strings.TrimSpace(strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(subj, "["+in.Key+"]"), in.Key), ":"))
		if subj != "" && !slices.Contains(out, subj) {
			out = append(out, subj)
		}
	}
	return strings.Join(out, "; ")
}

var prSuffixRe = regexp.MustCompile(`\s*\(#\d+\)\s*$`)

// typeRank puts the usual Jira types in a reading order; others follow by name.
func typeRank(t string) int {
	order := []string{"Epic", "Story", "Feature", "Improvement", "Task", "Bug", "Sub-task", "Issues"}
	if i := slices.Index(order, t); i >= 0 {
		return i
	}
	return len(order)
}

func plural(t string) string {
	switch {
	case t == "Issues":
		return t
	case strings.HasSuffix(t, "s"):
		return t
	case strings.HasSuffix(t, "y"):
		return t[:len(t)-1] + "ies"
	}
	return t + "s"
}
