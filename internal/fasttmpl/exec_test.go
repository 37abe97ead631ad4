package fasttmpl

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"testing"
)

// The tests run each template with html/template first (which escapes
// it), then compile it and run it again with Execute: the outputs must
// be the same bytes.

type inner struct {
	Name string
	N    int
}

func (i inner) Upper() string { return strings.ToUpper(i.Name) }

type Embedded struct{ Promoted string }

// kind is a named string type without methods: fmt prints its string.
type kind string

// stringy is a named string type whose String method fmt calls.
type stringy string

func (s stringy) String() string { return "S<" + string(s) + ">" }

type page struct {
	Embedded
	Title   string
	Summary string
	Tags    []string
	Items   []inner
	Ptr     *inner
	NilPtr  *inner
	Any     any
	NilAny  any
	Err     error
	Map     map[string]int
	Labels  map[string]string
	HTML    template.HTML
	URL     template.URL
	Count   int
	Unsign  uint
	Flag    bool
	Float   float64
	Kind    kind
	Stringy stringy
	JS      template.JS
	Attr    template.HTMLAttr
	private string
}

func (p *page) Greet(name string) string { return "hello " + name }
func (p *page) Sum(a, b int) int         { return a + b }
func (p *page) Join(sep string, s ...string) string {
	return strings.Join(s, sep)
}
func (p *page) Fail() (string, error) { return "", errors.New("no") }
func (p *page) Maybe(ok bool) (string, error) {
	if !ok {
		return "", errors.New("not ok")
	}
	return "ok", nil
}
func (p *page) Self() *page       { return p }
func (p *page) Inner() inner      { return inner{Name: "value", N: 7} }
func (p *page) Echo(v any) string { return fmt.Sprintf("%T:%v", v, v) }

func testData() *page {
	return &page{
		Embedded: Embedded{Promoted: "promoted <b>"},
		Title:    `Rock & "roll" <script>`,
		Summary:  "",
		Tags:     []string{"a", "b&c", "d"},
		Items:    []inner{{"one", 1}, {"two", 2}},
		Ptr:      &inner{"ptr", 3},
		Any:      inner{"any", 4},
		Map:      map[string]int{"x": 1, "y": 2},
		Labels:   map[string]string{"k": "v<"},
		HTML:     "<em>safe</em>",
		URL:      "javascript:void(0)",
		Count:    3,
		Unsign:   3,
		Flag:     true,
		Float:    2.5,
		Kind:     "finding & <more>",
		Stringy:  "x&y",
		JS:       `{"a":"<b>"}`,
		Attr:     `title="x"`,
		private:  "hidden",
	}
}

var testFuncs = template.FuncMap{
	"add":   func(a, b int) int { return a + b },
	"upper": strings.ToUpper,
	"pair":  func(a, b string) string { return a + "/" + b },
	"oops":  func() (string, error) { return "", errors.New("oops") },
	"list":  func(s ...string) []string { return s },
}

// run executes name of src with html/template and with the compiled
// program, returning both outputs and errors.
func run(t *testing.T, src string, data any) (want, got string, wantErr, gotErr, compileErr error) {
	t.Helper()
	set, err := template.New("t").Funcs(testFuncs).Parse(src)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var w bytes.Buffer
	wantErr = set.Execute(&w, data)
	if wantErr != nil {
		// The escaping still happened: compile regardless.
		w.Reset()
	}
	p, compileErr := Compile(set, "t", testFuncs)
	if compileErr != nil {
		return w.String(), "", wantErr, nil, compileErr
	}
	var g bytes.Buffer
	g.WriteString("kept|")
	gotErr = p.Execute(&g, data)
	got, ok := strings.CutPrefix(g.String(), "kept|")
	if !ok {
		t.Fatalf("Execute lost what the buffer held: %q", g.String())
	}
	return w.String(), got, wantErr, gotErr, nil
}

func TestExecuteMatchesHTMLTemplate(t *testing.T) { checkMatches(t) }

