package slot

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"text/template"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
)

// TagVars are the fields of the image_tag template.
type TagVars struct {
	Branch   string // the branch (or tag) name, slugged for image tags
	SHA      string
	ShortSHA string // first 7 characters
	App      string
}

var slugRe = regexp.MustCompile(`[^a-z0-9]+`)

// TagSlug makes a branch name usable in an image tag the way CI systems do (GitLab's
// CI_COMMIT_REF_SLUG): lower-cased, every run of other characters a dash, at most 63
// characters, no dash at either end. feature/PROJ-12-x becomes feature-proj-12-x. It is not
// kickoff's summary slug (kickoff.SlugOf, which transliterates): it must equal the slug CI
// computes for the tag CI pushed, and the branch names kickoff makes are ASCII already.
func TagSlug(branch string) string {
	s := slugRe.ReplaceAllString(strings.ToLower(branch), "-")
	if len(s) > 63 {
		s = s[:63]
	}
	return strings.Trim(s, "-")
}

// ImageTag renders the image_tag template for a branch head.
func ImageTag(tmpl, app, branch, sha string) (string, error) {
	t, err := template.New("image_tag").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return "", fmt.Errorf("image_tag %q: %w", tmpl, err)
	}
	short := sha
	if len(short) > 7 {
		short = short[:7]
	}
	var b bytes.Buffer
	if err := t.Execute(&b, TagVars{Branch: TagSlug(branch), SHA: sha, ShortSHA: short, App: app}); err != nil {
		return "", fmt.Errorf("image_tag %q: %w (fields: .Branch .SHA .ShortSHA .App)", tmpl, err)
	}
	if tag := b.String(); len(tag) > 128 || !tagRe.MatchString(tag) {
		return "", fmt.Errorf("image_tag %q makes %q for app %q on %s, which is not an image tag: letters, digits, _ . and -, not starting with . or -, at most 128 characters", tmpl, tag, app, branch)
	}
	return b.String(), nil
}

// tagRe is Docker's rule for the tag of an image reference, its length (128 at most)
// checked apart: a bounded repetition compiles into that many copies of its class.
var tagRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

// CheckImageTag renders the image_tag template through ImageTag with the longest branch
// slug TagSlug makes and the longest of apps, so that a template making tags Docker
// refuses is reported when the configuration is loaded, not when CI pushes an image.
func CheckImageTag(tmpl string, apps []string) error {
	app := "app"
	for _, a := range apps {
		if len(a) > len(app) {
			app = a
		}
	}
	branch := "feature/PROJ-123-" + strings.Repeat("x", 63) // its slug is cut to 63 characters
	_, err := ImageTag(tmpl, app, branch, strings.Repeat("0123456789abcdef", 3)[:40])
	return err
}

// Refs are the branches and tags of one app's repository, names to commits.
type Refs struct {
	Where    string // the repository, for messages
	Branches map[string]string
	Tags     map[string]string
}

// resolved is a ref turned into what an image is tagged from.
type resolved struct {
	Ref    string // what the user or the plan asked for
	Branch string // the branch or tag name the image tag is made from
	Commit string
}

// Resolve finds ref among the branches, then the tags, then as a commit id (full or
// abbreviated) that heads some branch. ok is false when nothing matches.
func (r Refs) Resolve(ref string) (resolved, bool, error) {
	if c, ok := r.Branches[ref]; ok {
		return resolved{Ref: ref, Branch: ref, Commit: c}, true, nil
	}
	if c, ok := r.Tags[ref]; ok {
		return resolved{Ref: ref, Branch: ref, Commit: c}, true, nil
	}
	if len(ref) >= 7 && hexRe.MatchString(ref) {
		var found []string
		for b, c := range r.Branches {
			if strings.HasPrefix(c, ref) {
				found = append(found, b)
			}
		}
		switch len(found) {
		case 0:
			return resolved{}, false, fmt.Errorf("commit %s heads no branch of %s: images are tagged by branch, so pin the branch or tag that built it", ref, r.Where)
		default:
			b := found[0]
			for _, f := range found { // deterministic choice
				if f < b {
					b = f
				}
			}
			return resolved{Ref: ref, Branch: b, Commit: r.Branches[b]}, true, nil
		}
	}
	return resolved{}, false, nil
}

var hexRe = regexp.MustCompile(`^[0-9a-f]+$`)

// LocalRefs reads the current repository: remote-tracking branches of remote win over local
// ones (CI builds what was pushed), then local branches, then tags peeled to commits.
func LocalRefs(repo *gitrepo.Repo, remote string) (Refs, error) {
	r := Refs{Where: "this repository", Branches: map[string]string{}, Tags: map[string]string{}}
	remotePrefix := "refs/remotes/" + remote + "/"
	pushed := map[string]string{}
	err := repo.ForEachRef(func(ref plumbing.ReferenceName, h plumbing.Hash) error {
		name := ref.String()
		switch {
		case strings.HasPrefix(name, "refs/heads/"):
			r.Branches[strings.TrimPrefix(name, "refs/heads/")] = h.String()
		case strings.HasPrefix(name, remotePrefix):
			pushed[strings.TrimPrefix(name, remotePrefix)] = h.String()
		case strings.HasPrefix(name, "refs/tags/"):
			r.Tags[strings.TrimPrefix(name, "refs/tags/")] = repo.PeelCommit(h).String()
		}
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("read refs: %w", err)
	}
	for b, c := range pushed {
		if b != "HEAD" {
			r.Branches[b] = c
		}
	}
	return r, nil
}

// RemoteRefs lists the branches and tags of another repository at url without cloning it
// (ls-remote), with the credentials and timeout of every other remote (gitrepo.Repo.Auth).
func RemoteRefs(ctx context.Context, repo *gitrepo.Repo, url string) (Refs, error) {
	r := Refs{Where: url, Branches: map[string]string{}, Tags: map[string]string{}}
	refs, err := repo.RemoteRefs(ctx, url, os.Getenv)
	if err != nil {
		return r, fmt.Errorf("list branches of %s: %w", url, err)
	}
	for name, ref := range refs {
		switch {
		case strings.HasPrefix(name, "refs/heads/"):
			r.Branches[strings.TrimPrefix(name, "refs/heads/")] = ref.Hash.String()
		case strings.HasPrefix(name, "refs/tags/"):
			r.Tags[strings.TrimPrefix(name, "refs/tags/")] = ref.Commit.String()
		}
	}
	return r, nil
}
