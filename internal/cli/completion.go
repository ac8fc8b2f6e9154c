package cli

import (
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kickoffhq/kickoff/internal/kickoff"
)

// Shell completion (`kickoff completion bash|zsh|fish|powershell` prints the script; the
// shell then asks `kickoff __complete ARGS...`) offers the names a command takes: kickoffs,
// feature branches, slots, apps, refs, versions and remotes, read from the local refs and
// the configuration, never from the network. One table here says which argument and which
// flag takes what, so that command files stay about their command.

// candidates lists the completions of one kind that start with toComplete.
type candidates func(toComplete string) []string

// completer reads the candidates from the factory's repository and configuration; a
// repository or configuration that cannot be read offers nothing.
type completer struct{ f *Factory }

// argCompletion is what a command's positional arguments take: one kind per position, the
// last repeating when repeat is set (conflicts REF...).
type argCompletion struct {
	pos    []candidates
	repeat bool
}

// addCompletions gives each command's arguments and flags their candidates (see the tables
// below) and turns file completion off where a command takes no file.
func addCompletions(root *cobra.Command, f *Factory) {
	c := completer{f}
	args := map[string]argCompletion{
		"check":            {pos: []candidates{c.refs}},
		"conflicts":        {pos: []candidates{c.refs}, repeat: true},
		"finish":           {pos: []candidates{c.kickoffs}},
		"abandon":          {pos: []candidates{c.kickoffs}},
		"image-tag":        {pos: []candidates{c.apps}},
		"notes":            {pos: []candidates{c.kickoffsAndVersions}},
		"release":          {pos: []candidates{c.kickoffs}},
		"sync":             {pos: []candidates{c.kickoffs}},
		"tag":              {pos: []candidates{c.kickoffs}},
		"version":          {pos: []candidates{c.kickoffs}},
		"switch":           {pos: []candidates{c.kickoffsAndFeatures}},
		"slot claim":       {pos: []candidates{c.slots}},
		"slot config":      {pos: []candidates{c.slots, c.kickoffs}},
		"slot diff":        {pos: []candidates{c.slots, c.slots}},
		"slot down":        {pos: []candidates{c.slots}},
		"slot free":        {pos: []candidates{c.slots}},
		"slot logs":        {pos: []candidates{c.slots, c.apps}},
		"slot exec":        {pos: []candidates{c.slots, c.apps}},
		"slot prune":       {},
		"slot rollback":    {pos: []candidates{c.slots}},
		"slot status":      {pos: []candidates{c.slots}},
		"slot unlock":      {pos: []candidates{c.slots}},
		"ci init":          {pos: []candidates{fixed("github", "jenkins")}},
		"dashboard export": {}, // a folder: the shell's own completion
	}
	flags := map[string]candidates{
		"kickoff": c.kickoffs, "for": c.kickoffs,
		"slot": c.slots, "app": c.apps,
		"target": c.branches, "base": c.branches, "ref": c.refs, "from": c.refs, "commit": c.refs,
		"since": c.versions, "main": c.branches, "remote": c.remotes,
		"format": fixed("md", "json"),
		"repo":   c.repos, "repos": c.repos,
	}
	registered := map[*pflag.Flag]bool{}
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		path := strings.TrimPrefix(strings.TrimPrefix(cmd.CommandPath(), root.Name()), " ")
		if spec, ok := args[path]; ok && spec.pos == nil {
			cmd.ValidArgsFunction = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return nil, cobra.ShellCompDirectiveFilterDirs
			}
		} else if ok {
			cmd.ValidArgsFunction = spec.complete
		} else if cmd.ValidArgsFunction == nil && path != "" && !cmd.HasSubCommands() {
			cmd.ValidArgsFunction = cobra.NoFileCompletions // SUMMARY, KEY: nothing to offer, no files either
		}
		cmd.LocalFlags().VisitAll(func(fl *pflag.Flag) {
			kind, ok := flags[fl.Name]
			if !ok || registered[fl] || fl.Value.Type() == "bool" {
				return
			}
			registered[fl] = true
			if cmd.Name() == "release" && fl.Name == "app" {
				kind = c.appPins
			}
			_ = cmd.RegisterFlagCompletionFunc(fl.Name, func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				out, d := kind(toComplete), cobra.ShellCompDirectiveNoFileComp
				if len(out) > 0 && strings.HasSuffix(out[0], "=") {
					d |= cobra.ShellCompDirectiveNoSpace // APP= is followed by the ref
				}
				return out, d
			})
		})
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// complete offers the candidates of the argument being typed, leaving out those given.
func (a argCompletion) complete(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	i := len(args)
	if i >= len(a.pos) {
		if !a.repeat || len(a.pos) == 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		i = len(a.pos) - 1
	}
	var out []string
	for _, s := range a.pos[i](toComplete) {
		if !slices.Contains(args, s) {
			out = append(out, s)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// fixed offers a fixed list.
func fixed(words ...string) candidates {
	return func(toComplete string) []string { return startingWith(words, toComplete) }
}

func startingWith(words []string, prefix string) []string {
	var out []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// kickoffs are the live kickoffs, local or on the remote, oldest first.
func (c completer) kickoffs(toComplete string) []string {
	repo, cfg, err := c.f.RepoConfig()
	if err != nil {
		return nil
	}
	live, err := kickoff.Live(repo, cfg.Remote)
	if err != nil {
		return nil
	}
	names := make([]string, len(live))
	for i, k := range live {
		names[i] = k.Name.String()
	}
	return startingWith(names, toComplete)
}

// branches are the local branches and the remote's (without "origin/"), sorted.
func (c completer) branches(toComplete string) []string {
	names, _ := c.refNames()
	return startingWith(names, toComplete)
}

// refs are branches, then tags.
func (c completer) refs(toComplete string) []string {
	branches, tags := c.refNames()
	return startingWith(append(branches, tags...), toComplete)
}

// refNames lists the branch names (local, and the remote's short names) and the tags, each sorted.
func (c completer) refNames() (branches, tags []string) {
	repo, cfg, err := c.f.RepoConfig()
	if err != nil {
		return nil, nil
	}
	remote := "refs/remotes/" + cfg.Remote + "/"
	repo.ForEachRef(func(name plumbing.ReferenceName, _ plumbing.Hash) error {
		s := name.String()
		switch {
		case name.IsBranch():
			branches = append(branches, name.Short())
		case strings.HasPrefix(s, remote) && s != remote+"HEAD":
			branches = append(branches, strings.TrimPrefix(s, remote))
		case name.IsTag():
			tags = append(tags, name.Short())
		}
		return nil
	})
	slices.Sort(branches)
	slices.Sort(tags)
	return slices.Compact(branches), tags
}

// features are the branches named by feature.template's fixed start (feature/...).
func (c completer) features(toComplete string) []string {
	cfg, err := c.f.Config()
	if err != nil {
		return nil
	}
	prefix := kickoff.FeaturePrefix(cfg.Feature.Template)
	var out []string
	for _, b := range c.branches(toComplete) {
		if prefix != "" && strings.HasPrefix(b, prefix) && !kickoff.IsName(b) {
			out = append(out, b)
		}
	}
	return out
}

func (c completer) kickoffsAndFeatures(toComplete string) []string {
	return append(c.kickoffs(toComplete), c.features(toComplete)...)
}

// versions are the platform versions tagged (versions.tag_prefix stripped), newest last.
func (c completer) versions(toComplete string) []string {
	cfg, err := c.f.Config()
	if err != nil {
		return nil
	}
	_, tags := c.refNames()
	var out []string
	for _, t := range tags {
		if v, ok := strings.CutPrefix(t, cfg.Versions.TagPrefix); ok && v != "" {
			out = append(out, v)
		}
	}
	return startingWith(out, toComplete)
}

func (c completer) kickoffsAndVersions(toComplete string) []string {
	return append(c.kickoffs(toComplete), c.versions(toComplete)...)
}

// slots are the configured slots.
func (c completer) slots(toComplete string) []string {
	cfg, err := c.f.Config()
	if err != nil {
		return nil
	}
	return startingWith(cfg.Slots, toComplete)
}

// apps are the configured apps.
func (c completer) apps(toComplete string) []string {
	cfg, err := c.f.Config()
	if err != nil {
		return nil
	}
	return startingWith(cfg.AppNames(), toComplete)
}

// repos are the platform's repositories (repos: in .kickoff.yaml); for a list (--repos
// fe,spring) the name after the last comma, the ones given left out.
func (c completer) repos(toComplete string) []string {
	cfg, err := c.f.Config()
	if err != nil {
		return nil
	}
	head, last := "", toComplete
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		head, last = toComplete[:i+1], toComplete[i+1:]
	}
	given := strings.Split(head, ",")
	var out []string
	for name := range cfg.Repos {
		if strings.HasPrefix(name, last) && !slices.Contains(given, name) {
			out = append(out, head+name)
		}
	}
	slices.Sort(out)
	return out
}

// appPins completes release's --app APP=REF: the app, then a ref after the "=".
func (c completer) appPins(toComplete string) []string {
	app, ref, ok := strings.Cut(toComplete, "=")
	if !ok {
		var out []string
		for _, a := range c.apps(toComplete) {
			out = append(out, a+"=")
		}
		return out
	}
	var out []string
	for _, r := range c.refs(ref) {
		out = append(out, app+"="+r)
	}
	return out
}

// remotes are the repository's remotes.
func (c completer) remotes(toComplete string) []string {
	repo, err := c.f.Repo()
	if err != nil {
		return nil
	}
	return startingWith(repo.RemoteNames(), toComplete)
}
