package jiratest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Version is a project version (a fixVersion candidate) held by the fake.
type Version struct {
	ID      string
	Name    string
	Project string
}

// registerVersions serves projects, versions and issue updates of fixVersions:
// GET /rest/api/2/project (the list), GET /rest/api/2/project/{key}, POST
// /rest/api/2/version, PUT /rest/api/2/issue/{key}. A project exists when an issue of it
// exists.
func (f *Fake) registerVersions() {
	f.mux.HandleFunc("GET /rest/api/2/project", f.listProjects)
	f.mux.HandleFunc("GET /rest/api/2/project/{key}", f.getProject)
	f.mux.HandleFunc("POST /rest/api/2/version", f.createVersion)
	f.mux.HandleFunc("PUT /rest/api/2/issue/{key}", f.updateIssue)
}

// ProjectVersions returns the names of a project's versions.
func (f *Fake) ProjectVersions(project string) []string {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	var out []string
	for _, v := range f.Versions {
		if v.Project == project {
			out = append(out, v.Name)
		}
	}
	return out
}

// FixVersions returns the names of an issue's fixVersions.
func (f *Fake) FixVersions(key string) []string { return f.ofIssue(key, fixVersionNames) }

// fixVersionNames are the names of an issue's fixVersions; the caller holds Mu.
func fixVersionNames(is *Issue) []string {
	var out []string
	fvs, _ := is.Fields["fixVersions"].([]map[string]any)
	for _, fv := range fvs {
		out = append(out, fv["name"].(string))
	}
	return out
}

// projectKeys are the keys of the projects that have issues, sorted; the caller holds Mu.
func (f *Fake) projectKeys() []string {
	var keys []string
	for _, is := range f.Issues {
		p, _, _ := strings.Cut(is.Key, "-")
		if !slices.Contains(keys, p) {
			keys = append(keys, p)
		}
	}
	slices.Sort(keys)
	return keys
}

// projectID is a stable numeric id per project key; the caller holds Mu.
func (f *Fake) projectID(key string) (int, bool) {
	i := slices.Index(f.projectKeys(), key)
	return 10000 + i, i >= 0
}

// listProjects answers Jira's project list (without versions, as Jira does).
func (f *Fake) listProjects(w http.ResponseWriter, r *http.Request) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	out := []map[string]any{}
	for i, key := range f.projectKeys() {
		id := strconv.Itoa(10000 + i)
		out = append(out, map[string]any{"self": f.URL + "/rest/api/2/project/" + id, "id": id, "key": key, "name": key + " project"})
	}
	WriteJSON(w, http.StatusOK, out)
}

func (f *Fake) versionJSON(v *Version) map[string]any {
	pid, _ := f.projectID(v.Project)
	return map[string]any{"self": f.URL + "/rest/api/2/version/" + v.ID, "id": v.ID, "name": v.Name,
		"archived": false, "released": false, "projectId": pid}
}

func (f *Fake) getProject(w http.ResponseWriter, r *http.Request) {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	key := r.PathValue("key")
	id, ok := f.projectID(key)
	if !ok {
		WriteError(w, http.StatusNotFound, fmt.Sprintf("No project could be found with key '%s'.", key))
		return
	}
	versions := []map[string]any{}
	for _, v := range f.Versions {
		if v.Project == key {
			versions = append(versions, f.versionJSON(v))
		}
	}
	WriteJSON(w, http.StatusOK, map[string]any{
		"self": f.URL + "/rest/api/2/project/" + strconv.Itoa(id), "id": strconv.Itoa(id), "key": key,
		"name": key + " project", "versions": versions,
	})
}

func (f *Fake) createVersion(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name      string `json:"name"`
		ProjectID int    `json:"projectId"`
		Project   string `json:"project"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	f.Mu.Lock()
	defer f.Mu.Unlock()
	project := body.Project
	if project == "" {
		for _, is := range f.Issues {
			p, _, _ := strings.Cut(is.Key, "-")
			if id, _ := f.projectID(p); id == body.ProjectID {
				project = p
			}
		}
	}
	if _, ok := f.projectID(project); !ok || body.Name == "" {
		WriteJSON(w, http.StatusBadRequest, map[string]any{"errorMessages": []string{}, "errors": map[string]string{"project": "Project must be specified to create a version."}})
		return
	}
	for _, v := range f.Versions {
		if v.Project == project && v.Name == body.Name {
			WriteJSON(w, http.StatusBadRequest, map[string]any{"errorMessages": []string{}, "errors": map[string]string{"name": "A version with this name already exists in this project."}})
			return
		}
	}
	f.nextID++
	v := &Version{ID: strconv.Itoa(f.nextID), Name: body.Name, Project: project}
	f.Versions = append(f.Versions, v)
	WriteJSON(w, http.StatusCreated, f.versionJSON(v))
}

// updateIssue handles {"update":{"fixVersions":[{"add":{"name":..}}]}} and
// {"fields":{"fixVersions":[{"name":..}]}}; other fields are accepted and ignored.
func (f *Fake) updateIssue(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Update map[string][]map[string]map[string]string `json:"update"`
		Fields map[string]json.RawMessage                `json:"fields"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	f.withIssue(w, r, func(is *Issue) {
		project, _, _ := strings.Cut(is.Key, "-")
		names := fixVersionNames(is)
		for _, op := range body.Update["fixVersions"] {
			if add, ok := op["add"]; ok && !slices.Contains(names, add["name"]) {
				names = append(names, add["name"])
			}
			if rm, ok := op["remove"]; ok {
				names = slices.DeleteFunc(names, func(n string) bool { return n == rm["name"] })
			}
		}
		if raw, ok := body.Fields["fixVersions"]; ok {
			var set []map[string]string
			json.Unmarshal(raw, &set)
			names = names[:0]
			for _, s := range set {
				names = append(names, s["name"])
			}
		}
		var fvs []map[string]any
		for _, n := range names {
			var found *Version
			for _, v := range f.Versions {
				if v.Project == project && v.Name == n {
					found = v
				}
			}
			if found == nil {
				WriteJSON(w, http.StatusBadRequest, map[string]any{"errorMessages": []string{}, "errors": map[string]string{"fixVersions": fmt.Sprintf("Version name '%s' is not valid", n)}})
				return
			}
			fvs = append(fvs, map[string]any{"self": f.URL + "/rest/api/2/version/" + found.ID, "id": found.ID, "name": found.Name, "archived": false, "released": false})
		}
		is.Fields["fixVersions"] = fvs
		w.WriteHeader(http.StatusNoContent)
	})
}
