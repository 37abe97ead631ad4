package render

import (
	"os"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"

	"hjp/internal/content"
	"hjp/internal/testsite"
)

func TestThemeUses(t *testing.T) {
	fsys := fstest.MapFS{
		"themes/t/layouts/baseof.html":          {Data: []byte(`<title>{{.Title}}</title>{{template "partials/nav.html" .}}{{block "main" .}}{{end}}`)},
		"themes/t/layouts/partials/nav.html":    {Data: []byte(`{{range .Breadcrumbs}}{{.Title}}{{end}}`)},
		"themes/t/layouts/partials/latest.html": {Data: []byte(`{{range .OfKind "finding"}}{{.Meta.Title}}{{end}}`)},
		"themes/t/layouts/page.html":            {Data: []byte(`{{template "baseof.html" .}}{{define "main"}}{{.Content}}{{.Page.Section}}{{range .Related "finding"}}{{.URL}}{{end}}{{end}}`)},
		"themes/t/layouts/home.html":            {Data: []byte(`{{template "baseof.html" .}}{{define "main"}}{{template "partials/latest.html" .}}{{with .Section "guide"}}{{.URL}}{{end}}{{with $.OfKind "recommendation"}}{{end}}{{end}}`)},
		"themes/t/layouts/references.html":      {Data: []byte(`{{template "baseof.html" .}}{{define "main"}}{{range $.G.References.List}}{{.Key}}{{end}}{{end}}`)},
		"themes/t/layouts/section.html":         {Data: []byte(`{{template "baseof.html" .}}{{define "main"}}{{$k := "finding"}}{{range .OfKind $k}}{{end}}{{end}}`)},
		// Partials drawn by View.Cached and Card.Draw are followed.
		"themes/t/layouts/partials/item.html":     {Data: []byte(`{{.Title}}`)},
		"themes/t/layouts/partials/everyone.html": {Data: []byte(`{{range .G.Pages}}{{end}}`)},
		"themes/t/layouts/partials/card.html":     {Data: []byte(`{{range .G.Pages}}{{end}}`)},
		"themes/t/layouts/cached.html":            {Data: []byte(`{{template "baseof.html" .}}{{define "main"}}{{$.Cached "partials/item.html" . "k"}}{{end}}`)},
		"themes/t/layouts/cached-all.html":        {Data: []byte(`{{template "baseof.html" .}}{{define "main"}}{{$.Cached "partials/everyone.html" . "k"}}{{end}}`)},
		"themes/t/layouts/cached-named.html":      {Data: []byte(`{{template "baseof.html" .}}{{define "main"}}{{$n := "partials/item.html"}}{{$.Cached $n . "k"}}{{end}}`)},
		"themes/t/layouts/cards.html":             {Data: []byte(`{{template "baseof.html" .}}{{define "main"}}{{range $.Cards nil}}{{.Draw}}{{end}}{{end}}`)},
	}
	theme, diags := LoadTheme(fsys, "t", Funcs(nil), nil)
	if theme == nil {
		t.Fatalf("LoadTheme: %v", diags)
	}
	tests := map[string]Uses{
		"page":       {},
		"home":       {Kinds: []content.Kind{"finding", "recommendation"}, Sections: []string{"guide"}},
		"references": {All: true},
		"section":    {All: true},
		"missing":    {All: true},
		// A partial drawn by name is followed: local, or global when it
		// reaches the graph or its name is not written in the layout.
		"cached":       {},
		"cached-all":   {All: true},
		"cached-named": {All: true},
		"cards":        {All: true},
	}
	for layout, want := range tests {
		if got := theme.Uses(layout); !reflect.DeepEqual(got, want) {
			t.Errorf("Uses(%q) = %+v, want %+v", layout, got, want)
		}
	}
}

// TestUnknownViewNamesAreGlobal guards the analysis: a View method added
// later must count as reaching the whole site until it is classified.
func TestUnknownViewNamesAreGlobal(t *testing.T) {
	g := globalViewNames()
	if !g["G"] {
		t.Errorf("G must be global")
	}
	for _, n := range localViewNames() {
		if g[n] {
			t.Errorf("%s is listed as local but treated as global", n)
		}
		if _, ok := reflectName(n); !ok {
			t.Errorf("localViewNames lists %s, which View does not have", n)
		}
	}
	for n := range viewReach() {
		if g[n] || slices.Contains(localViewNames(), n) {
			t.Errorf("%s is in viewReach but also global or local", n)
		}
		if _, ok := reflectName(n); !ok {
			t.Errorf("viewReach lists %s, which View does not have", n)
		}
	}
}

// TestDefaultThemeUses checks what the default theme's layouts are found
// to show, for the layouts of the theme, search and evidence map
// features: a wrong answer makes serve show stale pages.
func TestDefaultThemeUses(t *testing.T) {
	theme, diags := LoadTheme(os.DirFS(testsite.Root()), "default", Funcs(nil), nil)
	if theme == nil {
		t.Fatalf("LoadTheme: %v", diags)
	}
	finding, rec, model := content.KindFinding, content.KindRecommendation, content.KindFundingModel
	tests := []struct {
		layout string
		all    bool
		text   bool
		kinds  []content.Kind
	}{
		// The home page: routes, the small evidence map.
		{"home", false, false, []content.Kind{finding, rec}},
		// The funding overview's chart.
		{"section", false, false, []content.Kind{model}},
		{"chapter", false, false, nil},
		{"finding", false, false, nil},
		{"funding-compare", false, false, []content.Kind{model}},
		{"findings", false, false, []content.Kind{finding, rec}},
		// The recommendations by audience use the taxonomy.
		{"evidence-map", true, false, []content.Kind{finding, rec}},
		{"print", true, true, nil},
		{"search", true, true, nil},
	}
	for _, tt := range tests {
		u := theme.Uses(tt.layout)
		if u.All != tt.all || u.Text != tt.text || !slices.Equal(u.Kinds, tt.kinds) {
			t.Errorf("Uses(%q) = %+v, want All %v, Text %v, Kinds %v", tt.layout, u, tt.all, tt.text, tt.kinds)
		}
		if !slices.Contains(u.URLs, AccessibilityStatementURL) {
			t.Errorf("Uses(%q) does not see the footer's accessibility statement: %+v", tt.layout, u)
		}
	}
}

func reflectName(name string) (string, bool) {
	vt := reflect.TypeFor[*View]()
	if _, ok := vt.MethodByName(name); ok {
		return name, true
	}
	_, ok := vt.Elem().FieldByName(name)
	return name, ok
}
