package github_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/github/githubtest"
)

func TestScopes(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   []string
		listed bool
	}{
		{"repo, read:org", []string{"repo", "read:org"}, true},
		{"none", nil, true},
		{"", nil, false}, // an Actions or fine-grained token: no header
	} {
		f := githubtest.New(t, "s3cret")
		f.Scopes = tc.header
		got, listed, err := client(t, f, "s3cret").Scopes(context.Background())
		if err != nil || listed != tc.listed || !slices.Equal(got, tc.want) {
			t.Errorf("X-OAuth-Scopes %q: %q listed=%v err=%v; want %q listed=%v", tc.header, got, listed, err, tc.want, tc.listed)
		}
	}
	f := githubtest.New(t, "s3cret")
	if _, _, err := client(t, f, "wrong").Scopes(context.Background()); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("a bad token: %v", err)
	}
}
