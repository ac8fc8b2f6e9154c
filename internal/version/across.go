package version

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/kickoffhq/kickoff/internal/gitrepo"
	"github.com/kickoffhq/kickoff/internal/retry"
)

// A platform version is one reservation, kept in the repository that holds .kickoff.yaml,
// and its tags in every repository of the kickoff, each on the commit that repository
// shipped. The tags of one name are pushed all or nothing: a repository that refuses takes
// back the ones already pushed to the others.

// Member is one repository of the platform the version's tags go to (package platform
// opens them; the CLI hands them over).
type Member struct {
	Name   string
	Repo   *gitrepo.Repo
	Remote string // "" when it has none: its tags stay local
}

// Build is what one tag names: the commit each repository shipped, by repository name (the
// one name "" in a project of one repository), and for a release candidate the images it
// deployed, one per app (app=image@digest). The images are written into the candidate's
// message: a candidate stands for one set, and a different set gets the next number.
type Build struct {
	Commits map[string]string
	Images  []string
}

// RepoTag is one repository's copy of a tag.
type RepoTag struct {
	Repo    string
	Tag     string
	Commit  string
	Created bool // false when it was already there on that commit
}

// members are the repositories tags go to: this one alone without Members.
func (s *Store) members() []Member {
	if len(s.Members) == 0 {
		return []Member{{Repo: s.Repo, Remote: s.Remote}}
	}
	return s.Members
}

// in is the store of one member: the same scheme and settings on m's repository.
func (s *Store) in(m Member) *Store {
	c := *s
	c.Repo, c.Remote, c.Members, c.AfterAssign = m.Repo, m.Remote, nil, nil
	return &c
}

// inRepo names the repository in err, in a platform of several.
func inRepo(m Member, err error) error {
	if m.Name == "" {
		return err
	}
	return fmt.Errorf("repository %s: %w", m.Name, err)
}

// Heads is the build of the kickoff's heads: each repository's kickoff branch (local, else
// the remote's). The repositories without the kickoff are skipped and listed.
func (s *Store) Heads(kickoffName string) (Build, []string, error) {
	b := Build{Commits: map[string]string{}}
	var skipped []string
	for _, m := range s.members() {
		k, err := s.in(m).findKickoff(kickoffName)
		if errors.Is(err, ErrNoKickoff) && len(s.Members) > 0 {
			skipped = append(skipped, m.Name)
			continue
		}
		if err != nil {
			return Build{}, nil, inRepo(m, err)
		}
		b.Commits[m.Name] = k.Head.String()
	}
	if len(b.Commits) == 0 {
		return Build{}, nil, fmt.Errorf("%w: %s has no local or remote branch in any of the platform's repositories (%s): check the name with `kickoff list`",
			ErrNoKickoff, kickoffName, strings.Join(skipped, ", "))
	}
	return b, skipped, nil
}

// Skipped lists the platform's repositories b does not name (those without the kickoff).
func (s *Store) Skipped(b Build) []string {
	var out []string
	for _, m := range s.members() {
		if _, ok := b.Commits[m.Name]; !ok && m.Name != "" {
			out = append(out, m.Name)
		}
	}
	return out
}

// checkBuild resolves each repository's commit to a full SHA and refuses one that is not a
// build of the kickoff there (checkCarries), before anything is reserved or tagged.
func (s *Store) checkBuild(ctx context.Context, kickoffName string, b Build, what string) (Build, error) {
	out := Build{Commits: map[string]string{}, Images: sortedCopy(b.Images)}
	for name := range b.Commits {
		if !slices.ContainsFunc(s.members(), func(m Member) bool { return m.Name == name }) {
			return Build{}, fmt.Errorf("no repository %q in the platform", name)
		}
	}
	for _, m := range s.members() {
		commit, ok := b.Commits[m.Name]
		if !ok {
			continue
		}
		ms := s.in(m)
		k, err := ms.findKickoff(kickoffName)
		if err != nil {
			return Build{}, inRepo(m, err)
		}
		hash, err := m.Repo.Resolve(commit)
		if err != nil {
			return Build{}, inRepo(m, err)
		}
		if err := ms.checkCarries(ctx, k, hash, what); err != nil {
			return Build{}, inRepo(m, err)
		}
		out.Commits[m.Name] = hash.String()
	}
	if len(out.Commits) == 0 {
		return Build{}, fmt.Errorf("%w: no repository ships a commit of %s", ErrNoKickoff, kickoffName)
	}
	return out, nil
}

