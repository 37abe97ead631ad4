package fasttmpl

import (
	"bytes"
	"errors"
	"html/template"
	"strings"
	"testing"
)

// gen builds a template from fuzz bytes: each byte picks the next piece
// from a small grammar of the constructs the executor supports (fields,
// methods, variables, if/with/range with else, template calls, builtins)
// in the contexts whose escapers it ports.
type gen struct {
	in    []byte
	b     strings.Builder
	vars  []string
	depth int
}

func (g *gen) next() int {
	if len(g.in) == 0 {
		return 0
	}
	c := g.in[0]
	g.in = g.in[1:]
	return int(c)
}

// value writes a pipeline whose value is printable.
func (g *gen) value() {
	vals := []string{
		".Title", ".Summary", ".Count", ".Unsign", ".Flag", ".Float", ".Kind", ".Stringy", ".HTML", ".URL", ".JS",
		".Ptr.Name", ".Inner.Upper", `.Greet "x&y"`, ".Sum .Count 2", `index .Map "x"`, "len .Tags",
		`or .Summary "none"`, "and .Flag .Title", "not .Flag", "eq .Count 3", "lt .Count 4", `print .Count .Title`,
		".NilAny", ".Promoted", `.Join "," "a" .Title`, `upper .Title`, ".Title | upper", "$", ".", `"<const>"`,
	}
	if len(g.vars) > 0 && g.next()%3 == 0 {
		g.b.WriteString(g.vars[g.next()%len(g.vars)])
		return
	}
	g.b.WriteString(vals[g.next()%len(vals)])
}

// list writes up to n pieces.
func (g *gen) list(n int) {
	g.depth++
	defer func() { g.depth-- }()
	for i := 0; i < n && len(g.in) > 0; i++ {
		g.piece()
	}
}

func (g *gen) piece() {
	switch k := g.next() % 14; {
	case k == 0:
		g.b.WriteString("<p>text & more</p>")
	case k == 1:
		g.b.WriteString("{{")
		g.value()
		g.b.WriteString("}}")
	case k == 2:
		g.b.WriteString(`<a title="{{`)
		g.value()
		g.b.WriteString(`}}">t</a>`)
	case k == 3:
		g.b.WriteString(`<a href="{{`)
		g.value()
		g.b.WriteString(`}}">u</a>`)
	case k == 4:
		g.b.WriteString(`<a href="/x/{{`)
		g.value()
		g.b.WriteString(`}}#{{`)
		g.value()
		g.b.WriteString(`}}">v</a>`)
	case k == 5:
		g.b.WriteString(`<title>{{`)
		g.value()
		g.b.WriteString(`}}</title>`)
	case k == 6 && g.depth < 4:
		g.b.WriteString("{{if ")
		g.value()
		g.b.WriteString("}}")
		g.list(3)
		if g.next()%2 == 0 {
			g.b.WriteString("{{else}}")
			g.list(2)
		}
		g.b.WriteString("{{end}}")
	case k == 7 && g.depth < 4:
		g.b.WriteString("{{with ")
		g.value()
		g.b.WriteString("}}")
		g.list(3)
		g.b.WriteString("{{end}}")
	case k == 8 && g.depth < 4:
		colls := []string{".Tags", ".Items", ".Self.Tags", "list .Title .Summary", ".NilAny"}
		v := "$v" + string(rune('a'+len(g.vars)))
		i := "$i" + string(rune('a'+len(g.vars)))
		g.b.WriteString("{{range " + i + ", " + v + " := " + colls[g.next()%len(colls)] + "}}")
		g.vars = append(g.vars, v, i)
		g.list(3)
		g.vars = g.vars[:len(g.vars)-2]
		if g.next()%2 == 0 {
			g.b.WriteString("{{else}}empty")
		}
		g.b.WriteString("{{end}}")
	case k == 9:
		v := "$d" + string(rune('a'+len(g.vars)))
		g.b.WriteString("{{" + v + " := ")
		g.value()
		g.b.WriteString("}}")
		g.vars = append(g.vars, v)
	case k == 10:
		g.b.WriteString(`{{template "item" `)
		g.value()
		g.b.WriteString("}}")
	case k == 11:
		g.b.WriteString(`<script type="application/ld+json">{{`)
		g.value()
		g.b.WriteString(`}}</script>`)
	case k == 12:
		g.b.WriteString(`<meta http-equiv="refresh" content="0; url={{`)
		g.value()
		g.b.WriteString(`}}">`)
	default:
		g.b.WriteString("{{/* c */}} ")
	}
}

// FuzzExecute runs generated templates with html/template and with the
// compiled program: where html/template succeeds the program writes the
// same bytes or gives up (never something else), and where it fails the
// program fails too.
func FuzzExecute(f *testing.F) {
	for _, s := range []string{"\x01\x00", "\x06\x01\x03\x00\x01", "\x08\x02\x01\x01\x00", "\x09\x04\x01\x01\x00\x01", "\x0a\x05\x03\x07\x01\x09", "\x0b\x08\x0c\x0d"} {
		f.Add([]byte(s))
	}
	data := testData()
	f.Fuzz(func(t *testing.T, in []byte) {
		g := &gen{in: in}
		g.list(12)
		src := `{{define "item"}}<i>{{.}}</i>{{end}}` + g.b.String()
		set, err := template.New("t").Funcs(testFuncs).Parse(src)
		if err != nil {
			t.Skip() // a variable used out of its scope, say
		}
		var want bytes.Buffer
		wantErr := set.Execute(&want, data)
		p, err := Compile(set, "t", testFuncs)
		if err != nil {
			if !errors.Is(err, errDecline) {
				t.Fatalf("%s\nCompile: %v", src, err)
			}
			return
		}
		var got bytes.Buffer
		gotErr := p.Execute(&got, data)
		switch {
		case wantErr != nil && gotErr == nil:
			t.Fatalf("%s\nhtml/template failed (%v); the program wrote %q", src, wantErr, got.String())
		case wantErr == nil && gotErr == nil && got.String() != want.String():
			t.Fatalf("%s\n got: %s\nwant: %s", src, got.String(), want.String())
		}
	})
}
