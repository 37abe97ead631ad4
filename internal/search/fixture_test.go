package search

import (
	"io/fs"
	"os"
	"testing"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/diag"
	"hjp/internal/markdown"
	"hjp/internal/site"
)

// fixtureGraph loads testdata/site through the pipeline stages the index
// depends on: config, content, site and markdown.
func fixtureGraph(t testing.TB, drafts bool) *site.Graph {
	t.Helper()
	return loadGraph(t, os.DirFS("testdata/site"), drafts)
}

// loadGraph runs config, content, site and markdown over a site root.
func loadGraph(t testing.TB, fsys fs.FS, drafts bool) *site.Graph {
	t.Helper()
	var l diag.List
	cfg, d := config.Load(fsys, config.Options{Drafts: drafts})
	l.Add(d...)
	if cfg == nil {
		t.Fatal(l.Err())
	}
	set, d := content.Load(fsys, cfg, content.LoadOptions{Drafts: drafts})
	l.Add(d...)
	g, d := site.New(cfg, set)
	l.Add(d...)
	md := markdown.New()
	docs := make([]markdown.Doc, len(g.Pages))
	for i, p := range g.Pages {
		docs[i], d = md.Render(markdown.Input{File: p.File, Body: p.Body, Offset: p.BodyOffset, RawHTML: p.Meta.RawHTML, Resolver: g.Resolver(p)})
		l.Add(d...)
	}
	l.Add(g.Finish(docs)...)
	if l.Errors() > 0 {
		t.Fatal(l.Err())
	}
	return g
}

func fixtureIndex(t testing.TB) *Index {
	t.Helper()
	return BuildSite(fixtureGraph(t, false), Options{})
}