func sortedCopy(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := slices.Clone(ss)
	slices.Sort(out)
	return slices.Compact(out)
}

// books reads every member's book from its remote, in the members' order.
func (s *Store) books(ctx context.Context) ([]*Book, error) {
	ms := s.members()
	out := make([]*Book, len(ms))
	for i, m := range ms {
		b, err := s.in(m).Read(ctx)
		if err != nil {
			return nil, inRepo(m, err)
		}
		out[i] = b
	}
	return out, nil
}

// primary is the commit a Tagged reports: this repository's, else the first one tagged.
func (s *Store) primary(b Build) string {
	for _, m := range s.members() {
		if c, ok := b.Commits[m.Name]; ok {
			return c
		}
	}
	return ""
}

// TagBuildCandidate tags b as the next release candidate of the kickoff's version
// (platform/vX.Y.Z-rc.N) in every repository b names, on the commit each shipped, assigning
// the version first if the kickoff has none. N counts up over all the repositories. When the
// newest candidate is the same build (the same commit in the same repositories, and the same
// images when b names them) it is returned as is: a redeploy is not a new candidate, but a
// different set of images is.
func (s *Store) TagBuildCandidate(ctx context.Context, kickoffName string, b Build) (Tagged, error) {
	b, err := s.checkBuild(ctx, kickoffName, b, "release candidate")
	if err != nil {
		return Tagged{}, err
	}
	a, err := s.Ensure(ctx, kickoffName)
	if err != nil {
		return Tagged{}, err
	}
	t, err := retry.Do(ctx, s.racePolicy(), func(int) (Tagged, error) {
		books, err := s.books(ctx)
		if err != nil {
			return Tagged{}, err
		}
		last := 0
		for _, book := range books {
			if t, ok := book.Released(a.Version); ok {
				return Tagged{}, fmt.Errorf("%s is already released (%s): a released version gets no more candidates; finish the kickoff or re-assign it with `kickoff version %s --assign --force`", a.Version, t.Name, kickoffName)
			}
			if cs := book.Candidates(a.Version); len(cs) > 0 {
				last = max(last, cs[len(cs)-1].N)
			}
		}
		out := Tagged{Kickoff: kickoffName, Version: a.Version, Commit: s.primary(b), Skipped: s.Skipped(b)}
		if last > 0 {
			if repos, same := s.sameBuild(ctx, books, a.Version, last, b); same {
				out.Tag, out.N, out.Repos = s.Scheme.CandidateTag(a.Version, last), last, repos
				return out, nil
			}
		}
		n := last + 1
		name := s.Scheme.CandidateTag(a.Version, n)
		msg := fmt.Sprintf("%s release candidate %d\n\nKickoff: %s\n%s", s.Scheme.Tag(a.Version), n, kickoffName, s.buildLines(b))
		repos, err := s.pushAcross(ctx, name, b, msg)
		if err != nil {
			if errors.Is(err, gitrepo.ErrRefChanged) {
				return Tagged{}, retry.Again(err)
			}
			return Tagged{}, err
		}
		out.Tag, out.N, out.Repos, out.Created = name, n, repos, true
		return out, nil
	})
	return t, lastRace(err)
}

// buildLines are the lines of a tag's message that say what it names: each repository's
// commit (in a platform of several) and each app's image.
func (s *Store) buildLines(b Build) string {
	var lines strings.Builder
	for _, m := range s.members() {
		if c, ok := b.Commits[m.Name]; ok && m.Name != "" {
			fmt.Fprintf(&lines, "Repository: %s %s\n", m.Name, c)
		}
	}
	for _, img := range b.Images {
		fmt.Fprintf(&lines, "Image: %s\n", img)
	}
	return lines.String()
}

