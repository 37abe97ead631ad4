package render

import (
	"html/template"
	"strings"
)

// Geometry of the matrix graphic, in SVG user units.
const (
	mxPad      = 8   // margin round the graphic
	mxColW     = 108 // width of a column
	mxLine     = 17  // line height of labels
	mxMinRowH  = 64  // least height of a row
	mxStep     = 16  // distance between marks
	mxPerRow   = 5   // marks on one line of a cell
	mxMaxMarks = 10  // marks drawn before the rest are counted as "+n"
	mxMarkR    = 6   // half the size of a mark
)

// mark draws a strength mark centred on (cx, cy), r half its size. Each
// strength has its own shape and fill, so the marks can be told apart in
// greyscale, in print and without colour vision: the strongest filled,
// weaker ones outlined. The last rank, notRank, is "not rated".
func mark(w *svgWriter, rank, notRank, cx, cy, r int, title string) {
	class := "svg-mark svg-mark-" + itoa(min(rank, 5))
	shape := rank
	if rank == notRank {
		class, shape = "svg-mark svg-mark-none", -1
	}
	x, y := itoa(cx), itoa(cy)
	// Polygons, not paths: the page's minifier rewrites path data but
	// leaves points alone, so the published map is the one tested.
	poly := func(d ...int) []string {
		var b strings.Builder
		for i := 0; i+1 < len(d); i += 2 {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(itoa(cx + d[i]))
			b.WriteByte(' ')
			b.WriteString(itoa(cy + d[i+1]))
		}
		return []string{"points", b.String()}
	}
	tag, attrs := "polygon", []string(nil)
	switch shape {
	case 0: // filled circle
		tag, attrs = "circle", []string{"cx", x, "cy", y, "r", itoa(r)}
	case 1: // filled diamond
		d := r + 1
		attrs = poly(0, -d, d, 0, 0, d, -d, 0)
	case 2: // outlined triangle
		attrs = poly(0, -r, r+1, r, -r-1, r)
	case 3: // outlined square
		s := r - 1
		attrs = poly(-s, -s, s, -s, s, s, -s, s)
	case 4: // outlined diamond
		attrs = poly(0, -r, r, 0, 0, r, -r, 0)
	case -1: // not rated: a small ring
		tag, attrs = "circle", []string{"cx", x, "cy", y, "r", itoa(r - 2)}
	default: // a filled plus
		s, t := r, 2
		attrs = poly(-t, -s, t, -s, t, -t, s, -t, s, t, t, t, t, s, -t, s, -t, t, -s, t, -s, -t, -t, -t)
	}
	attrs = append([]string{"class", class}, attrs...)
	if title == "" {
		w.empty(tag, attrs...)
		return
	}
	w.open(tag, attrs...)
	w.title(title)
	w.close(tag)
}

// glyph is a level's mark on its own, for the key.
func glyph(rank, notRank int) template.HTML {
	var w svgWriter
	w.open("svg", "class", "svg-glyph", "viewBox", "0 0 20 20", "width", "20", "height", "20", "aria-hidden", "true", "focusable", "false")
	mark(&w, rank, notRank, 10, 10, mxMarkR, "")
	w.close("svg")
	return template.HTML(w.String())
}

// GapGlyph is the key's picture of an empty cell.
func (m *Matrix) GapGlyph() template.HTML {
	var w svgWriter
	w.open("svg", "class", "svg-glyph", "viewBox", "0 0 28 20", "width", "28", "height", "20", "aria-hidden", "true", "focusable", "false")
	w.rect("svg-gap-bg", 1, 1, 26, 18)
	w.close("svg")
	return template.HTML(w.String())
}

// bgClass is the background of a cell: tinted by its strongest evidence,
// as a second cue beside the marks and the label.
func bgClass(c Cell) string {
	if c.Strongest == nil || c.Strongest.Label == notRated {
		return "svg-cell-bg"
	}
	return "svg-cell-bg svg-bg-" + itoa(min(c.Strongest.Rank, 3))
}

