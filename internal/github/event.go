package github

import (
	"encoding/json"
	"fmt"
	"os"
)

// actionsEvent is the part of a GitHub Actions event payload kickoff reads.
type actionsEvent struct {
	Number      int `json:"number"`
	PullRequest *struct {
		Number int `json:"number"`
		Head   struct {
			SHA  string    `json:"sha"`
			Ref  string    `json:"ref"`
			Repo eventRepo `json:"repo"`
		} `json:"head"`
		Base struct {
			Ref  string    `json:"ref"`
			Repo eventRepo `json:"repo"`
		} `json:"base"`
	} `json:"pull_request"`
}

type eventRepo struct {
	FullName string `json:"full_name"`
}

// EventPullRequest reads the pull request of the GitHub Actions event at path
// ($GITHUB_EVENT_PATH); nil when path is "" or the event is not about a pull request
// (a push, a schedule...).
func EventPullRequest(path string) (*PullRequest, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the Actions event (GITHUB_EVENT_PATH): %w", err)
	}
	var ev actionsEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, fmt.Errorf("read the Actions event %s: %w", path, err)
	}
	if ev.PullRequest == nil {
		return nil, nil
	}
	n := ev.PullRequest.Number
	if n == 0 {
		n = ev.Number
	}
	p := ev.PullRequest
	return &PullRequest{
		Number: n, HeadSHA: p.Head.SHA, HeadRef: p.Head.Ref, BaseRef: p.Base.Ref,
		Fork: p.Head.Repo.FullName != "" && p.Head.Repo.FullName != p.Base.Repo.FullName,
	}, nil
}