// imagesOf reads the Image: lines of a tag's message, sorted.
func imagesOf(msg string) []string {
	var out []string
	for _, line := range strings.Split(msg, "\n") {
		if img, ok := strings.CutPrefix(line, "Image: "); ok {
			out = append(out, strings.TrimSpace(img))
		}
	}
	slices.Sort(out)
	return out
}

// sameBuild reports whether candidate n of v is b: in exactly the repositories b names, on
// their commits, and (when b names images) recorded with the same images. Anything it
// cannot read makes it a different build: a number is never reused on a guess.
func (s *Store) sameBuild(ctx context.Context, books []*Book, v Version, n int, b Build) ([]RepoTag, bool) {
	var repos []RepoTag
	var first *TagRef
	var firstIn Member
	for i, m := range s.members() {
		var cand *TagRef
		for _, c := range books[i].Candidates(v) {
			if c.N == n {
				cand = &c
			}
		}
		want, in := b.Commits[m.Name]
		if cand == nil {
			if in {
				return nil, false
			}
			continue
		}
		if !in || cand.Commit != want {
			return nil, false
		}
		if first == nil {
			first, firstIn = cand, m
		}
		repos = append(repos, RepoTag{Repo: m.Name, Tag: cand.Name, Commit: cand.Commit})
	}
	if first == nil {
		return nil, false
	}
	if b.Images != nil {
		msg, err := s.in(firstIn).tagMessage(ctx, *first)
		if err != nil || !slices.Equal(imagesOf(msg), b.Images) {
			return nil, false
		}
	}
	return repos, true
}

// tagMessage reads a tag's message, fetching the tag from the remote when its object is
// not here yet.
func (s *Store) tagMessage(ctx context.Context, t TagRef) (string, error) {
	h := plumbing.NewHash(t.Object)
	tag, err := s.Repo.ReadTag(h)
	if err != nil && s.Remote != "" {
		ref := "refs/tags/" + t.Name
		if ferr := s.Repo.FetchRefs(ctx, s.Remote, s.getenv, false, "+"+ref+":"+ref); ferr != nil {
			return "", ferr
		}
		tag, err = s.Repo.ReadTag(h)
	}
	if err != nil {
		return "", err
	}
	return tag.Message, nil
}

// pushed is a tag pushed to one repository, to take back if another refuses.
type pushed struct {
	m   Member
	obj string
}

// pushAcross makes the annotated tag name in every repository b names and pushes each one
// create-only; when a repository refuses, the tags already pushed are taken back and the
// error names the repository. A lost race (the tag appeared meanwhile) stays
// gitrepo.ErrRefChanged.
func (s *Store) pushAcross(ctx context.Context, name string, b Build, msg string) ([]RepoTag, error) {
	var done []pushed
	var out []RepoTag
	for _, m := range s.members() {
		commit, ok := b.Commits[m.Name]
		if !ok {
			continue
		}
		obj, err := s.in(m).makeTag(ctx, name, commit, msg)
		if err == nil {
			err = publish(ctx, m.Repo, m.Remote, s.getenv, []refUpdate{{Ref: "refs/tags/" + name, New: obj}})
		}
		if err != nil {
			if !errors.Is(err, gitrepo.ErrRefChanged) {
				err = fmt.Errorf("push tag %s: %w", name, err)
			}
			return nil, s.takeBack(ctx, name, done, inRepo(m, err))
		}
		done = append(done, pushed{m, obj})
		out = append(out, RepoTag{Repo: m.Name, Tag: name, Commit: commit, Created: true})
	}
	return out, nil
}

// takeBack deletes the tags pushed before cause, each only if it is still the one pushed,
// and says so in the error it returns (cause stays matchable with errors.Is).
func (s *Store) takeBack(ctx context.Context, name string, done []pushed, cause error) error {
	if len(done) == 0 {
		return cause
	}
	ctx = context.WithoutCancel(ctx) // Ctrl-C or not, what was pushed is taken back
	var back, left []string
	for i := len(done) - 1; i >= 0; i-- {
		p := done[i]
		if err := publish(ctx, p.m.Repo, p.m.Remote, s.getenv, []refUpdate{{Ref: "refs/tags/" + name, Old: p.obj}}); err != nil {
			left = append(left, fmt.Sprintf("%s (%v)", p.m.Name, err))
			continue
		}
		_ = p.m.Repo.DeleteRef(plumbing.ReferenceName("refs/tags/" + name))
		back = append(back, p.m.Name)
	}
	if len(left) > 0 {
		return fmt.Errorf("%w\n%s stays in %s: taking it back failed; delete it there with `git push --delete origin %s`", cause, name, strings.Join(left, ", "), name)
	}
	return fmt.Errorf("%w\n%s was taken back from %s: nothing was tagged", cause, name, strings.Join(back, ", "))
}

