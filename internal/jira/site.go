package jira

import "context"

// Myself is the user the credentials log in as (the email address, else the name), which
// proves the site answers and takes them.
func (c *Client) Myself(ctx context.Context) (string, error) {
	u, resp, err := c.api.User.GetSelfWithContext(ctx)
	if err != nil {
		return "", c.classify("who am I", resp, err)
	}
	for _, s := range []string{u.EmailAddress, u.Name, u.DisplayName, u.AccountID} {
		if s != "" {
			return s, nil
		}
	}
	return "(unnamed user)", nil
}

// Statuses lists the names of the site's issue statuses, the targets of its transitions.
func (c *Client) Statuses(ctx context.Context) ([]string, error) {
	ss, resp, err := c.api.Status.GetAllStatusesWithContext(ctx)
	if err != nil {
		return nil, c.classify("statuses", resp, err)
	}
	names := make([]string, 0, len(ss))
	for _, s := range ss {
		names = append(names, s.Name)
	}
	return names, nil
}
