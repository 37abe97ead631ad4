package jsonstr

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// encodingJSON is s as encoding/json writes it, HTML-escaped or not.
func encodingJSON(t *testing.T, s string, escapeHTML bool) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// TestAppend pins the escapes by example, so that a change in both this
// package and encoding/json would still be seen.
func TestAppend(t *testing.T) {
	for _, c := range []struct {
		in         string
		escapeHTML bool
		want       string
	}{
		{"", false, `""`},
		{`say "hi" \ bye`, false, `"say \"hi\" \\ bye"`},
		{"\b\f\n\r\t\x00\x1f\x7f", false, `"\b\f\n\r\t\u0000\u001f` + "\x7f" + `"`},
		{"<a&b>", false, `"<a&b>"`},
		{"<a&b>", true, `"\u003ca\u0026b\u003e"`},
		{"\u2028\u2029\u202a", false, `"\u2028\u2029` + "\u202a" + `"`},
		{"café 日本 😀 \ufffd", false, `"café 日本 😀 ` + "\ufffd" + `"`},
		{"a\xffb\xe2\x80", false, `"a\ufffdb\ufffd\ufffd"`},
	} {
		if got := Append([]byte("x"), c.in, c.escapeHTML); string(got) != "x"+c.want {
			t.Errorf("Append(%q, %v) = %s, want x%s", c.in, c.escapeHTML, got, c.want)
		}
	}
}

// FuzzAppend compares Append with encoding/json on any string, valid
// UTF-8 or not, in both modes.
func FuzzAppend(f *testing.F) {
	for _, s := range []string{
		"", "plain", `"quoted" \ back`, "\b\f\n\r\t\x00\x01\x1f\x7f", "<&>", "\u2028\u2029\u202a",
		"café ﬁ 日本語 😀", "\xff", "a\xe2\x80", "\xed\xa0\x80", "\ufffd",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, html := range []bool{false, true} {
			if got, want := Append(nil, s, html), encodingJSON(t, s, html); !bytes.Equal(got, want) {
				t.Fatalf("Append(%q, %v) = %q, want %q", s, html, got, want)
			}
		}
	})
}

// TestAppendEveryPosition puts every byte, and characters that need
// attention, at every position of plain text, so that each lane of the
// eight-byte test in plain8, and the text around it, is checked.
func TestAppendEveryPosition(t *testing.T) {
	var specials []string
	for b := range 256 {
		specials = append(specials, string([]byte{byte(b)}))
	}
	specials = append(specials, "é", "\u2028", "\u2029", "😀", "\ufffd")
	plain := strings.Repeat("abcdefgh", 3)
	for _, c := range specials {
		for i := 0; i <= len(plain); i++ {
			s := plain[:i] + c + plain[i:]
			for _, html := range []bool{false, true} {
				if got, want := Append(nil, s, html), encodingJSON(t, s, html); !bytes.Equal(got, want) {
					t.Fatalf("Append(%q, %v) = %q, want %q", s, html, got, want)
				}
			}
		}
	}
}

// BenchmarkAppend appends English text with a little punctuation that
// needs escaping, as page text has.
func BenchmarkAppend(b *testing.B) {
	s := strings.Repeat(`Advice workers in GP surgeries helped patients with "housing" debts, rent arrears and benefits — a win.`+"\n", 100)
	b.SetBytes(int64(len(s)))
	var dst []byte
	for b.Loop() {
		dst = Append(dst[:0], s, false)
	}
}
