package github

import (
	"context"
	"fmt"
	"strings"
)

// Scopes reads the token's OAuth scopes from the X-OAuth-Scopes header GitHub answers a
// classic token with (here to a read of the repository, which also proves the token sees
// it). listed is false for tokens whose permissions are not scopes: GitHub Actions'
// GITHUB_TOKEN, fine-grained tokens and GitHub App tokens.
func (c *Client) Scopes(ctx context.Context) (scopes []string, listed bool, err error) {
	_, resp, err := c.gh.Repositories.Get(ctx, c.Owner, c.Repo)
	if err != nil {
		return nil, false, explain(fmt.Sprintf("read repository %s/%s", c.Owner, c.Repo), err)
	}
	values, listed := resp.Header["X-Oauth-Scopes"]
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				scopes = append(scopes, s)
			}
		}
	}
	return scopes, listed, nil
}