func checkMatches(t *testing.T) {
	tests := []struct {
		name, src string
	}{
		{"text", `<p>plain text</p>`},
		{"field", `<p>{{.Title}}</p>`},
		{"empty field", `<p>{{.Summary}}</p>`},
		{"promoted field", `<p>{{.Promoted}}</p>`},
		{"pointer field chain", `{{.Ptr.Name}} {{.Ptr.N}}`},
		{"value method on pointer", `{{.Ptr.Upper}}`},
		{"method returning a value, then its method", `{{.Inner.Upper}} {{.Inner.N}}`},
		{"method with a string constant", `{{.Greet "you & me"}}`},
		{"method with int constants", `{{.Sum 2 40}}`},
		{"variadic method", `{{.Join ", " "a" "b" .Title}}`},
		{"variadic method, no variadic args", `[{{.Join "-"}}]`},
		{"method given the piped value", `{{"x" | .Greet}}`},
		{"method chain through Self", `{{.Self.Self.Title}}`},
		{"method with any argument", `{{.Echo 3}} {{.Echo "s"}} {{.Echo .Count}} {{.Echo .Ptr.Name}} {{.Echo nil}}`},
		{"method with bool argument", `{{.Maybe true}}`},
		{"function", `{{add 1 2}} {{upper .Title}}`},
		{"function piped", `{{.Title | upper}} {{.Count | add 4}}`},
		{"function with a parenthesised pipeline", `{{pair (upper "a") (.Ptr.Name)}}`},
		{"field of a parenthesised pipeline", `{{(.Self).Ptr.Name}}`},
		{"variadic function", `{{range list "a" "b"}}<i>{{.}}</i>{{end}}`},
		{"dot", `{{with .Ptr}}{{.}}{{end}}`},
		{"template.HTML", `<div>{{.HTML}}</div><a title="{{.HTML}}">x</a><title>{{.HTML}}</title>`},
		{"template.URL and unsafe URLs", `<a href="{{.URL}}">a</a><a href="{{.Title}}">b</a><a href="{{"javascript:x"}}">c</a><a href="/x/{{.Title}}">d</a><a href="#{{.Title}}">e</a>`},
		{"named string types in every context", `{{.Kind}}{{.Stringy}}{{.JS}}{{.Attr}}<a title="{{.Kind}}{{.Stringy}}{{.JS}}{{.Attr}}{{.HTML}}" href="{{.Kind}}">{{.Stringy}}</a><a href="{{.Stringy}}">x</a><a href="#{{.Kind}}{{.URL}}">y</a><title>{{.Kind}}{{.Stringy}}{{.HTML}}</title><script type="application/ld+json">{{.Kind}}{{.Stringy}}{{.JS}}</script>`},
		{"attributes", `<a title="{{.Title}}" data-n="{{.Count}}">x</a>`},
		{"title", `<title>{{.Title}} – {{.Count}}</title>`},
		{"JSON-LD", `<script type="application/ld+json">{{.Tags}}</script><script type="application/ld+json">{{.Map}}</script><script type="application/ld+json">{{.Title}}</script>`},
		{"meta refresh", `<meta http-equiv="refresh" content="0; url={{.Ptr.Name}}">`},
		{"ints, uints, bools, floats", `{{.Count}} {{.Unsign}} {{.Flag}} {{.Float}} {{1.5}} {{-2}} {{true}}`},
		{"any field", `{{.Any}} {{.Any.Name}}`},
		{"nil any", `[{{.NilAny}}]`},
		{"nil pointer", `[{{.NilPtr}}]`},
		{"nil error field", `[{{.Err}}]`},
		{"map key", `{{.Map.x}} [{{.Map.nope}}] {{.Labels.k}}`},
		{"index", `{{index .Map "y"}} {{index .Tags 1}} {{index .Items 0 | print}} [{{index .Map "none"}}]`},
		{"len", `{{len .Tags}} {{len .Map}} {{len .Title}} {{len "abc"}}`},
		{"if else", `{{if .Flag}}yes{{else}}no{{end}}{{if .Summary}}yes{{else}}no{{end}}`},
		{"else if chain", `{{if .Summary}}1{{else if eq .Count 2}}2{{else if eq .Count 3}}3{{else}}4{{end}}`},
		{"with else", `{{with .Summary}}[{{.}}]{{else}}none{{end}}{{with .Ptr}}[{{.Name}}]{{end}}`},
		{"else with", `{{with .Summary}}a{{else with .Title}}b {{.}}{{end}}`},
		{"with nil pointer", `{{with .NilPtr}}x{{else}}nil{{end}}`},
		{"range slice", `<ul>{{range .Tags}}<li>{{.}}</li>{{end}}</ul>`},
		{"range with index", `{{range $i, $t := .Tags}}{{if $i}}, {{end}}{{$i}}={{$t}}{{end}}`},
		{"range with one variable", `{{range $t := .Items}}{{$t.Name}}:{{.N}} {{end}}`},
		{"range else", `{{range .Summary | list}}{{.}}{{else}}empty{{end}}{{range .Items}}{{.Name}}{{else}}none{{end}}`},
		{"range over nil", `{{range .NilAny}}x{{else}}nothing{{end}}`},
		{"range of structs calls methods", `{{range .Items}}{{.Upper}} {{end}}`},
		{"variables", `{{$t := .Title}}{{$n := 1}}{{range .Tags}}{{$t}}:{{.}}:{{$n}} {{end}}{{$t = "changed"}}{{$t}}`},
		{"variable declared in with", `{{with $p := .Ptr}}{{$p.Name}}{{.N}}{{end}}`},
		{"dollar", `{{range .Tags}}{{$.Title}}{{end}}`},
		{"variables scoped to their block", `{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}`},
		{"assignment inside range", `{{$last := ""}}{{range .Tags}}{{$last = .}}{{end}}{{$last}}`},
		{"and or not", `{{and .Flag .Count}} {{or .Summary .Title}} {{and .Summary .Title}} [{{or .Summary .NilAny}}] {{not .Flag}} {{not .Summary}} {{or .Summary "default"}}`},
		{"and or piped", `{{.Count | and .Flag}} {{"x" | or .Summary}}`},
		{"or short-circuits", `{{or .Title .Fail}}`},
		{"comparisons", `{{eq .Count 3}} {{eq .Count 1 2 3}} {{ne .Title "x"}} {{lt .Count 4}} {{le .Count 3}} {{gt .Count 3}} {{ge .Float 2.5}} {{eq .Unsign 3}} {{gt .Unsign .Count}} {{lt "a" "b"}}`},
		{"print", `{{print .Count "x" .Tags}} {{print}} {{print nil}} {{print .NilAny}}`},
		{"templates", `{{define "item"}}<li>{{.Name}}</li>{{end}}<ul>{{range .Items}}{{template "item" .}}{{end}}</ul>{{template "item" .Ptr}}`},
		{"template without data", `{{define "x"}}[{{.}}]{{end}}{{template "x"}}`},
		{"recursive template", `{{define "r"}}{{if .}}{{len .}}{{template "r" (slice . 1)}}{{end}}{{end}}{{template "r" .Tags}}`},
		{"block", `{{block "b" .}}<p>{{.Title}}</p>{{end}}`},
		{"template variables are not inherited", `{{define "v"}}{{$.Name}}{{end}}{{$x := 1}}{{template "v" .Ptr}}`},
		{"comments and trim markers", `{{/* note */}} a  {{- .Count -}}  b`},
		{"html in text constants", `{{"<b>"}} {{"it's"}}`},
	}
	data := testData()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, got, wantErr, gotErr, compileErr := run(t, tt.src, data)
			if compileErr != nil {
				if errors.Is(compileErr, errDecline) && strings.Contains(tt.src, "slice") {
					return // slice is left to html/template
				}
				t.Fatalf("Compile: %v", compileErr)
			}
			if wantErr != nil {
				t.Fatalf("html/template failed: %v", wantErr)
			}
			if gotErr != nil {
				t.Fatalf("Execute: %v", gotErr)
			}
			if got != want {
				t.Errorf("output differs:\n got: %s\nwant: %s", got, want)
			}
		})
	}
}

