package markdown

import "bytes"

// compact appends src, a page's HTML as goldmark and hjp's renderers write
// it with raw HTML off, to dst without the bytes an HTML minifier would
// take out of it for nothing:
//   - the newline written after a block element's tags, when it stands
//     between two tags of which one is a block element's (between inline
//     tags it is a space that shows, and stays);
//   - the quotes around attribute values that need none (no space, quote,
//     =, <, > or `), and the `=""` of an empty value;
//   - comments ("<!-- raw HTML omitted -->") and a "/" before a tag's ">";
//   - the escaping of " in text (&quot;), and of & where it needs none.
//
// Text and everything inside <pre> are otherwise copied as they are. Goldmark
// escapes <, >, & and " in text and in attribute values, which it always
// double-quotes, so in its output every < starts a tag or a comment. A
// tag that does not read as one (which such output never has) is copied
// as it is. Pages that opt into raw HTML (Input.RawHTML) can hold
// anything, and go through Renderer.Minify instead.
//
// At 10,000 pages the full minifier cost the build 0.8 CPU-seconds for
// what this does in a fifth of that; pages come out at most a few bytes
// larger (the minifier also trims a newline before a nested list).
func compact(dst *bytes.Buffer, src []byte) {
	dst.Grow(len(src))
	pre := 0          // depth of <pre> elements around the current byte
	afterTag := false // the last thing written was a tag
	lastBlock := false
	for i := 0; i < len(src); {
		switch c := src[i]; {
		case c == '<' && bytes.HasPrefix(src[i:], commentOpen):
			end := bytes.Index(src[i+len(commentOpen):], commentClose)
			if end < 0 {
				dst.Write(src[i:])
				return
			}
			// What was before the comment stays what the next byte
			// follows, for the newline rule.
			i += len(commentOpen) + end + len(commentClose)
		case c == '<':
			n, name, ok := writeTag(dst, src[i:])
			switch {
			case name == nil:
				// Not a tag: a "<" in text.
				dst.WriteByte(c)
				afterTag = false
				i++
				continue
			case !ok:
				// A tag that is not as goldmark writes them: copy it
				// to its end as it is.
				n = bytes.IndexByte(src[i:], '>') + 1
				if n == 0 {
					n = len(src) - i
				}
				dst.Write(src[i : i+n])
			}
			if string(name) == "pre" {
				if src[i+1] == '/' {
					pre = max(pre-1, 0)
				} else {
					pre++
				}
			}
			afterTag, lastBlock = true, blockElement(name)
			i += n
		case c == '\n' && pre == 0 && afterTag &&
			(i+1 == len(src) && lastBlock || i+1 < len(src) && src[i+1] == '<' && (lastBlock || blockElement(tagName(src[i+1:])))):
			i++
		default:
			// Text, to the next tag or newline.
			j := i + 1
			for j < len(src) && src[j] != '<' && src[j] != '\n' {
				j++
			}
			writeText(dst, src[i:j])
			afterTag = false
			i = j
		}
	}
}

var (
	commentOpen  = []byte("<!--")
	commentClose = []byte("-->")
	quot         = []byte("&quot;")
	amp          = []byte("&amp;")
)

// writeText writes text with each &quot; (goldmark escapes " in text
// too) as the " it stands for, and each &amp; as a bare & where what
// follows cannot be read as a character reference (a space, a
// punctuation mark); in text neither needs escaping then.
func writeText(dst *bytes.Buffer, text []byte) {
	for {
		k := bytes.IndexByte(text, '&')
		if k < 0 {
			dst.Write(text)
			return
		}
		dst.Write(text[:k])
		text = text[k:]
		switch {
		case bytes.HasPrefix(text, quot):
			dst.WriteByte('"')
			text = text[len(quot):]
		case bytes.HasPrefix(text, amp) && (len(text) == len(amp) || !isNameByte(text[len(amp)]) && text[len(amp)] != '#'):
			dst.WriteByte('&')
			text = text[len(amp):]
		default:
			dst.WriteByte('&')
			text = text[1:]
		}
	}
}

// writeTag writes the tag at the start of src compacted and returns its
// length in src and its name; ok is false (and nothing is written) when
// src does not start with a tag whose attribute values are all
// double-quoted, and name is nil when it does not start with a tag name.
func writeTag(dst *bytes.Buffer, src []byte) (n int, name []byte, ok bool) {
	name = tagName(src)
	if len(name) == 0 {
		return 0, nil, false
	}
	i := 1 + len(name) // after "<" and the name
	if src[1] == '/' {
		i++
	}
	mark := dst.Len()
	dst.Write(src[:i])
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i == len(src) {
			dst.Truncate(mark)
			return 0, name, false
		}
		switch src[i] {
		case '>':
			dst.WriteByte('>')
			return i + 1, name, true
		case '/':
			i++
			continue
		}
		at := i
		for i < len(src) && !isSpace(src[i]) && src[i] != '=' && src[i] != '>' && src[i] != '/' && src[i] != '"' && src[i] != '\'' {
			i++
		}
		if i == at {
			dst.Truncate(mark)
			return 0, name, false
		}
		dst.WriteByte(' ')
		dst.Write(src[at:i])
		if i == len(src) || src[i] != '=' {
			continue
		}
		if i+1 == len(src) || src[i+1] != '"' {
			dst.Truncate(mark)
			return 0, name, false
		}
		end := bytes.IndexByte(src[i+2:], '"')
		if end < 0 {
			dst.Truncate(mark)
			return 0, name, false
		}
		val := src[i+2 : i+2+end]
		switch {
		case len(val) == 0:
		case unquotable(val):
			dst.WriteByte('=')
			dst.Write(val)
		default:
			dst.Write(src[i : i+3+end])
		}
		i += 3 + end
	}
}

// tagName returns the name of the tag at the start of src ("p" for
// "</p>"), or nil.
func tagName(src []byte) []byte {
	i := 1
	if i < len(src) && src[i] == '/' {
		i++
	}
	start := i
	for i < len(src) && isNameByte(src[i]) {
		i++
	}
	return src[start:i]
}

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// unquotable reports whether an attribute value may be written without
// quotes: HTML ends an unquoted value at a space or >, and does not allow
// quotes, =, < or ` in one.
func unquotable(v []byte) bool {
	for _, c := range v {
		switch c {
		case ' ', '\t', '\n', '\r', '\f', '"', '\'', '=', '<', '>', '`':
			return false
		}
	}
	return true
}

// blockElement reports whether name (lower case, as goldmark writes it)
// is an element the whitespace around which does not show.
func blockElement(name []byte) bool {
	switch string(name) {
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
		"blockquote", "pre", "hr", "br", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
		"caption", "colgroup", "col", "div", "section", "aside", "nav", "figure", "figcaption",
		"details", "summary", "header", "footer", "main", "article", "address":
		return true
	}
	return false
}
