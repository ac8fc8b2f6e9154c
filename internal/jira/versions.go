package jira

import (
	"context"
	"fmt"
	"strconv"

	gojira "github.com/andygrunwald/go-jira"
)

// Projects lists the keys of the projects the user can see in Jira (one request).
func (c *Client) Projects(ctx context.Context) ([]string, error) {
	list, resp, err := c.api.Project.GetListWithContext(ctx)
	if err != nil {
		return nil, c.classify("project list", resp, err)
	}
	var keys []string
	for _, p := range *list {
		keys = append(keys, p.Key)
	}
	return keys, nil
}

// EnsureVersion makes sure the project has a version called name, creating it when
// missing. created says whether it did; running it again changes nothing.
func (c *Client) EnsureVersion(ctx context.Context, project, name string) (created bool, err error) {
	p, resp, err := c.api.Project.GetWithContext(ctx, project)
	if err != nil {
		return false, c.classify("project "+project, resp, err)
	}
	for _, v := range p.Versions {
		if v.Name == name {
			return false, nil
		}
	}
	id, err := strconv.Atoi(p.ID)
	if err != nil {
		return false, fmt.Errorf("jira project %s has the id %q, not a number", project, p.ID)
	}
	_, resp, err = c.api.Version.CreateWithContext(ctx, &gojira.Version{Name: name, ProjectID: id})
	if err != nil {
		return false, c.classify(fmt.Sprintf("create version %q in %s", name, project), resp, err)
	}
	return true, nil
}

// AddFixVersion adds the version called name to the issue's fixVersions unless it is
// there already; changed says whether the issue was updated.
func (c *Client) AddFixVersion(ctx context.Context, key, name string) (changed bool, err error) {
	is, resp, err := c.api.Issue.GetWithContext(ctx, key, &gojira.GetQueryOptions{Fields: "fixVersions"})
	if err != nil {
		return false, c.classify("issue "+key, resp, err)
	}
	if is.Fields != nil {
		for _, fv := range is.Fields.FixVersions {
			if fv != nil && fv.Name == name {
				return false, nil
			}
		}
	}
	update := map[string]any{"update": map[string]any{"fixVersions": []any{map[string]any{"add": map[string]any{"name": name}}}}}
	resp, err = c.api.Issue.UpdateIssueWithContext(ctx, key, update)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		return false, c.classify(fmt.Sprintf("set fixVersion %q on %s", name, key), resp, err)
	}
	return true, nil
}