// TestExecuteFailsWhereHTMLTemplateDoes checks that where html/template
// fails, Execute fails too (and writes nothing), rather than writing
// something html/template would not.
func TestExecuteFailsWhereHTMLTemplateDoes(t *testing.T) { checkFails(t) }

func checkFails(t *testing.T) {
	tests := []struct{ name, src string }{
		{"method error", `{{.Fail}}`},
		{"method error with argument", `{{.Maybe false}}`},
		{"function error", `{{oops}}`},
		{"nil pointer field", `{{.NilPtr.Name}}`},
		{"missing field", `{{.Nope}}`},
		{"unexported field", `{{.private}}`},
		{"field given arguments", `{{.Title "x"}}`},
		{"wrong argument count", `{{.Sum 1}}`},
		{"wrong argument type", `{{.Greet 3}}`},
		{"incomparable", `{{eq .Title 3}}`},
		{"len of an int", `{{len .Count}}`},
		{"index out of range", `{{index .Tags 5}}`},
		{"index of nil", `{{index .NilAny 1}}`},
		{"argument to a variable", `{{$x := 1}}{{"a" | $x}}`},
		{"nil interface field", `{{.NilAny.Name}}`},
		{"endless recursion", `{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}`},
	}
	data := testData()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got, wantErr, gotErr, compileErr := run(t, tt.src, data)
			if wantErr == nil {
				t.Fatalf("html/template did not fail")
			}
			if compileErr != nil {
				return // declined: html/template runs it
			}
			if gotErr == nil {
				t.Errorf("Execute wrote %q, want an error (html/template: %v)", got, wantErr)
			}
			if got != "" {
				t.Errorf("Execute wrote %q on failing", got)
			}
		})
	}
}