// TagBuildFinal puts the final tag platform/vX.Y.Z, its message naming the kickoff, on the
// commit each repository of b shipped, and pushes it, all or nothing. The kickoff gets a
// version first if it has none. A final tag already in a repository is never moved: on the
// same commit it is kept (Created false there), on another commit it is an error and
// nothing is tagged.
func (s *Store) TagBuildFinal(ctx context.Context, kickoffName string, b Build) (Tagged, error) {
	b, err := s.checkBuild(ctx, kickoffName, b, "final tag")
	if err != nil {
		return Tagged{}, err
	}
	a, err := s.Ensure(ctx, kickoffName)
	if err != nil {
		return Tagged{}, err
	}
	name := s.Scheme.Tag(a.Version)
	t, err := retry.Do(ctx, s.racePolicy().WithAttempts(3), func(int) (Tagged, error) {
		books, err := s.books(ctx)
		if err != nil {
			return Tagged{}, err
		}
		out := Tagged{Kickoff: kickoffName, Version: a.Version, Tag: name, Commit: s.primary(b), Skipped: s.Skipped(b)}
		todo := Build{Commits: map[string]string{}}
		for i, m := range s.members() {
			commit, in := b.Commits[m.Name]
			if !in {
				continue
			}
			t, ok := books[i].Released(a.Version)
			if !ok {
				todo.Commits[m.Name] = commit
				continue
			}
			if t.Commit != commit {
				return Tagged{}, inRepo(m, fmt.Errorf("%s already exists on commit %s, not on %s: a tag is never moved (re-assign the kickoff with `kickoff version %s --assign --force` to ship a new version)", name, gitrepo.ShortID(t.Commit), gitrepo.ShortID(commit), kickoffName))
			}
			out.Repos = append(out.Repos, RepoTag{Repo: m.Name, Tag: name, Commit: commit})
		}
		if len(todo.Commits) > 0 {
			msg := fmt.Sprintf("%s\n\nKickoff: %s\n%s", name, kickoffName, s.buildLines(b))
			made, err := s.pushAcross(ctx, name, todo, msg)
			if err != nil {
				if errors.Is(err, gitrepo.ErrRefChanged) {
					return Tagged{}, retry.Again(err)
				}
				return Tagged{}, err
			}
			out.Repos, out.Created = append(out.Repos, made...), true
			s.sortRepos(out.Repos)
		}
		return out, nil
	})
	return t, lastRace(err)
}

// sortRepos puts repository results in the members' order.
func (s *Store) sortRepos(rs []RepoTag) {
	order := map[string]int{}
	for i, m := range s.members() {
		order[m.Name] = i
	}
	slices.SortStableFunc(rs, func(a, b RepoTag) int { return order[a.Repo] - order[b.Repo] })
}

// Where says, for each repository of the platform, which commit v's tag names there: with
// rc > 0 that candidate, else the final tag, else the newest candidate. A repository
// without it has no entry.
func (s *Store) Where(ctx context.Context, v Version, rc int) ([]RepoTag, error) {
	books, err := s.books(ctx)
	if err != nil {
		return nil, err
	}
	var out []RepoTag
	for i, m := range s.members() {
		book := books[i]
		var t *TagRef
		if f, ok := book.Released(v); ok && rc == 0 {
			t = &f
		} else {
			for _, c := range book.Candidates(v) {
				if rc == 0 || c.N == rc {
					t = &c
				}
			}
		}
		if t != nil {
			out = append(out, RepoTag{Repo: m.Name, Tag: t.Name, Commit: t.Commit})
		}
	}
	return out, nil
}

// Here is the repository holding the reservations, where kickoff runs.
func (s *Store) Here() Member { return s.members()[0] }
