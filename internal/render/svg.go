package render

import (
	"bytes"
	"html"
	"strconv"
	"strings"
	"unicode"
)

// The graphics (evidence map, recommendations map, funding chart) are SVG
// written here, at build time, and inlined in the page: the site's
// stylesheet styles them through classes (there are no style attributes,
// no <style> elements and no colours in the markup, so the strict CSP
// holds and dark mode and print come from the theme's custom properties),
// and links inside them are ordinary links that work without JavaScript.
//
// Text in SVG does not wrap, so labels are wrapped here from an estimate
// of their width. The font sizes below must match the classes in
// themes/default/assets/css/evidence-map.css.

const (
	// fontLabel is the size of axis labels (.svg-label), fontSmall of cell
	// labels and notes (.svg-small), in SVG user units.
	fontLabel = 14
	fontSmall = 12
	// charWidth is the average advance of a character of the theme's
	// system sans-serif fonts, as a fraction of the font size. It errs
	// wide so wrapped labels never run into the next column.
	charWidth = 0.6
)

// svgWriter writes SVG markup. Numbers are integers, so output is
// byte-identical on every platform.
type svgWriter struct {
	bytes.Buffer
}

// esc escapes text for an SVG element or a double-quoted attribute.
func esc(s string) string { return html.EscapeString(s) }

func itoa(n int) string { return strconv.Itoa(n) }

// open writes a start tag with attributes given as name, value pairs;
// empty values are left out. The writer puts no whitespace between
// elements: the minifier would drop it, and the published page would then
// differ from the one the tests read.
func (w *svgWriter) open(tag string, attrs ...string) {
	w.WriteByte('<')
	w.WriteString(tag)
	w.attrs(attrs)
	w.WriteByte('>')
}

// empty writes a self-closing element.
func (w *svgWriter) empty(tag string, attrs ...string) {
	w.WriteByte('<')
	w.WriteString(tag)
	w.attrs(attrs)
	w.WriteString("/>")
}

func (w *svgWriter) attrs(attrs []string) {
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		w.WriteByte(' ')
		w.WriteString(attrs[i])
		w.WriteString(`="`)
		w.WriteString(esc(attrs[i+1]))
		w.WriteByte('"')
	}
}

func (w *svgWriter) close(tag string) {
	w.WriteString("</")
	w.WriteString(tag)
	w.WriteByte('>')
}

// title writes a <title> child: the tooltip a mouse user sees on hover.
func (w *svgWriter) title(s string) {
	w.WriteString("<title>")
	w.WriteString(esc(s))
	w.WriteString("</title>")
}

// text writes lines of text, the first baseline at y, each line height
// apart. Each line is a tspan, and a no-break space in a tspan of its own
// separates them, so the element's text reads as words (for screen
// readers, find in page, copy and paste) rather than running the lines
// together. A plain space would not do: the SVG minifier drops whitespace
// between tspans. The separator sits at the end of a line, where it draws
// nothing, and links do not underline it.
func (w *svgWriter) text(class string, x, y, height int, lines []string, attrs ...string) {
	w.open("text", append([]string{"class", class, "x", itoa(x), "y", itoa(y)}, attrs...)...)
	for i, l := range lines {
		if i == 0 {
			w.open("tspan")
		} else {
			w.WriteString(`<tspan class="svg-sep">&#160;</tspan>`)
			w.open("tspan", "x", itoa(x), "dy", itoa(height))
		}
		w.WriteString(esc(l))
		w.close("tspan")
	}
	w.close("text")
}

// rect writes a rectangle.
func (w *svgWriter) rect(class string, x, y, width, height int) {
	w.empty("rect", "class", class, "x", itoa(x), "y", itoa(y), "width", itoa(width), "height", itoa(height))
}

// wrap breaks s into lines of at most width user units at the given font
// size, between words. A word longer than a line gets a line of its own.
func wrap(s string, width, font int) []string {
	maxChars := max(1, int(float64(width)/(charWidth*float64(font))))
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case len([]rune(line))+1+len([]rune(word)) <= maxChars:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// textWidth estimates the width of s at a font size.
func textWidth(s string, font int) int {
	return int(float64(len([]rune(s)))*charWidth*float64(font) + 0.5)
}

// lowerFirst lower-cases a label's first letter for use inside a
// sentence ("Hospitals" → "hospitals"), leaving acronyms ("NHS trusts")
// alone.
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 || (len(r) > 1 && unicode.IsUpper(r[1])) {
		return s
	}
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// plural returns "1 finding" or "3 findings".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}
