package build

import (
	"errors"

	"hjp/internal/publish"
)

// minifying returns the sink that pages and static files are written
// through, and the transform applied to theme assets before they are
// fingerprinted. Without opts.Minify both leave the bytes as they are.
// Assets are written to sink itself: they are minified already, and their
// bytes must match the integrity hash the pages carry.
func minifying(opts Options, sink publish.Sink) (publish.Sink, func(name string, data []byte) ([]byte, error)) {
	if !opts.Minify {
		return sink, nil
	}
	m := publish.NewMinifier()
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
