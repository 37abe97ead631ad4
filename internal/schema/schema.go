// Package schema checks YAML documents (front matter, site.yaml,
// references.yaml) against declared field lists and reports every problem
// as a positioned diagnostic: unknown fields with "did you mean", wrong
// types, values missing from a vocabulary, missing required fields.
package schema

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"hjp/internal/diag"
)

// Type is the shape a field's value must have.
type Type int

const (
	// Text is any scalar, read as a string.
	Text Type = iota
	// Int is a whole number.
	Int
	// Bool is true or false.
	Bool
	// Date is a YYYY-MM-DD date.
	Date
	// List is a list of scalars (a single scalar is taken as a list of one).
	List
	// IntList is a list of whole numbers.
	IntList
	// Records is a list of mappings, each checked against Field.Fields.
	Records
	// Record is a mapping checked against Field.Fields.
	Record
	// Any is any value, unchecked.
	Any
)

var typeNames = map[Type]string{
	Text: "text", Int: "a whole number", Bool: "true or false", Date: "a date (YYYY-MM-DD)",
	List: "a list", IntList: "a list of whole numbers", Records: "a list of entries", Record: "a set of fields", Any: "a value",
}

// Field declares one field of a mapping.
type Field struct {
	Name     string
	Type     Type
	Required bool
	// Vocab names the vocabulary that Text or List values must come from.
	Vocab string
	// Fields declares the fields of each entry of Records, or of a Record.
	Fields []Field
	// Check returns a message when a well-typed value is still wrong.
	Check func(n *yaml.Node) string
}

// Vocabulary is a named list of allowed values.
type Vocabulary interface {
	// Keys returns the allowed values of the vocabulary name, and whether
	// the vocabulary exists.
	Keys(name string) ([]string, bool)
	// Singular names one value of the vocabulary, as in "unknown setting".
	Singular(name string) string
}

// Checker validates YAML from one file. LineOffset is added to YAML line
// numbers to give file lines (front matter starts on the file's second line).
type Checker struct {
	File       *diag.File
	LineOffset int
	Vocab      Vocabulary
	Diags      diag.List
}

// Errorf records an error at a node.
func (c *Checker) Errorf(n *yaml.Node, format string, args ...any) {
	line, col := c.Pos(n)
	c.Diags.Add(c.File.At(diag.Error, line, col, format, args...))
}

// Warnf records a warning at a node.
func (c *Checker) Warnf(n *yaml.Node, format string, args ...any) {
	line, col := c.Pos(n)
	c.Diags.Add(c.File.At(diag.Warning, line, col, format, args...))
}

// Pos returns the file line and column of a node.
func (c *Checker) Pos(n *yaml.Node) (line, col int) {
	if n == nil {
		return 1, 1
	}
	// YAML also breaks lines at a lone carriage return, which the file
	// index does not; never point past the file's last line.
	return min(n.Line+c.LineOffset, c.File.Lines()), n.Column
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse decodes YAML text into a document node. A syntax error, an anchor
// or an alias is reported and nil returned. An empty document gives an
// empty mapping.
func (c *Checker) Parse(text []byte, what string) *yaml.Node {
	if n, ok := parseSimple(text); ok {
		return n
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		msg := err.Error()
		line := 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		fileLine := min(line+c.LineOffset, c.File.Lines())
		col := 1 + len(c.File.Line(fileLine)) - len(strings.TrimLeft(c.File.Line(fileLine), " \t"))
		c.Diags.Add(c.File.At(diag.Error, fileLine, col, "invalid %s: %s", what, msg))
		return nil
	}
	if doc.Kind == 0 {
		return &yaml.Node{Kind: yaml.MappingNode, Line: 1, Column: 1}
	}
	if bad := findAlias(&doc); bad != nil {
		c.Errorf(bad, "YAML anchors and aliases (& and *) are not allowed in %s: write the value out in full", what)
		return nil
	}
	return doc.Content[0]
}

func findAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return n
	}
	for _, c := range n.Content {
		if bad := findAlias(c); bad != nil {
			return bad
		}
	}
	return nil
}

// Values holds the well-typed values of a checked mapping, by field name.
type Values struct {
	Keys   map[string]*yaml.Node
	Values map[string]*yaml.Node
}

