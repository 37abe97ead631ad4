package build

import (
	"errors"
	"io/fs"

	"hjp/internal/config"
	"hjp/internal/diag"
	"hjp/internal/markdown"
	"hjp/internal/publish"
	"hjp/internal/render"
)

// newMinifier returns the minifier of a build with opts, or nil for one
// that does not minify.
func newMinifier(opts Options) *publish.Minifier {
	if !opts.Minify {
		return nil
	}
	return publish.NewMinifier()
}

// newMarkdown returns the Markdown renderer of a build that minifies with
// m (nil: one that does not). Pages' HTML is minified as it is rendered,
// as it goes into minified layouts (see loadTheme).
func newMarkdown(m *publish.Minifier) *markdown.Renderer {
	md := markdown.New()
	if m != nil {
		md.Minify = m.HTML
	}
	return md
}

// loadTheme parses the theme's layouts, minified too when m is not nil:
// pages rendered from minified layouts and minified Markdown are written
// without minifying them again (render.Output.Compact), which at 10,000
// pages was a sixth of the build's time.
func loadTheme(fsys fs.FS, cfg *config.Site, assets map[string]render.Asset, m *publish.Minifier) (*render.Theme, diag.List) {
	var min render.Minifier
	if m != nil {
		min = m
	}
	return render.LoadTheme(fsys, cfg.Theme, render.Funcs(assets), min)
}

// minifying returns the sink that pages and static files are written
// through, and the transform applied to theme assets before they are
// fingerprinted. With m nil both leave the bytes as they are.
// Assets are written to sink itself: they are minified already, and their
// bytes must match the integrity hash the pages carry.
func minifying(m *publish.Minifier, sink publish.Sink) (publish.Sink, func(name string, data []byte) ([]byte, error)) {
	if m == nil {
		return sink, nil
	}
	return m.Sink(sink), m.Minify
}

// addStatic records the failure to write the static file src as rel. A
// file that cannot be minified is a syntax error in the source file, so
// it is reported there with its position.
func (r *Result) addStatic(err error, src, rel string) {
	var me *publish.MinifyError
	switch {
	case err == nil:
	case errors.As(err, &me):
		r.Diags.Errorf(src, me.Line, me.Col, "cannot minify: %s", me.Message)
	default:
		r.addWrite(err, rel)
	}
}
