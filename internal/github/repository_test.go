package github

import "testing"

func TestRepositoryOf(t *testing.T) {
	tests := []struct {
		url, want string
		ok        bool
	}{
		{"https://github.com/acme/shop.git", "acme/shop", true},
		{"https://x-access-token@github.example.com/acme/shop", "acme/shop", true},
		{"git@github.com:acme/shop.git", "acme/shop", true},
		{"ssh://git@github.com/acme/shop.git", "acme/shop", true},
		{"/srv/git/shop.git", "", false},
		{"https://gitlab.example.com/group/sub/shop.git", "", false},
	}
	for _, tt := range tests {
		got, ok := RepositoryOf(tt.url)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RepositoryOf(%q) = %q %v, want %q %v", tt.url, got, ok, tt.want, tt.ok)
		}
	}
}
