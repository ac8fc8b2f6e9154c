package jiratest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Comment is a comment on an issue held by the fake.
type Comment struct {
	ID      string
	Body    string
	Author  string
	Created time.Time
}

// registerComments serves issue comments as Jira REST v2 does:
// GET /rest/api/2/issue/{key}/comment (paged by startAt and maxResults, at most 50 a page)
// and POST /rest/api/2/issue/{key}/comment.
func (f *Fake) registerComments() {
	f.mux.HandleFunc("GET /rest/api/2/issue/{key}/comment", f.listComments)
	f.mux.HandleFunc("POST /rest/api/2/issue/{key}/comment", f.addComment)
}

// CommentBodies returns the bodies of an issue's comments, oldest first.
func (f *Fake) CommentBodies(key string) []string {
	return f.ofIssue(key, func(is *Issue) []string {
		var out []string
		for _, c := range is.Comments {
			out = append(out, c.Body)
		}
		return out
	})
}

func (f *Fake) commentJSON(is *Issue, c Comment) map[string]any {
	author := map[string]any{"name": c.Author, "emailAddress": c.Author, "displayName": c.Author, "active": true}
	return map[string]any{
		"self": f.URL + "/rest/api/2/issue/" + is.ID + "/comment/" + c.ID, "id": c.ID,
		"author": author, "updateAuthor": author, "body": c.Body,
		"created": c.Created.Format("2006-01-02T15:04:05.000-0700"), "updated": c.Created.Format("2006-01-02T15:04:05.000-0700"),
	}
}

func (f *Fake) listComments(w http.ResponseWriter, r *http.Request) {
	f.withIssue(w, r, func(is *Issue) {
		start, _ := strconv.Atoi(r.URL.Query().Get("startAt"))
		size, err := strconv.Atoi(r.URL.Query().Get("maxResults"))
		if err != nil || size <= 0 || size > 50 {
			size = 50
		}
		start = min(max(start, 0), len(is.Comments))
		end := min(start+size, len(is.Comments))
		page := []map[string]any{}
		for _, c := range is.Comments[start:end] {
			page = append(page, f.commentJSON(is, c))
		}
		WriteJSON(w, http.StatusOK, map[string]any{"startAt": start, "maxResults": size, "total": len(is.Comments), "comments": page})
	})
}

func (f *Fake) addComment(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Body == "" {
		WriteError(w, http.StatusBadRequest, "Comment body can not be empty!")
		return
	}
	user, _, _ := r.BasicAuth()
	f.withIssue(w, r, func(is *Issue) {
		f.nextID++
		c := Comment{ID: strconv.Itoa(f.nextID), Body: in.Body, Author: user, Created: time.Now()}
		is.Comments = append(is.Comments, c)
		WriteJSON(w, http.StatusCreated, f.commentJSON(is, c))
	})
}