// SVG draws the matrix: column labels across the top, row labels down the
// left, and each cell's marks. Cells with a page are links to it, row and
// column labels link to their own pages, and every cell, empty or not,
// has an accessible name.
func (m *Matrix) SVG() template.HTML {
	var w svgWriter
	notRank := len(m.Levels) - 1
	if len(m.Levels) == 0 || m.Levels[notRank].Label != notRated {
		notRank = -2 // every finding is rated
	}
	labelW := m.LabelWidth
	colLines := make([][]string, len(m.Cols))
	headLines := 1
	for i, c := range m.Cols {
		colLines[i] = wrap(c.Label, mxColW-10, fontLabel)
		headLines = max(headLines, len(colLines[i]))
	}
	top := mxPad + 22 // the line that names the columns
	headH := headLines*mxLine + 12
	rowLines := make([][]string, len(m.Rows))
	rowH := make([]int, len(m.Rows))
	height := top + headH
	for i, r := range m.Rows {
		rowLines[i] = wrap(r.Label, labelW-16, fontLabel)
		h := len(rowLines[i])*mxLine + 18
		if r.Note != "" {
			h += mxLine - 2
		}
		rowH[i] = max(mxMinRowH, h)
		height += rowH[i]
	}
	width := labelW + len(m.Cols)*mxColW + mxPad
	height += mxPad
	w.open("svg", "class", "svg-matrix", "id", m.ID+"-svg", "viewBox", "0 0 "+itoa(width)+" "+itoa(height),
		"width", itoa(width), "height", itoa(height), "role", "group", "aria-labelledby", m.CaptionID)

	// What the rows and columns are.
	w.open("g", "aria-hidden", "true")
	w.text("svg-label svg-axis svg-middle", labelW+len(m.Cols)*mxColW/2, mxPad+14, mxLine, []string{m.Across + " →"})
	w.text("svg-label svg-axis", mxPad, top+headH-10, mxLine, []string{m.Corner + " ↓"})
	w.close("g")

	// Column labels, bottom-aligned above their columns.
	for i, c := range m.Cols {
		x := labelW + i*mxColW
		lines := colLines[i]
		y := top + headH - 10 - (len(lines)-1)*mxLine
		m.label(&w, c, x+2, top, mxColW-4, headH-4, func() {
			w.text("svg-label svg-middle", x+mxColW/2, y, mxLine, lines)
		})
	}

	y := top + headH
	for i, r := range m.Rows {
		h := rowH[i]
		w.empty("line", "class", "svg-grid", "x1", itoa(mxPad), "y1", itoa(y), "x2", itoa(width-mxPad), "y2", itoa(y), "aria-hidden", "true")
		lines := rowLines[i]
		ty := y + (h-len(lines)*mxLine-boolInt(r.Note != "")*(mxLine-2))/2 + 13
		m.label(&w, r, mxPad-4, ty-15, labelW-mxPad, len(lines)*mxLine+6, func() {
			w.text("svg-label", mxPad, ty, mxLine, lines)
		})
		// The note is outside the link, whose name is its label.
		if r.Note != "" {
			w.text("svg-small svg-note", mxPad, ty+len(lines)*mxLine-2, mxLine, []string{r.Note}, "aria-hidden", "true")
		}
		for j, c := range m.Cells[i] {
			m.cell(&w, c, labelW+j*mxColW, y, h, notRank)
		}
		y += h
	}
	w.empty("line", "class", "svg-grid", "x1", itoa(mxPad), "y1", itoa(y), "x2", itoa(width-mxPad), "y2", itoa(y), "aria-hidden", "true")
	w.close("svg")
	return template.HTML(w.String())
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// label draws a row or column label, as a link when it has a page. The
// rectangle behind it shows focus.
func (m *Matrix) label(w *svgWriter, a Axis, x, y, width, height int, text func()) {
	if a.URL == "" {
		w.open("g", "class", "svg-head")
		text()
		w.close("g")
		return
	}
	w.open("a", "class", "svg-head svg-link", "href", a.URL, "aria-label", a.Label)
	w.rect("svg-link-bg", x, y, width, height)
	text()
	w.close("a")
}

// cell draws one cell at (x, y): its background, its marks and its label.
func (m *Matrix) cell(w *svgWriter, c Cell, x, y, h, notRank int) {
	if !c.Applies {
		return
	}
	if len(c.Marks) == 0 {
		w.open("g", "class", "svg-gap", "role", "img", "aria-label", c.Name)
		w.title(c.Name)
		w.rect("svg-gap-bg", x+4, y+4, mxColW-8, h-8)
		w.close("g")
		return
	}
	if c.URL != "" {
		w.open("a", "class", "svg-cell svg-link", "href", c.URL, "aria-label", c.Name)
	} else {
		w.open("g", "class", "svg-cell", "role", "img", "aria-label", c.Name)
	}
	w.title(c.Name)
	w.rect(bgClass(c), x+2, y+2, mxColW-4, h-4)
	w.open("g", "aria-hidden", "true")
	shown := len(c.Marks)
	more := 0
	if shown > mxMaxMarks {
		shown, more = mxMaxMarks-1, len(c.Marks)-(mxMaxMarks-1)
	}
	slots := shown + boolInt(more > 0)
	lines := (slots + mxPerRow - 1) / mxPerRow
	block := lines*mxStep + 16
	cy := y + (h-block)/2 + mxStep/2
	for k := 0; k < slots; k += mxPerRow {
		n := min(mxPerRow, slots-k)
		cx := x + mxColW/2 - (n-1)*mxStep/2
		for i := range n {
			if k+i < shown {
				mk := c.Marks[k+i]
				mark(w, m.Levels[mk.Level].Rank, notRank, cx+i*mxStep, cy, mxMarkR, mk.ID+": "+mk.Title+" ("+strings.ToLower(m.Levels[mk.Level].Label)+")")
				continue
			}
			// More findings than fit: three dots, and the count in the
			// tooltip and the name.
			w.open("g", "class", "svg-more")
			w.title(itoa(more) + " more")
			for d := -4; d <= 4; d += 4 {
				w.empty("circle", "class", "svg-mark svg-mark-0", "cx", itoa(cx+i*mxStep+d), "cy", itoa(cy), "r", "1")
			}
			w.close("g")
		}
		cy += mxStep
	}
	// The label is the strongest evidence; the marks show how many. The
	// cell's name says both, and contains the label, so what a speech user
	// reads out matches the link (WCAG 2.5.3).
	w.text("svg-small svg-middle svg-count", x+mxColW/2, cy-mxStep/2+14, mxLine, []string{c.Label})
	w.close("g")
	if c.URL != "" {
		w.close("a")
	} else {
		w.close("g")
	}
}

// MiniSVG draws the matrix small, for the home page: one square per cell,
// tinted and marked with its strongest evidence, gaps dashed. It is a
// picture inside a link whose text says what it shows, so it is hidden
// from screen readers.
func (m *Matrix) MiniSVG() template.HTML {
	const cw, ch, gap = 22, 16, 3
	notRank := len(m.Levels) - 1
	if len(m.Levels) == 0 || m.Levels[notRank].Label != notRated {
		notRank = -2
	}
	width := len(m.Cols)*(cw+gap) + gap
	height := len(m.Rows)*(ch+gap) + gap
	var w svgWriter
	w.open("svg", "class", "svg-matrix svg-mini", "viewBox", "0 0 "+itoa(width)+" "+itoa(height),
		"width", itoa(width), "height", itoa(height), "aria-hidden", "true", "focusable", "false")
	for i, row := range m.Cells {
		for j, c := range row {
			x, y := gap+j*(cw+gap), gap+i*(ch+gap)
			switch {
			case !c.Applies:
			case len(c.Marks) == 0:
				w.rect("svg-gap-bg", x, y, cw, ch)
			default:
				w.rect(bgClass(c), x, y, cw, ch)
				mark(&w, c.Strongest.Rank, notRank, x+cw/2, y+ch/2, 5, "")
			}
		}
	}
	w.close("svg")
	return template.HTML(w.String())
}
