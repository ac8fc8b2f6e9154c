package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v93/github"

	"github.com/kickoffhq/kickoff/internal/config"
)

// DefaultAPIURL is github.com's REST API.
const DefaultAPIURL = "https://api.github.com/"

// MaxAnnotations is how many annotations GitHub takes per check-run request; more are
// sent in further updates of the same run.
const MaxAnnotations = 50

// Client talks to one repository.
type Client struct {
	gh          *gh.Client
	Owner, Repo string
}

// ErrNoToken is returned when no token was given.
var ErrNoToken = errors.New("no GitHub token: set GITHUB_TOKEN (in GitHub Actions: `env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}`)")

// New returns a client for ownerRepo ("owner/name") at apiURL ("" = github.com).
func New(httpClient *http.Client, apiURL, token, ownerRepo string) (*Client, error) {
	if token == "" {
		return nil, ErrNoToken
	}
	owner, repo, ok := strings.Cut(ownerRepo, "/")
	if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return nil, fmt.Errorf("GitHub repository %q is not owner/name (GITHUB_REPOSITORY)", ownerRepo)
	}
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	if !strings.HasSuffix(apiURL, "/") {
		apiURL += "/"
	}
	// The token is a bearer credential: it goes over HTTPS only (plain HTTP on this machine
	// is allowed, for fakes and local proxies).
	u, err := url.Parse(apiURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && config.IsLoopback(u))) {
		return nil, fmt.Errorf("GitHub API URL %q: the token is only sent over https:// (github.api_url, KICKOFF_GITHUB_API_URL or GITHUB_API_URL)", config.Site(apiURL))
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 30 * time.Second}
	}
	httpClient = sameHostRedirects(httpClient)
	c, err := gh.NewClient(gh.WithHTTPClient(httpClient), gh.WithAuthToken(token), gh.WithURLs(&apiURL, &apiURL),
		gh.WithUserAgent("kickoff"))
	if err != nil {
		return nil, fmt.Errorf("GitHub client: %w", err)
	}
	return &Client{gh: c, Owner: owner, Repo: repo}, nil
}

