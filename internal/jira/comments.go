package jira

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	gojira "github.com/andygrunwald/go-jira"
)

// Comment is a comment on an issue.
type Comment struct {
	ID     string `json:"id"`
	Body   string `json:"body"`
	Author string `json:"author"`
}

// Comments lists every comment of an issue, oldest first, reading all pages.
func (c *Client) Comments(ctx context.Context, key string) ([]Comment, error) {
	var out []Comment
	for start := 0; ; {
		path := fmt.Sprintf("rest/api/2/issue/%s/comment?startAt=%d&maxResults=100", url.PathEscape(key), start)
		req, err := c.api.NewRequestWithContext(ctx, "GET", path, nil)
		if err != nil {
			return nil, fmt.Errorf("jira comments of %s: %w", key, err)
		}
		var page struct {
			StartAt    int               `json:"startAt"`
			MaxResults int               `json:"maxResults"`
			Total      int               `json:"total"`
			Comments   []*gojira.Comment `json:"comments"`
		}
		resp, err := c.api.Do(req, &page)
		if err != nil {
			return nil, c.classify("comments of "+key, resp, err)
		}
		for _, cm := range page.Comments {
			out = append(out, Comment{ID: cm.ID, Body: cm.Body, Author: cm.Author.Name})
		}
		start += len(page.Comments)
		if len(page.Comments) == 0 || start >= page.Total {
			return out, nil
		}
	}
}

// AddComment posts a comment on an issue.
func (c *Client) AddComment(ctx context.Context, key, body string) error {
	_, resp, err := c.api.Issue.AddCommentWithContext(ctx, key, &gojira.Comment{Body: body})
	if err != nil {
		return c.classify("comment on "+key, resp, err)
	}
	return nil
}

// CommentOnce posts body on the issue unless a comment there already contains marker, so
// a retried or repeated notification never comments twice. added reports a new comment.
func (c *Client) CommentOnce(ctx context.Context, key, marker, body string) (added bool, err error) {
	if !strings.Contains(body, marker) {
		return false, fmt.Errorf("jira comment on %s: the body must carry its marker %q", key, marker)
	}
	existing, err := c.Comments(ctx, key)
	if err != nil {
		return false, err
	}
	for _, cm := range existing {
		if strings.Contains(cm.Body, marker) {
			return false, nil
		}
	}
	if err := c.AddComment(ctx, key, body); err != nil {
		return false, err
	}
	return true, nil
}
