package markdown

import "hjp/internal/diag"

// Limits on the shape of a page's Markdown. goldmark's time grows much
// faster than linearly with list nesting (1,000 indented levels take
// seconds), so a pasted or generated page could stall every build and every
// preview. Real pages never come near these.
const (
	// MaxIndent is the deepest leading indentation, in columns, of a line.
	MaxIndent = 96
	// MaxQuoteDepth is the most blockquote markers (">") a line may open.
	MaxQuoteDepth = 32
)

// checkLimits reports the first line whose nesting is beyond the limits.
// It returns false when the page must not be parsed.
func (s *state) checkLimits(body []byte) bool {
	lineStart := 0
	for lineStart < len(body) {
		cols, quotes, i := 0, 0, lineStart
	scan:
		for ; i < len(body); i++ {
			switch body[i] {
			case ' ':
				cols++
			case '\t':
				cols += 4 - cols%4
			case '>':
				quotes++
				cols++
			default:
				break scan
			}
		}
		switch {
		case cols > MaxIndent && quotes == 0:
			s.diags.Add(s.in.File.AtOffset(diag.Error, s.in.Offset+lineStart,
				"line is indented %d columns, more than hjp allows (%d): lists and code nest this deep only by mistake", cols, MaxIndent))
			return false
		case quotes > MaxQuoteDepth:
			s.diags.Add(s.in.File.AtOffset(diag.Error, s.in.Offset+lineStart,
				"line opens %d quote levels, more than hjp allows (%d)", quotes, MaxQuoteDepth))
			return false
		}
		for i < len(body) && body[i] != '\n' {
			i++
		}
		lineStart = i + 1
	}
	return true
}
