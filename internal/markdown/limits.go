package markdown

import "hjp/internal/diag"

// Limits on the shape of a page's Markdown. goldmark's time grows much
// faster than linearly with nesting (1,000 indented list levels, or 10,000
// list markers on one line, take seconds), so a pasted or generated page
// could stall every build and every preview. Real pages never come near.
const (
	// MaxNesting is the widest run, in columns, of indentation, list
	// markers and quote markers that may start a line.
	MaxNesting = 96
	// MaxQuoteDepth is the most blockquote markers (">") a line may open.
	MaxQuoteDepth = 32
)

// checkLimits reports the first line nested beyond the limits. It returns
// false when the page must not be parsed.
func (s *state) checkLimits(body []byte) bool {
	lineStart := 0
	for lineStart < len(body) {
		cols, quotes, i := containerPrefix(body, lineStart)
		switch {
		case quotes > MaxQuoteDepth:
			s.diags.Add(s.in.File.AtOffset(diag.Error, s.in.Offset+lineStart,
				"line opens %d quote levels, more than hjp allows (%d)", quotes, MaxQuoteDepth))
			return false
		case cols > MaxNesting:
			s.diags.Add(s.in.File.AtOffset(diag.Error, s.in.Offset+lineStart,
				"line starts with %d columns of indentation and list or quote markers, more than hjp allows (%d): lists nest this deep only by mistake", cols, MaxNesting))
			return false
		}
		for i < len(body) && body[i] != '\n' {
			i++
		}
		lineStart = i + 1
	}
	return true
}

// containerPrefix measures the run of spaces, tabs, quote markers and list
// markers ("- ", "* ", "+ ", "12. ", "3) ") at the start of a line.
func containerPrefix(b []byte, i int) (cols, quotes, end int) {
	for i < len(b) {
		switch c := b[i]; {
		case c == ' ':
			cols++
			i++
		case c == '\t':
			cols += 4 - cols%4
			i++
		case c == '>':
			quotes++
			cols++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(b) && (b[i+1] == ' ' || b[i+1] == '\t'):
			cols++
			i++
		case '0' <= c && c <= '9':
			j := i
			for j < len(b) && j-i < 9 && '0' <= b[j] && b[j] <= '9' {
				j++
			}
			if j+1 < len(b) && (b[j] == '.' || b[j] == ')') && (b[j+1] == ' ' || b[j+1] == '\t') {
				cols += j + 1 - i
				i = j + 1
				continue
			}
			return cols, quotes, i
		default:
			return cols, quotes, i
		}
	}
	return cols, quotes, i
}
