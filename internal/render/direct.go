package render

import (
	"html/template"

	"hjp/internal/config"
	"hjp/internal/content"
	"hjp/internal/fasttmpl"
	"hjp/internal/markdown"
	"hjp/internal/site"
)

// The types of the functions and methods the theme's layouts call
// (methods with the receiver first), so that fasttmpl calls them without
// reflect: about 60 calls a page, which reflect made a fifth of drawing
// a page. Each registers T and (T, error) results. A type left out is
// still called, through reflect; build.TestCompiledTemplatesSameOutput
// names any the theme calls that are missing here.
func init() {
	fasttmpl.Direct1[string, string]()
	fasttmpl.Direct1[string, Asset]()
	fasttmpl.Direct2[*config.Site, string, string]()
	fasttmpl.Direct1[*content.Reference, template.HTML]()
	fasttmpl.Direct1[*site.Term, []site.KindGroup]()

	fasttmpl.Direct1[*Card, template.HTML]()
	fasttmpl.Direct1[*Citation, string]()
	fasttmpl.Direct1[*Dataset, int]()
	fasttmpl.Direct1[*Dataset, string]()
	fasttmpl.Direct1[*FundingChart, template.HTML]()
	fasttmpl.Direct1[*Matrix, []TableRow]()
	fasttmpl.Direct1[*Matrix, int]()
	fasttmpl.Direct1[*Matrix, template.HTML]()
	fasttmpl.Direct1[*Strength, []bool]()

	fasttmpl.Direct1[*View, bool]()
	fasttmpl.Direct1[*View, string]()
	fasttmpl.Direct1[*View, content.Kind]()
	fasttmpl.Direct1[*View, *Citation]()
	fasttmpl.Direct1[*View, *Dates]()
	fasttmpl.Direct1[*View, *FindingsIndex]()
	fasttmpl.Direct1[*View, *FundingChart]()
	fasttmpl.Direct1[*View, *FundingTable]()
	fasttmpl.Direct1[*View, *Matrix]()
	fasttmpl.Direct1[*View, *StepNav]()
	fasttmpl.Direct1[*View, []config.Link]()
	fasttmpl.Direct1[*View, []markdown.Heading]()
	fasttmpl.Direct1[*View, []Card]()
	fasttmpl.Direct1[*View, []Dataset]()
	fasttmpl.Direct1[*View, []GlossaryEntry]()
	fasttmpl.Direct1[*View, []NavItem]()
	fasttmpl.Direct1[*View, []Route]()
	fasttmpl.Direct2[*View, string, template.JS]()
	fasttmpl.Direct2[*View, string, []*site.Page]()
	fasttmpl.Direct2[*View, *site.Page, *Strength]()
	fasttmpl.Direct2[*View, *site.Page, []Fact]()
	fasttmpl.Direct2[*View, []*site.Page, []Card]()
	fasttmpl.Direct3[*View, string, string, *TagGroup]()
	fasttmpl.Direct4[*View, string, any, string, template.HTML]()
}