// Map checks that n is a mapping holding only the declared fields, each of
// the right type, with every required field present. what names the
// mapping in messages ("front matter", "reference"). at is where a missing
// field is reported when n is empty.
func (c *Checker) Map(n *yaml.Node, fields []Field, what string, at *yaml.Node) Values {
	v := Values{Keys: map[string]*yaml.Node{}, Values: map[string]*yaml.Node{}}
	if n.Kind != yaml.MappingNode {
		c.Errorf(n, "%s must be a set of \"name: value\" fields", what)
		return v
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		// A page has a dozen fields of two dozen: a look down the list
		// costs less than a map made for each page.
		var f *Field
		for j := range fields {
			if fields[j].Name == key.Value {
				f = &fields[j]
				break
			}
		}
		if f == nil {
			names := make([]string, len(fields))
			for j := range fields {
				names[j] = fields[j].Name
			}
			c.Errorf(key, "unknown field %q%s", key.Value, diag.DidYouMean(key.Value, names))
			continue
		}
		if _, dup := v.Keys[key.Value]; dup {
			c.Errorf(key, "field %q is given twice", key.Value)
			continue
		}
		v.Keys[key.Value] = key
		if c.value(f, val) {
			v.Values[key.Value] = val
		}
	}
	for _, f := range fields {
		if !f.Required {
			continue
		}
		key, present := v.Keys[f.Name]
		switch {
		case !present:
			pos := at
			if pos == nil {
				pos = n
			}
			c.Errorf(pos, "missing required field %q", f.Name)
		case isEmpty(v.Values[f.Name]) && v.Values[f.Name] != nil:
			c.Errorf(key, "field %q is empty", f.Name)
			delete(v.Values, f.Name)
		}
	}
	return v
}

func isEmpty(n *yaml.Node) bool {
	if n == nil {
		return true
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return n.Tag == "!!null" || strings.TrimSpace(n.Value) == ""
	case yaml.SequenceNode, yaml.MappingNode:
		return len(n.Content) == 0
	}
	return false
}

// value checks one value against its field and reports whether it is usable.
func (c *Checker) value(f *Field, n *yaml.Node) bool {
	if n.Tag == "!!null" {
		if f.Required {
			return true // reported as empty by Map
		}
		return false
	}
	ok := true
	switch f.Type {
	case Text:
		ok = c.scalar(f, n) && c.inVocab(f, n)
	case Int:
		if ok = n.Kind == yaml.ScalarNode && n.Tag == "!!int"; !ok {
			c.typeError(f, n)
		}
	case Bool:
		if ok = n.Kind == yaml.ScalarNode && n.Tag == "!!bool"; !ok {
			c.typeError(f, n)
		}
	case Date:
		if ok = n.Kind == yaml.ScalarNode && validDate(n.Value); !ok {
			c.typeError(f, n)
		}
	case List, IntList:
		items := []*yaml.Node{n}
		if n.Kind == yaml.SequenceNode {
			items = n.Content
		}
		for _, it := range items {
			if f.Type == IntList {
				if it.Kind != yaml.ScalarNode || it.Tag != "!!int" {
					c.Errorf(it, "%q must be a list of whole numbers, not %s", f.Name, describe(it))
					ok = false
				}
				continue
			}
			if !c.scalar(&Field{Name: f.Name, Type: Text}, it) || !c.inVocab(f, it) {
				ok = false
			}
		}
	case Records:
		if n.Kind != yaml.SequenceNode {
			c.typeError(f, n)
			return false
		}
		for _, it := range n.Content {
			c.Map(it, f.Fields, fmt.Sprintf("each entry of %q", f.Name), it)
		}
	case Record:
		if n.Kind != yaml.MappingNode {
			c.typeError(f, n)
			return false
		}
		c.Map(n, f.Fields, fmt.Sprintf("%q", f.Name), n)
	}
	if ok && f.Check != nil {
		if msg := f.Check(n); msg != "" {
			c.Errorf(n, "%s", msg)
			ok = false
		}
	}
	return ok
}

func (c *Checker) scalar(f *Field, n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode {
		c.Errorf(n, "%q must be text, not %s", f.Name, describe(n))
		return false
	}
	return true
}

func (c *Checker) typeError(f *Field, n *yaml.Node) {
	c.Errorf(n, "%q must be %s, not %s", f.Name, typeNames[f.Type], describe(n))
}

func (c *Checker) inVocab(f *Field, n *yaml.Node) bool {
	if f.Vocab == "" || c.Vocab == nil {
		return true
	}
	keys, ok := c.Vocab.Keys(f.Vocab)
	if !ok {
		return true
	}
	for _, k := range keys {
		if k == n.Value {
			return true
		}
	}
	what := c.Vocab.Singular(f.Vocab)
	if s := diag.DidYouMean(n.Value, keys); s != "" {
		c.Errorf(n, "unknown %s %q%s", what, n.Value, s)
	} else {
		c.Errorf(n, "unknown %s %q: use one of %s, or add it to the %s list in content/site.yaml", what, n.Value, strings.Join(keys, ", "), f.Vocab)
	}
	return false
}

// describe names what a node is, for type errors.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a set of fields"
	}
	return strconv.Quote(n.Value)
}

func validDate(s string) bool {
	if len(s) != len("2006-01-02") {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// Strings returns the string values of a Text or List value.
func Strings(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}
	}
	out := make([]string, 0, len(n.Content))
	for _, it := range n.Content {
		out = append(out, it.Value)
	}
	return out
}

// Items returns the item nodes of a List value (a scalar is one item).
func Items(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.SequenceNode {
		return n.Content
	}
	return []*yaml.Node{n}
}

// Lookup returns the value node of key in a mapping node, or nil.
func Lookup(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
