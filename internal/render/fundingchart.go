package render

import (
	"cmp"
	"html/template"
	"strings"

	"hjp/internal/content"
	"hjp/internal/site"
)

// FundingChart compares the funding models at a glance: who pays, the
// typical length of funding (a bar on a common scale of years where the
// model gives duration_months) and the risk to the partnership's
// continuity (a scale of boxes with its label, so not by colour alone).
type FundingChart struct {
	// CaptionID is the ID of the figcaption naming the chart and table.
	CaptionID string
	Caption   string
	Rows      []FundingBar
	// Years is the length of the duration scale.
	Years int
	// Risks are the risk levels, lowest first.
	Risks []string
}

// FundingBar is one funding model in the chart.
type FundingBar struct {
	Title, URL string
	// Payer says who pays; Duration is the model's own words on how long.
	Payer, Duration string
	// Min and Max are the typical duration in months, 0 when not given.
	Min, Max int
	// Range says the duration in words ("1 to 5 years"), or "".
	Range string
	// Risk is the risk label, RiskLevel its place on the scale (1 =
	// lowest, 0 when not given).
	Risk      string
	RiskLevel int
}

// FundingChart returns the comparison of the funding models, or nil when
// this is not the funding report's overview or the site has none.
func (v *View) FundingChart() *FundingChart {
	if v.Page == nil || v.Page != v.G.Sections["funding"] {
		return nil
	}
	return NewFundingChart(v.G)
}

// NewFundingChart prepares the comparison of the site's funding models,
// in their order in the report; nil when there are none.
func NewFundingChart(g *site.Graph) *FundingChart {
	models := g.OfKind(content.KindFundingModel)
	if len(models) == 0 {
		return nil
	}
	risks := g.Site.Vocab.Get("risks")
	fc := &FundingChart{CaptionID: "funding-chart-caption", Years: 1}
	for _, t := range risks.Terms {
		fc.Risks = append(fc.Risks, t.Label)
	}
	for _, p := range models {
		m := &p.Meta
		b := FundingBar{Title: m.Title, URL: p.URL, Payer: m.Payer, Duration: m.Duration}
		if d := m.DurationMonths; len(d) == 2 {
			b.Min, b.Max = d[0], d[1]
			b.Range = monthsRange(b.Min, b.Max)
			fc.Years = max(fc.Years, (b.Max+11)/12)
		}
		if m.Risk != "" {
			b.Risk = risks.Label(m.Risk)
			b.RiskLevel = risks.Rank(m.Risk) + 1
		}
		fc.Rows = append(fc.Rows, b)
	}
	fc.Caption = "The funding models compared: who pays, the typical length of funding where the sources give one, and the risk to the partnership's continuity."
	return fc
}

// monthsRange says a duration range in words: whole years as years,
// otherwise months.
func monthsRange(lo, hi int) string {
	unit := func(n int) string {
		if n%12 == 0 {
			return plural(n/12, "year", "years")
		}
		return plural(n, "month", "months")
	}
	if lo == hi {
		return unit(lo)
	}
	if lo%12 == 0 && hi%12 == 0 {
		return itoa(lo/12) + " to " + plural(hi/12, "year", "years")
	}
	return itoa(lo) + " to " + plural(hi, "month", "months")
}

// Geometry of the funding chart.
const (
	fcTitleW = 250 // the model and who pays
	fcGap    = 24
	fcAxisW  = 300 // the duration scale
	fcRiskW  = 140
	fcHeadH  = 44
)

