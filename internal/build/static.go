package build

import (
	"io/fs"
	"slices"

	"hjp/internal/diag"
	"hjp/internal/publish"
)

// writeThemeStatic copies the theme's static/ folder to the root of the
// site, for files that must keep a fixed name (favicon.ico, which
// browsers ask for at the root whatever the page says). A file of the
// same path under content/ replaces the theme's; a generated file may not
// be replaced. written records the paths.
func writeThemeStatic(fsys fs.FS, theme string, contentStatic []string, out publish.Sink, written map[string]bool) diag.List {
	var l diag.List
	dir := "themes/" + theme + "/static"
	err := publish.WalkFiles(fsys, dir, func(p, rel string) error {
		switch {
		case slices.Contains(contentStatic, "content/"+rel):
			return nil // the site's own file wins
		case written[rel]:
			l.Errorf(p, 1, 1, "this file would overwrite the generated file /%s: rename it", rel)
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if err := out.WriteFile(rel, b); err != nil {
			l.Errorf(p, 1, 1, "cannot write: %v", err)
			return nil
		}
		written[rel] = true
		return nil
	})
	if err != nil {
		l.Errorf(dir, 1, 1, "cannot read the theme's static files: %v", err)
	}
	return l
}
