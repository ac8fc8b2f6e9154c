// Package radar finds merge conflicts between branches before anyone merges: the verdict
// comes from git's own merge machinery (git merge-tree), everything around it (merge
// bases, changed paths, the prefilter, overlaps, attribution, the cache) runs in process
// with go-git. It knows nothing of cobra, terminals or GitHub.
package radar
