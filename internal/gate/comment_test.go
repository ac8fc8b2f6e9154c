package gate

import (
	"encoding/base64"
	"reflect"
	"strings"
	"testing"

	"github.com/kickoffhq/kickoff/internal/radar"
)

func conflictAt(path string) []radar.Conflict {
	return []radar.Conflict{{Path: path, Kind: radar.KindContent, Ours: []radar.Range{{1, 1}}}}
}

func TestCommentNotPostedOnACleanPullRequest(t *testing.T) {
	clean := &Result{Head: "feature/x", Passed: true, Pairs: []Pair{pairWith("main", RoleMain, true, nil, nil)}}
	if body, post := clean.Comment("", false); post || body != "" {
		t.Errorf("a clean pull request without a comment got one: %q", body)
	}
	// Once there is a comment, a clean result updates it.
	before, _ := (&Result{Head: "feature/x", Pairs: []Pair{pairWith("main", RoleMain, true, conflictAt("app.txt"), nil)}}).Comment("", false)
	body, post := clean.Comment(before, true)
	if !post || !strings.Contains(body, "**Since the last update:** 0 new, 1 resolved, 0 unchanged.") || !strings.Contains(body, "- resolved: `app.txt` (content): feature/x vs main") {
		t.Errorf("post %v, body:\n%s", post, body)
	}
}

func TestCommentSaysWhatChanged(t *testing.T) {
	v1 := &Result{Head: "feature/x", Pairs: []Pair{
		pairWith("main", RoleMain, true, conflictAt("app.txt"), nil),
		pairWith("kickoff-b", RoleKickoff, false, conflictAt("b.txt"), nil),
	}}
	first, post := v1.Comment("", false)
	if !post || !strings.HasPrefix(first, CommentMarker+"\n") || strings.Contains(first, "Since the last update") {
		t.Fatalf("first version:\n%s", first)
	}
	v2 := &Result{Head: "feature/x", Pairs: []Pair{
		pairWith("main", RoleMain, true, conflictAt("app.txt"), nil),
		pairWith("kickoff-b", RoleKickoff, false, conflictAt("c.txt"), nil),
	}}
	second, _ := v2.Comment(first, true)
	for _, want := range []string{
		"**Since the last update:** 1 new, 1 resolved, 1 unchanged.",
		"- new: `c.txt` (content): feature/x vs kickoff-b",
		"- resolved: `b.txt` (content): feature/x vs kickoff-b",
	} {
		if !strings.Contains(second, want) {
			t.Errorf("second version lacks %q:\n%s", want, second)
		}
	}
}

func TestReadStateRejectsTamperedText(t *testing.T) {
	enc := func(s string) string {
		return CommentMarker + "\n" + stateOpen + base64.RawURLEncoding.EncodeToString([]byte(s)) + stateClose
	}
	for name, body := range map[string]string{
		"no state":       CommentMarker + "\nhello",
		"not base64":     CommentMarker + "\n" + stateOpen + "%%%" + stateClose,
		"not JSON":       enc("{"),
		"wrong shape":    enc(`[["a","b"]]`),
		"empty path":     enc(`[["a","b","","content"]]`),
		"control chars":  enc(`[["a","b","x\ny","content"]]`),
		"an object":      enc(`{"a":1}`),
		"unclosed":       CommentMarker + "\n" + stateOpen + "W10",
		"field too long": enc(`[["a","b","` + strings.Repeat("x", maxStateField+1) + `","content"]]`),
	} {
		if _, err := ReadState(body); err == nil {
			t.Errorf("%s: read without error", name)
		}
	}
	// An edited comment: the next version says it could not read it, and lists the rest.
	res := &Result{Head: "feature/x", Pairs: []Pair{pairWith("main", RoleMain, true, conflictAt("app.txt"), nil)}}
	body, post := res.Comment(enc("{"), true)
	if !post || !strings.Contains(body, "could not be read") || !strings.Contains(body, "`app.txt`") {
		t.Errorf("body:\n%s", body)
	}
	// Markup in a state entry does not reach the new comment.
	body, _ = res.Comment(enc(`[["<img src=x>","b","`+"`"+`evil","content"]]`), true)
	if strings.Contains(body, "<img") || strings.Contains(body, "`evil") {
		t.Errorf("markup from the state reached the comment:\n%s", body)
	}
}

func TestStateRoundTrip(t *testing.T) {
	known := []Known{{Between: [2]string{"feature/x", "main"}, Path: "a b/ü.txt", Kind: "content"}, {Between: [2]string{"k", "main"}, Path: "--> x", Kind: "modify/delete"}}
	got, err := ReadState("text " + writeState(known) + " more")
	if err != nil || !reflect.DeepEqual(got, known) {
		t.Errorf("ReadState = %v, %v; want %v", got, err, known)
	}
}