// TestExecuteDeclines checks what is left to html/template: Compile
// declines it, or Execute fails on data it does not handle.
func TestExecuteDeclines(t *testing.T) {
	compile := []struct{ name, src string }{
		{"break", `{{range .Tags}}{{break}}{{end}}`},
		{"continue", `{{range .Tags}}{{continue}}{{end}}`},
		{"builtin not handled", `{{printf "%d" .Count}}`},
		{"slice", `{{slice .Tags 1}}`},
		{"unknown escaper chain", `<a onclick="f({{.Title}})">x</a>`},
		{"style attribute", `<p style="color: {{.Title}}">x</p>`},
		{"template called from an attribute", `{{define "a"}}{{.}}{{end}}<a title="{{template "a" .Title}}">x</a>`},
	}
	data := testData()
	for _, tt := range compile {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, _, compileErr := run(t, tt.src, data)
			if !errors.Is(compileErr, errDecline) {
				t.Errorf("Compile: %v, want it declined", compileErr)
			}
		})
	}
	runtime := []struct{ name, src string }{
		{"range over a map", `{{range .Map}}{{.}}{{end}}`},
		{"range over an int", `{{range .Count}}{{.}}{{end}}`},
		{"comparing pointers", `{{eq .Ptr .Ptr}}`},
	}
	for _, tt := range runtime {
		t.Run(tt.name, func(t *testing.T) {
			want, got, wantErr, gotErr, compileErr := run(t, tt.src, data)
			if compileErr != nil || wantErr != nil {
				t.Fatalf("Compile: %v; html/template: %v", compileErr, wantErr)
			}
			if gotErr == nil {
				t.Errorf("Execute wrote %q, want it to give up (html/template wrote %q)", got, want)
			}
		})
	}
}

func TestCompileNeedsAFunctionMap(t *testing.T) {
	set := template.Must(template.New("t").Funcs(testFuncs).Parse(`{{add 1 2}}`))
	if err := set.Execute(new(bytes.Buffer), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(set, "t", nil); !errors.Is(err, errDecline) {
		t.Errorf("Compile without the functions: %v, want declined", err)
	}
	if _, err := Compile(set, "missing", testFuncs); !errors.Is(err, errDecline) {
		t.Errorf("Compile of a missing template: %v, want declined", err)
	}
	if _, err := Compile(set, "t", template.FuncMap{"add": 3}); !errors.Is(err, errDecline) {
		t.Errorf("Compile with a function that is not one: %v, want declined", err)
	}
}
