package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kickoffhq/kickoff/internal/config"
	"github.com/kickoffhq/kickoff/internal/slot"
)

// ImageTagOptions are the inputs of `kickoff image-tag`.
type ImageTagOptions struct {
	F    *Factory
	App  string
	Ref  string
	JSON bool
}

func newCmdImageTag(f *Factory, runF func(*ImageTagOptions) error) *cobra.Command {
	opts := &ImageTagOptions{F: f}
	cmd := &cobra.Command{
		Use:   "image-tag [APP]",
		Short: "Print the image tag `kickoff release` looks for, for CI to build and push",
		Long: `Print the tag an app's image must have for ` + "`kickoff release`" + ` to find it: image_tag
of .kickoff.yaml rendered for REF's branch and head commit, REF resolved the way release
resolves it (the remote's branch over a local one, then tags, then a commit that heads a
branch). REF defaults to the current branch; CI checks out a detached HEAD, so pass it:
--ref "$BRANCH_NAME" in Jenkins, --ref "$GITHUB_REF_NAME" in GitHub Actions.

With APP: the tag alone. Without: one line per app built from this repository (apps
without repo: in .kickoff.yaml), "APP IMAGE:TAG"; with no apps configured, the tag.`,
		Example: `  docker build -t "registry.example.com/web:$(kickoff image-tag web --ref "$BRANCH_NAME")" .
  kickoff image-tag --ref kickoff-241101-login --json`,
		Args: maxArgs(1, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.App = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return imageTagRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Ref, "ref", "", "the branch or tag built (default: the current branch)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print app, image, tag, branch and commit as JSON")
	return cmd
}

// imageTag is one app's tag, as --json prints it.
type imageTag struct {
	App    string `json:"app,omitempty"`
	Image  string `json:"image,omitempty"` // repository:tag
	Tag    string `json:"tag"`
	Branch string `json:"branch"`
	Commit string `json:"commit"`
}

func imageTagRun(opts *ImageTagOptions) error {
	repo, cfg, err := opts.F.RepoConfig()
	if err != nil {
		return err
	}
	ref := opts.Ref
	if ref == "" {
		if ref = repo.CurrentBranch(); ref == "" {
			return FlagErrorf("HEAD is detached: name the branch built with --ref (Jenkins: --ref \"$BRANCH_NAME\"; GitHub Actions: --ref \"$GITHUB_REF_NAME\")")
		}
	}
	refs, err := slot.LocalRefs(repo, cfg.Remote)
	if err != nil {
		return err
	}
	res, found, err := refs.Resolve(ref)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("no branch, tag or commit %q in this repository (nor remote %s): fetch it, or check the name", ref, cfg.Remote)
	}
	tagOf := func(app string) (imageTag, error) {
		tag, err := slot.ImageTag(cfg.ImageTag, app, res.Branch, res.Commit)
		t := imageTag{App: app, Tag: tag, Branch: res.Branch, Commit: res.Commit}
		if a, ok := cfg.Apps[app]; ok && a.Image != "" {
			t.Image = a.Image + ":" + tag
		}
		return t, err
	}
	io := opts.F.IO

	if opts.App != "" || len(cfg.Apps) == 0 {
		if opts.App == "" && usesApp(cfg.ImageTag) {
			return FlagErrorf("image_tag %q uses .App and no app is configured: name the APP", cfg.ImageTag)
		}
		if _, ok := cfg.Apps[opts.App]; opts.App != "" && len(cfg.Apps) > 0 && !ok {
			return FlagErrorf("no app %q in %s: one of %s", opts.App, config.FileName, strings.Join(cfg.AppNames(), ", "))
		}
		t, err := tagOf(opts.App)
		if err != nil {
			return err
		}
		if opts.JSON {
			return io.JSON(t)
		}
		_, err = fmt.Fprintln(io.Out, t.Tag)
		return err
	}

	list := []imageTag{}
	for _, name := range cfg.AppNames() {
		if r := cfg.Apps[name].Repo; r != "" {
			io.Eprintf("%s is built from %s: run kickoff image-tag %s there\n", name, r, name)
			continue
		}
		t, err := tagOf(name)
		if err != nil {
			return err
		}
		list = append(list, t)
	}
	if opts.JSON {
		return io.JSON(list)
	}
	for _, t := range list {
		if _, err := fmt.Fprintf(io.Out, "%s %s\n", t.App, t.Image); err != nil {
			return err
		}
	}
	return nil
}

// usesApp says whether the image_tag template depends on the app.
func usesApp(tmpl string) bool {
	a, errA := slot.ImageTag(tmpl, "a", "b", "0123456789")
	b, errB := slot.ImageTag(tmpl, "z", "b", "0123456789")
	return errA == nil && errB == nil && a != b
}
