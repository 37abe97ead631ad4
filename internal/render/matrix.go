package render

import (
	"html/template"

	"hjp/internal/config"
)

// Matrix is a grid of findings: the evidence map (factors × settings) or
// the recommendations map (recommendations × audiences). Rows and columns
// come from the site's vocabularies and pages, so adding a factor or a
// setting to site.yaml adds a row or a column. Each cell holds the
// findings in it, strongest evidence first; the graphic draws one mark per
// finding, shaped by its strength, and labels each cell with the count
// and the strongest evidence, so nothing is told by colour alone.
type Matrix struct {
	// ID prefixes the element IDs of the figure ("evidence-map").
	ID string
	// Caption says what the figure shows; CaptionID is the ID of the
	// figcaption that names the graphic and the table.
	Caption   string
	CaptionID string
	// Corner heads the row labels ("Factor"); Across names the columns
	// ("Setting").
	Corner, Across string
	Rows, Cols     []Axis
	// Cells is row by row, one cell per column.
	Cells [][]Cell
	// Levels are the strengths of evidence, strongest first, with "not
	// rated" last when a finding in the map has no strength.
	Levels []Level
	// GapText says in the key what an empty box means; BlankText what a
	// blank (a cell outside the view) means, or "" when every cell is in
	// the view.
	GapText, BlankText string
	// LabelWidth is the width of the row labels in the graphic.
	LabelWidth int
	// Findings counts the distinct findings in the map.
	Findings int
	// TooMany, when not 0, is how many rows there would be: too many to
	// draw, so the map has none.
	TooMany int
}

// Axis is one row or column: a vocabulary value or a page.
type Axis struct {
	Key, Label string
	// URL is the page behind the label, or "" when there is none (a
	// value no finding has yet).
	URL string
	// Note is a second line under a row label ("3 findings").
	Note string
}

// Cell is one cell of a Matrix.
type Cell struct {
	// Applies is false for a cell outside the view, which is left blank.
	Applies bool
	// URL is the page listing the cell's findings, or "".
	URL   string
	Marks []Mark
	// Strongest is the strongest evidence among the marks, or nil when
	// the cell is empty.
	Strongest *Level
	// Name is the cell's accessible name and tooltip ("Referral and access
	// in hospitals: 3 findings, strongest: moderate").
	Name string
	// Label is the text drawn in the cell, the strongest evidence
	// ("Moderate"); the marks show how many findings there are. Text and
	// Detail are what the table shows ("3 findings", "Strongest:
	// moderate").
	Label, Text, Detail string
}

// Mark is one finding in a cell.
type Mark struct {
	ID, Title, URL string
	// Level indexes Matrix.Levels.
	Level int
}

// Level is one strength of evidence and the mark that stands for it.
type Level struct {
	Key, Label, Description string
	// Rank is 0 for the strongest; "not rated" ranks after every strength.
	Rank int
	// Glyph is the level's mark as a small standalone SVG, for the key.
	Glyph template.HTML
}

// notRated names the level of a finding without a strength.
const notRated = "Not rated"

// levels returns the strengths vocabulary as levels, strongest first, and
// a last level for findings without a strength.
func levels(v *config.Vocabulary) []Level {
	var out []Level
	if v != nil {
		for i, t := range v.Terms {
			out = append(out, Level{Key: t.Key, Label: t.Label, Description: t.Description, Rank: i})
		}
	}
	out = append(out, Level{Label: notRated, Description: "The finding does not rate the strength of its evidence.", Rank: len(out)})
	for i := range out {
		out[i].Glyph = glyph(out[i].Rank, len(out)-1)
	}
	return out
}

// used trims the levels to those that appear in the map, keeping every
// strength of the vocabulary (the key explains the whole scale) but
// dropping "not rated" when every finding is rated.
func (m *Matrix) used() {
	last := len(m.Levels) - 1
	for _, row := range m.Cells {
		for _, c := range row {
			for _, mk := range c.Marks {
				if mk.Level == last {
					return
				}
			}
		}
	}
	m.Levels = m.Levels[:last]
}

// Size counts the cells in the view.
func (m *Matrix) Size() int { return m.NonEmpty() + m.Empty() }

// NonEmpty counts the cells that hold findings.
func (m *Matrix) NonEmpty() int { return m.count(true) }

// Empty counts the cells in the view that hold no findings.
func (m *Matrix) Empty() int { return m.count(false) }

func (m *Matrix) count(full bool) int {
	n := 0
	for _, row := range m.Cells {
		for _, c := range row {
			if c.Applies && (len(c.Marks) > 0) == full {
				n++
			}
		}
	}
	return n
}

// TableRows pairs each row with its cells, for the table alternative.
func (m *Matrix) TableRows() []TableRow {
	out := make([]TableRow, len(m.Rows))
	for i, r := range m.Rows {
		out[i] = TableRow{Axis: r, Cells: m.Cells[i]}
	}
	return out
}

// TableRow is one row of a Matrix's table alternative.
type TableRow struct {
	Axis
	Cells []Cell
}