// SVG draws the chart: a row per model with its name (a link to its page)
// and who pays, its duration as a bar on a scale of years, and its risk
// as filled boxes with a label.
func (fc *FundingChart) SVG() template.HTML {
	var w svgWriter
	axisX := mxPad + fcTitleW + fcGap
	riskX := axisX + fcAxisW + fcGap
	width := riskX + fcRiskW + mxPad
	type rowText struct{ title, payer, dur []string }
	texts := make([]rowText, len(fc.Rows))
	heights := make([]int, len(fc.Rows))
	height := fcHeadH + mxPad
	for i, b := range fc.Rows {
		t := rowText{title: wrap(b.Title, fcTitleW, fontLabel)}
		if b.Payer != "" {
			t.payer = wrap("Paid by: "+b.Payer, fcTitleW, fontSmall)
		}
		if b.Range == "" {
			t.dur = wrap("No range given: "+strings.TrimSuffix(cmp.Or(b.Duration, "not known"), "."), fcAxisW, fontSmall)
		}
		texts[i] = t
		h := len(t.title)*mxLine + len(t.payer)*(mxLine-2) + 20
		h = max(h, len(t.dur)*(mxLine-2)+20, 56)
		heights[i] = h
		height += h
	}
	height += mxPad
	w.open("svg", "class", "svg-matrix svg-funding", "id", "funding-chart-svg", "viewBox", "0 0 "+itoa(width)+" "+itoa(height),
		"width", itoa(width), "height", itoa(height), "role", "group", "aria-labelledby", fc.CaptionID)

	// Column heads and the scale of years.
	unit := fcAxisW / fc.Years
	w.open("g", "aria-hidden", "true")
	w.text("svg-label svg-axis", mxPad, mxPad+14, mxLine, []string{"Funding model and who pays"})
	w.text("svg-label svg-axis", axisX, mxPad+14, mxLine, []string{"Typical duration, years"})
	w.text("svg-label svg-axis", riskX, mxPad+14, mxLine, []string{"Risk to continuity"})
	for y := 0; y <= fc.Years; y++ {
		x := axisX + y*unit
		w.text("svg-small svg-middle svg-tick", x, fcHeadH-4, mxLine, []string{itoa(y)})
		w.empty("line", "class", "svg-grid svg-scale", "x1", itoa(x), "y1", itoa(fcHeadH+2), "x2", itoa(x), "y2", itoa(height-mxPad))
	}
	w.close("g")

	y := fcHeadH + mxPad
	for i, b := range fc.Rows {
		h, t := heights[i], texts[i]
		w.empty("line", "class", "svg-grid", "x1", itoa(mxPad), "y1", itoa(y), "x2", itoa(width-mxPad), "y2", itoa(y), "aria-hidden", "true")
		// The model, a link to its page, and who pays.
		ty := y + 18
		w.open("a", "class", "svg-head svg-link", "href", b.URL, "aria-label", b.Title)
		w.rect("svg-link-bg", mxPad-4, y+3, fcTitleW+4, len(t.title)*mxLine+6)
		w.text("svg-label svg-strong", mxPad, ty, mxLine, t.title)
		w.close("a")
		if len(t.payer) > 0 {
			w.text("svg-small svg-note", mxPad, ty+len(t.title)*mxLine, mxLine-2, t.payer)
		}
		// The duration.
		mid := y + h/2
		if b.Range != "" {
			name := "Typical duration: " + b.Range
			w.open("g", "role", "img", "aria-label", name)
			w.title(name + ". " + b.Duration)
			x0, x1 := axisX+b.Min*unit/12, axisX+b.Max*unit/12
			w.rect("svg-bar", x0, mid-7, max(x1-x0, 4), 14)
			w.empty("line", "class", "svg-bar-end", "x1", itoa(x0), "y1", itoa(mid-11), "x2", itoa(x0), "y2", itoa(mid+11))
			w.empty("line", "class", "svg-bar-end", "x1", itoa(x1), "y1", itoa(mid-11), "x2", itoa(x1), "y2", itoa(mid+11))
			// The label goes after the bar, or above it where it would run
			// into the risk column.
			lx, ly := x1+8, mid+4
			if x1+8+textWidth(b.Range, fontSmall) > axisX+fcAxisW+fcGap {
				lx, ly = x0, mid-13
			}
			w.text("svg-small svg-count", lx, ly, mxLine, []string{b.Range})
			w.close("g")
		} else {
			w.text("svg-small svg-note svg-italic", axisX, mid+4-(len(t.dur)-1)*(mxLine-2)/2, mxLine-2, t.dur)
		}
		// The risk.
		if b.RiskLevel > 0 {
			name := "Risk to continuity: " + lowerFirst(b.Risk)
			w.open("g", "role", "img", "aria-label", name)
			w.title(name)
			for k := range fc.Risks {
				class := "svg-step"
				if k < b.RiskLevel {
					class += " svg-step-on"
				}
				w.rect(class, riskX+k*18, mid-8, 14, 14)
			}
			w.text("svg-label svg-count", riskX+len(fc.Risks)*18+6, mid+4, mxLine, []string{b.Risk})
			w.close("g")
		} else {
			w.text("svg-small svg-note", riskX, mid+4, mxLine, []string{"Not known"})
		}
		y += h
	}
	w.empty("line", "class", "svg-grid", "x1", itoa(mxPad), "y1", itoa(y), "x2", itoa(width-mxPad), "y2", itoa(y), "aria-hidden", "true")
	w.close("svg")
	return template.HTML(w.String())
}
