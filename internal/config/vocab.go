package config

import (
	"gopkg.in/yaml.v3"

	"hjp/internal/schema"
)

// Term is one value of a vocabulary.
type Term struct {
	Key         string
	Label       string
	Description string
}

// Vocabulary is an ordered list of terms. The order is the editor's: it is
// the order of filters, evidence-map rows and columns, and taxonomy lists.
type Vocabulary struct {
	Name     string
	Singular string
	Terms    []Term
	index    map[string]int
}

// Has reports whether key is a term of v.
func (v *Vocabulary) Has(key string) bool {
	_, ok := v.index[key]
	return ok
}

// Term returns the term with key, and whether it exists.
func (v *Vocabulary) Term(key string) (Term, bool) {
	i, ok := v.index[key]
	if !ok {
		return Term{Key: key, Label: key}, false
	}
	return v.Terms[i], true
}

// Label returns the label of key, or key itself when unknown.
func (v *Vocabulary) Label(key string) string {
	t, _ := v.Term(key)
	return t.Label
}

// Rank returns the position of key in v, or len(v.Terms) when unknown, so
// values sort in the editor's order.
func (v *Vocabulary) Rank(key string) int {
	if i, ok := v.index[key]; ok {
		return i
	}
	return len(v.Terms)
}

// Keys returns the term keys in order.
func (v *Vocabulary) Keys() []string {
	out := make([]string, len(v.Terms))
	for i, t := range v.Terms {
		out[i] = t.Key
	}
	return out
}

// Vocabularies holds every vocabulary of the site by name.
type Vocabularies map[string]*Vocabulary

// Get returns the vocabulary name; an unknown name gives an empty one.
func (vs Vocabularies) Get(name string) *Vocabulary {
	if v, ok := vs[name]; ok {
		return v
	}
	return &Vocabulary{Name: name, Singular: name}
}

// Keys implements schema.Vocabulary.
func (vs Vocabularies) Keys(name string) ([]string, bool) {
	v, ok := vs[name]
	if !ok {
		return nil, false
	}
	return v.Keys(), true
}

// Singular implements schema.Vocabulary.
func (vs Vocabularies) Singular(name string) string { return vs.Get(name).Singular }

func vocabularies(c *schema.Checker, n *yaml.Node) Vocabularies {
	vs := Vocabularies{}
	for _, vn := range VocabNames {
		v := &Vocabulary{Name: vn.Name, Singular: vn.Singular, index: map[string]int{}}
		vs[vn.Name] = v
		list := schema.Lookup(n, vn.Name)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, it := range list.Content {
			t := Term{}
			if k := schema.Lookup(it, "key"); k != nil {
				t.Key = k.Value
			}
			if l := schema.Lookup(it, "label"); l != nil {
				t.Label = l.Value
			}
			if d := schema.Lookup(it, "description"); d != nil {
				t.Description = d.Value
			}
			if t.Key == "" {
				continue
			}
			if _, dup := v.index[t.Key]; dup {
				c.Errorf(schema.Lookup(it, "key"), "%s %q is listed twice", vn.Singular, t.Key)
				continue
			}
			v.index[t.Key] = len(v.Terms)
			v.Terms = append(v.Terms, t)
		}
	}
	return vs
}
