// Package radar finds merge conflicts between branches before anyone merges: the verdict
// comes from git's own merge machinery (git merge-tree), everything around it (merge
// bases, changed paths, the prefilter, the line proof, overlaps, attribution, the cache)
// runs in process with go-git; Compare (compare.go) runs the cascade of phases. It knows
// nothing of cobra, terminals or GitHub; what a CI gate makes of its verdicts is gate's.
package radar
