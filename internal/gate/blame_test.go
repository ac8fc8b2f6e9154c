package gate

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/gittest"
	"github.com/kickoffhq/kickoff/internal/kickoff"
	"github.com/kickoffhq/kickoff/internal/radar"
)

const (
	login   = "kickoff-241101-login"
	billing = "kickoff-241102-billing"
)

// blameRepo: login changed line 2 of app.txt and has not merged main since; main then
// changed lines 2 and 6; billing was cut from that main and changed line 8. Feature
// banner of login changes only other.txt; feature footer of login changes line 6 too.
func blameRepo(t *testing.T) *gittest.Repo {
	r := gittest.NewLocal(t)
	lines := []string{"one", "two", "three", "four", "five", "six", "seven", "eight"}
	app := func(edit map[int]string) string {
		out := make([]string, len(lines))
		for i, l := range lines {
			out[i] = l
			if e, ok := edit[i+1]; ok {
				out[i] = e
			}
		}
		return strings.Join(out, "\n") + "\n"
	}
	r.Commit("app.txt", app(nil), "base")
	r.Commit("other.txt", "a\nb\n", "other")
	r.Git("checkout", "-q", "-b", login)
	r.Commit("app.txt", app(map[int]string{2: "two: login"}), "LOG-1 login")
	r.Git("checkout", "-q", "-b", "feature/PROJ-7-banner")
	r.Commit("other.txt", "a: banner\nb\n", "PROJ-7 banner")
	r.Git("checkout", "-q", "-b", "feature/PROJ-8-footer", login)
	r.Commit("app.txt", app(map[int]string{2: "two: login", 6: "six: footer"}), "PROJ-8 footer")
	r.Git("checkout", "-q", "main")
	r.Commit("app.txt", app(map[int]string{2: "two: hotfix", 6: "six: main"}), "OPS-9 hotfix")
	r.Git("checkout", "-q", "-b", billing)
	r.Commit("app.txt", app(map[int]string{2: "two: hotfix", 6: "six: main", 8: "eight: billing"}), "BILL-2 billing")
	r.Git("checkout", "-q", "main")
	return r
}

func runGate(t *testing.T, r *gittest.Repo, ref string, failOnKickoff bool) *Result {
	t.Helper()
	repo, err := gitrepo.Open(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e, err := radar.Open(ctx, repo, radar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	env := &kickoff.Env{Repo: repo, Main: "main", Remote: "origin", Getenv: func(string) string { return "" }}
	res, err := Run(ctx, env, e, Request{Ref: ref, FailOnKickoff: failOnKickoff})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// blames prints a result's attribution as "B: path owner X vs Y" lines, pair by pair.
func blames(res *Result) string {
	var b strings.Builder
	for _, p := range res.Pairs {
		for _, bl := range p.Blame {
			fmt.Fprintf(&b, "%s: %s %s %s vs %s\n", p.B, bl.Path, bl.Owner, bl.Between[0], bl.Between[1])
		}
	}
	return b.String()
}

func TestBlame(t *testing.T) {
	r := blameRepo(t)
	tests := []struct {
		name          string
		ref           string
		failOnKickoff bool
		passed        bool
		want          string
	}{
		{
			// The banner adds nothing that conflicts: its kickoff's conflicts with main and
			// billing are the kickoff's, as information.
			name: "a feature with only its kickoff's conflicts passes", ref: "feature/PROJ-7-banner", failOnKickoff: true, passed: true,
			want: "main: app.txt target kickoff-241101-login vs main\n" +
				"kickoff-241102-billing: app.txt target kickoff-241101-login vs kickoff-241102-billing\n",
		},
		{
			// The footer's line 6 meets main's line 6: its own, though the file also holds
			// the kickoff's conflict. Billing has main's line 6, the footer not: that one is
			// the footer's with main, judged on the main pair.
			name: "a feature's own conflict in the same file fails", ref: "feature/PROJ-8-footer", passed: false,
			want: "main: app.txt head feature/PROJ-8-footer vs main\n" +
				"kickoff-241102-billing: app.txt behind-main feature/PROJ-8-footer vs main\n",
		},
		{
			// login has not merged main: its conflict with billing (which has) is login's
			// with main; its conflict with main fails it.
			name: "a kickoff behind main", ref: login, failOnKickoff: true, passed: false,
			want: "main: app.txt head kickoff-241101-login vs main\n" +
				"kickoff-241102-billing: app.txt behind-main kickoff-241101-login vs main\n",
		},
		{
			// billing is judged on its own: the conflict is login's with main.
			name: "a kickoff up to date with main, against one behind", ref: billing, failOnKickoff: true, passed: true,
			want: "kickoff-241101-login: app.txt behind-main kickoff-241101-login vs main\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runGate(t, r, tt.ref, tt.failOnKickoff)
			if got := blames(res); got != tt.want {
				t.Errorf("blame:\n%s\nwant:\n%s", got, tt.want)
			}
			if res.Passed != tt.passed {
				t.Errorf("passed %v, want %v", res.Passed, tt.passed)
			}
		})
	}
}

func TestCovered(t *testing.T) {
	tests := []struct {
		rs, by []radar.Range
		want   bool
	}{
		{[]radar.Range{{2, 2}}, []radar.Range{{1, 3}}, true},
		{[]radar.Range{{2, 2}, {6, 6}}, []radar.Range{{2, 2}}, false},
		{[]radar.Range{{2, 6}}, []radar.Range{{2, 2}}, false}, // a region grown by the head's change
		{[]radar.Range{{4, 7}}, []radar.Range{{7, 9}}, false},
		{[]radar.Range{{4, 6}}, []radar.Range{{7, 9}}, false},
	}
	for _, tt := range tests {
		if got := covered(tt.rs, tt.by); got != tt.want {
			t.Errorf("covered(%v, %v) = %v, want %v", tt.rs, tt.by, got, tt.want)
		}
	}
}
