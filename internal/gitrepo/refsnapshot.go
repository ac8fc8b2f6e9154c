package gitrepo

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

// Refs is every ref of the repository as one listing read them: loose refs and
// packed-refs read once. A command that looks up many names (the radar resolving twenty
// branches tries each as refs/<name>, a tag, a branch and a remote branch) asks this
// instead of Ref, which reads the whole packed-refs file for every name it does not find
// loose: on a clone with a few hundred packed refs that was most of a cached radar run.
// It is a snapshot: refs written after it was read are not in it.
type Refs struct {
	refs map[plumbing.ReferenceName]*plumbing.Reference
}

// ReadRefs lists every ref once (HEAD and symbolic refs included).
func (r *Repo) ReadRefs() (*Refs, error) {
	it, err := r.repo.Storer.IterReferences()
	if err != nil {
		return nil, fmt.Errorf("read refs: %w", err)
	}
	s := &Refs{refs: map[plumbing.ReferenceName]*plumbing.Reference{}}
	err = it.ForEach(func(ref *plumbing.Reference) error {
		s.refs[ref.Name()] = ref
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read refs: %w", err)
	}
	return s, nil
}

// maxSymbolicDepth bounds how many symbolic refs Get follows (git's own limit is 5).
const maxSymbolicDepth = 5

// Get is the object a ref names, following symbolic refs, or zero when there is no such
// ref (or its symbolic chain ends nowhere), as Ref answers.
func (s *Refs) Get(name plumbing.ReferenceName) plumbing.Hash {
	for range maxSymbolicDepth + 1 {
		ref, ok := s.refs[name]
		if !ok {
			return plumbing.ZeroHash
		}
		if ref.Type() == plumbing.HashReference {
			return ref.Hash()
		}
		name = ref.Target()
	}
	return plumbing.ZeroHash
}
