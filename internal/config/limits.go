package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

// Bounds on .kickoff.yaml. In CI the file is the pull request's own copy, so its size is
// chosen by whoever opens the pull request; a real configuration is a few kilobytes.
// The YAML library checks every mapping for duplicate keys in time quadratic in the keys
// (a 40,000-key file took 8 s, a 6 MB one over 11 minutes), so the shape of the document
// is bounded on the node tree before it is decoded onto Config.
const (
	MaxFileSize = 256 << 10 // bytes
	MaxKeys     = 1000      // keys in one mapping, items in one sequence
	MaxNodes    = 50_000    // scalars, mappings, sequences and aliases in the whole document
	MaxDepth    = 32        // nesting of mappings and sequences
)

// readLimited reads path, refusing a file larger than MaxFileSize without reading the
// rest of it (a symlink to /dev/zero must not hang).
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, errTooLarge(len(data))
	}
	return data, nil
}

func errTooLarge(n int) error {
	size := fmt.Sprintf("%d bytes", n)
	if n > MaxFileSize {
		size = fmt.Sprintf("more than %d KiB", MaxFileSize>>10)
	}
	return fmt.Errorf("the file is %s; a configuration is at most %d KiB: is this the right file?", size, MaxFileSize>>10)
}

// checkShape parses data into a node tree and refuses documents beyond the bounds above,
// naming the line where the bound is passed. It returns the tree (nil for an empty file).
func checkShape(data []byte) (*yaml.Node, error) {
	if len(data) > MaxFileSize {
		return nil, errTooLarge(len(data))
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, plainYAML(err)
	}
	nodes := 0
	if err := walkShape(&doc, 0, &nodes); err != nil {
		return nil, err
	}
	return &doc, nil
}

func walkShape(n *yaml.Node, depth int, nodes *int) error {
	*nodes++
	if *nodes > MaxNodes {
		return fmt.Errorf("line %d: more than %d values in the file; a configuration is far smaller", n.Line, MaxNodes)
	}
	if depth > MaxDepth {
		return fmt.Errorf("line %d: nested more than %d levels deep", n.Line, MaxDepth)
	}
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content)/2 > MaxKeys {
			return fmt.Errorf("line %d: a mapping with %d keys; at most %d", n.Line, len(n.Content)/2, MaxKeys)
		}
	case yaml.SequenceNode:
		if len(n.Content) > MaxKeys {
			return fmt.Errorf("line %d: a list of %d items; at most %d", n.Line, len(n.Content), MaxKeys)
		}
	case yaml.AliasNode:
		return nil // its anchor is walked where it is defined; the decoder bounds expansion
	}
	for _, c := range n.Content {
		if err := walkShape(c, depth+1, nodes); err != nil {
			return err
		}
	}
	return nil
}
