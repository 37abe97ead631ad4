package site

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"hjp/internal/diag"
	"hjp/internal/markdown"
)

// Resolver returns the markdown.Resolver for links written in page p.
func (g *Graph) Resolver(p *Page) markdown.Resolver {
	return &resolver{g: g, from: p, dir: path.Dir(p.Rel)}
}

type resolver struct {
	g    *Graph
	from *Page
	// dir is the folder of from, which relative links start from.
	dir string
}

func (r *resolver) ResolveLink(dest string, image bool) (markdown.Target, error) {
	raw, anchor, _ := strings.Cut(dest, "#")
	raw, _, _ = strings.Cut(raw, "?")
	p, err := url.PathUnescape(raw)
	if err != nil {
		return markdown.Target{}, fmt.Errorf("link %q is not a valid path: %v", dest, err)
	}
	if p == "" {
		return markdown.Target{URL: "#" + anchor, Page: r.from.Rel, Anchor: anchor}, nil
	}
	rel, ok := r.contentPath(p)
	if !ok {
		return markdown.Target{}, fmt.Errorf("link %q points outside content/", dest)
	}
	withAnchor := func(u string) string {
		if anchor != "" {
			return u + "#" + anchor
		}
		return u
	}
	switch {
	case strings.HasSuffix(p, ".md"):
		if t := r.g.byRel[rel]; t != nil {
			return markdown.Target{URL: withAnchor(t.URL), Page: t.Rel, Anchor: anchor}, nil
		}
		if d := r.g.drafts[rel]; d != nil {
			return markdown.Target{}, fmt.Errorf("link to draft page %s: publish it (remove draft: true) or remove the link", d.Path)
		}
		return markdown.Target{}, fmt.Errorf("link to missing file %q%s", dest, r.suggest(rel))
	case r.g.static[rel]:
		return markdown.Target{URL: staticURL(rel)}, nil
	case image:
		return markdown.Target{}, fmt.Errorf("image file %q is missing: put it in content/ beside the page", dest)
	}
	if t := r.g.byRel[path.Join(rel, "_index.md")]; t != nil && !strings.HasPrefix(p, "/") {
		return markdown.Target{URL: withAnchor(t.URL), Page: t.Rel, Anchor: anchor}, nil
	}
	if strings.HasPrefix(p, "/") {
		u := NormalizeURL(p)
		if t := r.g.byURL[u]; t != nil {
			return markdown.Target{URL: withAnchor(t.URL), Page: t.Rel, Anchor: anchor}, nil
		}
		if t := r.g.aliases[u]; t != nil {
			return markdown.Target{URL: withAnchor(t.URL), Page: t.Rel, Anchor: anchor}, nil
		}
		return markdown.Target{URL: dest, CheckURL: u}, nil
	}
	return markdown.Target{}, fmt.Errorf("link to missing file %q: link to the page's .md file, like ../findings/f03-shared-goals.md", dest)
}

// contentPath returns the path within content/ that the link path p
// (unescaped, without query or fragment) names, and false when a relative
// p climbs out of content/. A relative p is joined to the page's folder
// once: the join is already clean, so it is the path unless it climbs
// out. Every page's links come through here, so it is on the hot path.
func (r *resolver) contentPath(p string) (string, bool) {
	if strings.HasPrefix(p, "/") {
		return strings.TrimPrefix(path.Clean("/"+p), "/"), true
	}
	rel := path.Join(r.dir, p)
	switch {
	case rel == ".." || strings.HasPrefix(rel, "../"):
		return "", false
	case rel == ".":
		return "", true
	}
	return strings.TrimPrefix(rel, "/"), true
}

func staticURL(rel string) string {
	u := url.URL{Path: "/" + rel}
	return u.EscapedPath()
}

func (r *resolver) suggest(rel string) string {
	cands := r.g.relPaths()
	s := diag.Suggest(rel, cands)
	if s == "" {
		// Compare file names when the folders differ.
		base := path.Base(rel)
		for _, c := range cands {
			if diag.Near(base, path.Base(c)) {
				s = c
				break
			}
		}
	}
	if s == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", relativeTo(r.dir, s))
}

// relPaths returns the content-relative path of every page, sorted, for
// suggestions. It is worked out once, on the first broken link.
func (g *Graph) relPaths() []string {
	g.relPathsOnce.Do(func() {
		g.sortedRels = make([]string, 0, len(g.byRel))
		for k := range g.byRel {
			g.sortedRels = append(g.sortedRels, k)
		}
		slices.Sort(g.sortedRels)
	})
	return g.sortedRels
}

// relativeTo writes target (content-relative) as a path from dir.
func relativeTo(dir, target string) string {
	if dir == "." {
		return target
	}
	from := strings.Split(dir, "/")
	to := strings.Split(target, "/")
	i := 0
	for i < len(from) && i < len(to)-1 && from[i] == to[i] {
		i++
	}
	return strings.Repeat("../", len(from)-i) + strings.Join(to[i:], "/")
}

func (r *resolver) Cite(key string) (markdown.Cite, bool) {
	ref := r.g.References.Get(key)
	if ref == nil {
		return markdown.Cite{}, false
	}
	return markdown.Cite{Names: ref.Names, Year: ref.YearLabel, Href: "#" + RefAnchor(key)}, true
}

func (r *resolver) CiteKeys() []string { return r.g.References.Keys() }

// RefAnchor is the ID of a reference's entry in a page's reference list.
func RefAnchor(key string) string { return "ref-" + key }
