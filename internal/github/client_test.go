package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/github"
	"github.com/kickoffhq/kickoff/internal/github/githubtest"
)

const sha = "0123456789abcdef0123456789abcdef01234567"

func client(t *testing.T, f *githubtest.Fake, token string) *github.Client {
	t.Helper()
	c, err := github.New(nil, f.URL, token, "acme/shop")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPublishCheckRunBatchesAnnotations(t *testing.T) {
	f := githubtest.New(t, "s3cret")
	c := client(t, f, "s3cret")
	var as []github.Annotation
	for i := 1; i <= 120; i++ {
		as = append(as, github.Annotation{Path: fmt.Sprintf("f%d.go", i), StartLine: i, EndLine: i + 1, Level: "failure", Title: "conflict", Message: "both sides"})
	}
	url, err := c.PublishCheckRun(context.Background(), github.CheckRun{
		Name: "kickoff conflicts", HeadSHA: sha, Conclusion: "failure", Title: "2 conflicts", Summary: "details", Annotations: as,
	})
	if err != nil {
		t.Fatal(err)
	}
	runs, _ := f.Snapshot()
	if len(runs) != 1 || len(runs[0].Annotations) != 120 || runs[0].Conclusion != "failure" || runs[0].Status != "completed" {
		t.Fatalf("runs = %+v", runs)
	}
	if !strings.Contains(url, "/runs/") {
		t.Errorf("url = %q", url)
	}
	want := []string{"POST /repos/acme/shop/check-runs", "PATCH /repos/acme/shop/check-runs/1001", "PATCH /repos/acme/shop/check-runs/1001"}
	if strings.Join(f.Requests, ",") != strings.Join(want, ",") {
		t.Errorf("requests = %v, want %v", f.Requests, want)
	}
}

// upsert is what kickoff check does with its comment: find it, then save over it.
func upsert(ctx context.Context, c *github.Client, number int, marker, body string) error {
	old, err := c.FindComment(ctx, number, marker)
	if err != nil {
		return err
	}
	_, err = c.SaveComment(ctx, number, old, marker+"\n"+body)
	return err
}

func TestSaveCommentKeepsOneComment(t *testing.T) {
	f := githubtest.New(t, "s3cret")
	c := client(t, f, "s3cret")
	ctx := context.Background()
	// Somebody else's comments come first, more than one page of them.
	for i := 0; i < 120; i++ {
		if err := upsert(ctx, c, 7, fmt.Sprintf("<!-- other %d -->", i), "hi"); err != nil {
			t.Fatal(err)
		}
	}
	for _, body := range []string{"first report", "second report", "second report"} {
		if err := upsert(ctx, c, 7, "<!-- kickoff -->", body); err != nil {
			t.Fatal(err)
		}
	}
	_, cs := f.Snapshot()
	var ours []githubtest.Comment
	for _, cm := range cs {
		if strings.Contains(cm.Body, "<!-- kickoff -->") {
			ours = append(ours, cm)
		}
	}
	if len(ours) != 1 || !strings.Contains(ours[0].Body, "second report") || ours[0].Edited != 1 {
		t.Fatalf("our comments = %+v, want one, edited once (unchanged bodies are not re-sent)", ours)
	}
}

func TestPullRequest(t *testing.T) {
	f := githubtest.New(t, "s3cret")
	f.AddPull(12, githubtest.PullRequest{HeadSHA: sha, HeadRef: "feature/PROJ-1-x", BaseRef: "kickoff-241101-a"})
	pr, err := client(t, f, "s3cret").PullRequest(context.Background(), 12)
	if err != nil || pr.HeadSHA != sha || pr.BaseRef != "kickoff-241101-a" || pr.HeadRef != "feature/PROJ-1-x" {
		t.Fatalf("pr = %+v, %v", pr, err)
	}
}

func TestOpenPullRequests(t *testing.T) {
	f := githubtest.New(t, "s3cret")
	for n := 1; n <= 130; n++ {
		f.AddPull(n, githubtest.PullRequest{HeadSHA: sha, HeadRef: fmt.Sprintf("feature/PROJ-%d-x", n), BaseRef: "main", Fork: n == 7, Closed: n == 9})
	}
	prs, err := client(t, f, "s3cret").OpenPullRequests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(prs) != 129 {
		t.Fatalf("%d open pull requests, want 129 (two pages, #9 closed)", len(prs))
	}
	for _, pr := range prs {
		if pr.Fork != (pr.Number == 7) || pr.HeadRef != fmt.Sprintf("feature/PROJ-%d-x", pr.Number) {
			t.Errorf("pr %+v", pr)
		}
	}
}

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	if _, err := github.New(nil, "", "", "acme/shop"); !errors.Is(err, github.ErrNoToken) {
		t.Errorf("no token: %v", err)
	}
	if _, err := github.New(nil, "", "t", "acme"); err == nil || !strings.Contains(err.Error(), "owner/name") {
		t.Errorf("bad repository: %v", err)
	}
	f := githubtest.New(t, "s3cret")
	f.Deny = true
	_, err := client(t, f, "s3cret").SaveComment(ctx, 1, nil, "x")
	if err == nil || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "pull-requests: write") {
		t.Errorf("403: %v", err)
	}
	_, err = client(t, f, "wrong").PublishCheckRun(ctx, github.CheckRun{Name: "n", HeadSHA: sha, Conclusion: "success", Title: "t", Summary: "s"})
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("401: %v", err)
	}
}

// The token is sent over HTTPS only (plain HTTP to this machine, for fakes), and never
// carried by a redirect to another host.
func TestTokenOnlyOverHTTPSAndToItsHost(t *testing.T) {
	for _, u := range []string{"http://ghe.acme.io/api/v3", "ftp://ghe.acme.io", "http://user:pw@10.0.0.1/"} {
		if _, err := github.New(nil, u, "tok", "acme/shop"); err == nil || !strings.Contains(err.Error(), "https") || strings.Contains(err.Error(), "pw") {
			t.Errorf("New(%s) = %v, want a refusal naming https without the password", u, err)
		}
	}
	var got []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Authorization"))
	}))
	t.Cleanup(other.Close)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(api.Close)
	c, err := github.New(nil, api.URL, "ghp_SECRET", "acme/shop")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PullRequest(context.Background(), 1); err == nil || !strings.Contains(err.Error(), "redirect") {
		t.Errorf("PullRequest through a cross-host redirect = %v, want it refused", err)
	}
	if len(got) > 0 {
		t.Fatalf("the other host received the token: %q", got)
	}
}
