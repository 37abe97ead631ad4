// Package config reads content/site.yaml (title, base URL, menus and the
// vocabularies every controlled front-matter value comes from) and applies
// the build options and deployment environment on top of it.
package config

import (
	"errors"
	"io/fs"
	"net/url"
	"strings"

	"gopkg.in/yaml.v3"

	"hjp/internal/diag"
	"hjp/internal/schema"
)

// SitePath is where the site settings live, relative to the source root.
const SitePath = "content/site.yaml"

// Site is the validated content of site.yaml plus the resolved options.
type Site struct {
	Title       string
	Description string
	Language    string
	// BaseURL is absolute with a trailing slash, or "/" when unknown.
	BaseURL string
	Licence Link
	Repo    string
	EditURL string
	Menus   map[string][]Link
	Vocab   Vocabularies
	Theme   string
	// Production is false for Netlify deploy previews and branch deploys:
	// such builds must not be indexed by search engines.
	Production bool
	// Context is Netlify's deploy context ("production", "deploy-preview",
	// "branch-deploy", "dev"), or "" for a local build.
	Context string
	Drafts  bool
}

// Link is a named URL, as in a menu.
type Link struct {
	Name string
	URL  string
}

// Options are the settings that come from the command line and the
// environment rather than from site.yaml.
type Options struct {
	// BaseURL overrides site.yaml and the environment when not empty.
	BaseURL string
	Drafts  bool
	// Getenv reads the environment (Netlify's URL, DEPLOY_PRIME_URL and
	// CONTEXT); nil means an empty environment.
	Getenv func(string) string
}

// VocabNames lists the vocabularies site.yaml must declare, with the name
// of one value, used in messages ("unknown setting").
var VocabNames = []struct{ Name, Singular string }{
	{"themes", "theme"},
	{"factors", "factor"},
	{"settings", "setting"},
	{"audiences", "audience"},
	{"strengths", "strength"},
	{"models", "model"},
	{"problems", "problem"},
	{"statuses", "status"},
	{"funding_types", "funding type"},
	{"risks", "risk level"},
}

var termFields = []schema.Field{
	{Name: "key", Type: schema.Text, Required: true, Check: checkKey},
	{Name: "label", Type: schema.Text, Required: true},
	{Name: "description", Type: schema.Text},
}

var linkFields = []schema.Field{
	{Name: "name", Type: schema.Text, Required: true},
	{Name: "url", Type: schema.Text, Required: true},
}

func siteFields() []schema.Field {
	vocab := make([]schema.Field, 0, len(VocabNames))
	for _, v := range VocabNames {
		vocab = append(vocab, schema.Field{Name: v.Name, Type: schema.Records, Required: true, Fields: termFields})
	}
	return []schema.Field{
		{Name: "title", Type: schema.Text, Required: true},
		{Name: "description", Type: schema.Text},
		{Name: "language", Type: schema.Text},
		{Name: "base_url", Type: schema.Text, Check: checkURL},
		{Name: "licence", Type: schema.Record, Fields: linkFields},
		{Name: "repo", Type: schema.Text, Check: checkURL},
		{Name: "edit_url", Type: schema.Text, Check: checkURL},
		{Name: "theme", Type: schema.Text},
		{Name: "menus", Type: schema.Record, Fields: []schema.Field{
			{Name: "main", Type: schema.Records, Fields: linkFields},
			{Name: "footer", Type: schema.Records, Fields: linkFields},
		}},
		{Name: "vocabularies", Type: schema.Record, Required: true, Fields: vocab},
	}
}

func checkKey(n *yaml.Node) string {
	if n.Value == "" || strings.ToLower(n.Value) != n.Value || strings.ContainsAny(n.Value, " _/") {
		return "a vocabulary key must be lower-case words joined by hyphens, like \"primary-care\""
	}
	return ""
}

func checkURL(n *yaml.Node) string {
	u, err := url.Parse(n.Value)
	if err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return "must be an absolute http(s) URL, like https://example.org/"
	}
	return ""
}

// Load reads and checks site.yaml from the source root fsys and applies opts.
func Load(fsys fs.FS, opts Options) (*Site, diag.List) {
	src, err := fs.ReadFile(fsys, SitePath)
	if err != nil {
		var l diag.List
		msg := err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			msg = "site settings file is missing: every site needs content/site.yaml with a title and vocabularies"
		}
		l.Errorf(SitePath, 1, 1, "%s", msg)
		return nil, l
	}
	return Parse(src, opts)
}

// Parse checks the bytes of site.yaml and applies opts.
func Parse(src []byte, opts Options) (*Site, diag.List) {
	c := &schema.Checker{File: diag.NewFile(SitePath, src)}
	root := c.Parse(src, "site settings")
	if root == nil {
		return nil, c.Diags
	}
	v := c.Map(root, siteFields(), "site.yaml", nil)
	s := &Site{
		Title:       text(v, "title"),
		Description: text(v, "description"),
		Language:    text(v, "language"),
		BaseURL:     text(v, "base_url"),
		Repo:        text(v, "repo"),
		EditURL:     text(v, "edit_url"),
		Theme:       text(v, "theme"),
		Menus:       map[string][]Link{},
		Drafts:      opts.Drafts,
	}
	if s.Language == "" {
		s.Language = "en-GB"
	}
	if s.Theme == "" {
		s.Theme = "default"
	}
	if n := v.Values["licence"]; n != nil {
		s.Licence = link(n)
	}
	if n := v.Values["menus"]; n != nil {
		for i := 0; i+1 < len(n.Content); i += 2 {
			for _, it := range n.Content[i+1].Content {
				s.Menus[n.Content[i].Value] = append(s.Menus[n.Content[i].Value], link(it))
			}
		}
	}
	s.Vocab = vocabularies(c, v.Values["vocabularies"])
	s.applyEnv(opts)
	if c.Diags.Errors() > 0 {
		return nil, c.Diags
	}
	return s, c.Diags
}

func (s *Site) applyEnv(opts Options) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	s.Context = getenv("CONTEXT")
	s.Production = s.Context == "" || s.Context == "production"
	base := s.BaseURL
	switch {
	case opts.BaseURL != "":
		base = opts.BaseURL
	case s.Production && getenv("URL") != "":
		base = getenv("URL")
	case !s.Production && getenv("DEPLOY_PRIME_URL") != "":
		base = getenv("DEPLOY_PRIME_URL")
	}
	if base == "" {
		base = "/"
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	s.BaseURL = base
}

// AbsURL joins the base URL and a site path ("/guide/") into an absolute URL.
func (s *Site) AbsURL(path string) string {
	return strings.TrimSuffix(s.BaseURL, "/") + "/" + strings.TrimPrefix(path, "/")
}

func text(v schema.Values, name string) string {
	if n := v.Values[name]; n != nil {
		return strings.TrimSpace(n.Value)
	}
	return ""
}

func link(n *yaml.Node) Link {
	var l Link
	if v := schema.Lookup(n, "name"); v != nil {
		l.Name = v.Value
	}
	if v := schema.Lookup(n, "url"); v != nil {
		l.URL = v.Value
	}
	return l
}