// explain turns GitHub's refusals into what to do about them.
func explain(what string, err error) error {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch er.Response.StatusCode {
		case http.StatusUnauthorized:
			return fmt.Errorf("%s: GitHub says 401 %s: the token is not valid (expired, or for another host?)", what, er.Message)
		case http.StatusForbidden, http.StatusNotFound:
			return fmt.Errorf("%s: GitHub says %d %s: the token lacks permission; the workflow needs `permissions: checks: write, pull-requests: write` (and contents: read)", what, er.Response.StatusCode, er.Message)
		}
		return fmt.Errorf("%s: GitHub says %d %s", what, er.Response.StatusCode, er.Message)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// PullRequest is what kickoff needs of a pull request.
type PullRequest struct {
	Number  int
	HeadSHA string
	HeadRef string
	BaseRef string
	// Fork: the head is in another repository. Its pull_request runs get a read-only
	// token, so publishing from them fails.
	Fork bool
}

// PullRequest reads pull request number.
func (c *Client) PullRequest(ctx context.Context, number int) (PullRequest, error) {
	pr, _, err := c.gh.PullRequests.Get(ctx, c.Owner, c.Repo, number)
	if err != nil {
		return PullRequest{}, explain(fmt.Sprintf("read pull request #%d", number), err)
	}
	return fromAPI(pr), nil
}

func fromAPI(pr *gh.PullRequest) PullRequest {
	return PullRequest{
		Number:  pr.GetNumber(),
		HeadSHA: pr.GetHead().GetSHA(),
		HeadRef: pr.GetHead().GetRef(),
		BaseRef: pr.GetBase().GetRef(),
		Fork:    pr.GetHead().GetRepo().GetFullName() != pr.GetBase().GetRepo().GetFullName(),
	}
}

// Annotation marks lines of a file in a check run.
type Annotation struct {
	Path      string
	StartLine int
	EndLine   int
	Level     string // notice, warning or failure
	Title     string
	Message   string
}

// CheckRun is a completed check run to publish.
type CheckRun struct {
	Name        string
	HeadSHA     string
	Conclusion  string // success, failure or neutral
	Title       string
	Summary     string // markdown
	Annotations []Annotation
}

// PublishCheckRun creates the check run, completed, sending annotations in batches of
// MaxAnnotations. It returns the run's web address.
func (c *Client) PublishCheckRun(ctx context.Context, run CheckRun) (string, error) {
	now := gh.Timestamp{Time: time.Now()}
	first, rest := batch(run.Annotations)
	created, _, err := c.gh.Checks.CreateCheckRun(ctx, c.Owner, c.Repo, gh.CreateCheckRunOptions{
		Name:        run.Name,
		HeadSHA:     run.HeadSHA,
		Status:      gh.Ptr("completed"),
		Conclusion:  gh.Ptr(run.Conclusion),
		CompletedAt: &now,
		Output:      output(run, first),
	})
	if err != nil {
		return "", explain("publish check run", err)
	}
	for _, b := range rest {
		_, _, err := c.gh.Checks.UpdateCheckRun(ctx, c.Owner, c.Repo, created.GetID(), gh.UpdateCheckRunOptions{
			Name:   run.Name,
			Output: output(run, b),
		})
		if err != nil {
			return created.GetHTMLURL(), explain("add annotations to the check run", err)
		}
	}
	return created.GetHTMLURL(), nil
}

func output(run CheckRun, as []Annotation) *gh.CheckRunOutput {
	out := &gh.CheckRunOutput{Title: gh.Ptr(run.Title), Summary: gh.Ptr(truncate(run.Summary, 65000))}
	for _, a := range as {
		out.Annotations = append(out.Annotations, &gh.CheckRunAnnotation{
			Path:            gh.Ptr(a.Path),
			StartLine:       gh.Ptr(max(1, a.StartLine)),
			EndLine:         gh.Ptr(max(1, a.StartLine, a.EndLine)),
			AnnotationLevel: gh.Ptr(a.Level),
			Title:           gh.Ptr(a.Title),
			Message:         gh.Ptr(truncate(a.Message, 60000)),
		})
	}
	return out
}

func batch(as []Annotation) (first []Annotation, rest [][]Annotation) {
	if len(as) <= MaxAnnotations {
		return as, nil
	}
	first = as[:MaxAnnotations]
	for i := MaxAnnotations; i < len(as); i += MaxAnnotations {
		rest = append(rest, as[i:min(i+MaxAnnotations, len(as))])
	}
	return first, rest
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "\n…(truncated)"
}

// Comment is an issue or pull-request comment.
type Comment struct {
	ID   int64
	Body string
	URL  string
}

// FindComment returns the first comment on issue or pull request number whose body
// contains marker; nil when there is none.
func (c *Client) FindComment(ctx context.Context, number int, marker string) (*Comment, error) {
	opts := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		cs, resp, err := c.gh.Issues.ListComments(ctx, c.Owner, c.Repo, number, opts)
		if err != nil {
			return nil, explain(fmt.Sprintf("read the comments of #%d", number), err)
		}
		for _, cm := range cs {
			if strings.Contains(cm.GetBody(), marker) {
				return &Comment{ID: cm.GetID(), Body: cm.GetBody(), URL: cm.GetHTMLURL()}, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opts.Page = resp.NextPage
	}
}

// SaveComment writes body as comment old (left alone when unchanged), or as a new
// comment on number when old is nil. It returns the comment's web address.
func (c *Client) SaveComment(ctx context.Context, number int, old *Comment, body string) (string, error) {
	if old != nil {
		if old.Body == body {
			return old.URL, nil
		}
		up, _, err := c.gh.Issues.UpdateComment(ctx, c.Owner, c.Repo, old.ID, gh.IssueCommentRequest{Body: body})
		if err != nil {
			return "", explain(fmt.Sprintf("update the comment on #%d", number), err)
		}
		return up.GetHTMLURL(), nil
	}
	cm, _, err := c.gh.Issues.CreateComment(ctx, c.Owner, c.Repo, number, gh.IssueCommentRequest{Body: body})
	if err != nil {
		return "", explain(fmt.Sprintf("comment on #%d", number), err)
	}
	return cm.GetHTMLURL(), nil
}

// OpenPullRequests lists the repository's open pull requests.
func (c *Client) OpenPullRequests(ctx context.Context) ([]PullRequest, error) {
	opts := &gh.PullRequestListOptions{State: "open", ListOptions: gh.ListOptions{PerPage: 100}}
	var out []PullRequest
	for {
		prs, resp, err := c.gh.PullRequests.List(ctx, c.Owner, c.Repo, opts)
		if err != nil {
			return nil, explain("list the open pull requests", err)
		}
		for _, pr := range prs {
			out = append(out, fromAPI(pr))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// sameHostRedirects is hc with redirects followed only within the host the request went to:
// the token is set on every request by the transport, so a redirect elsewhere would carry it.
func sameHostRedirects(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = config.SameHostRedirect
	return &c
}
