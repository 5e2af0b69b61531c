package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"intakekiosk/screening"
	"intakekiosk/trend"
)

// Measure is one instrument scored at one of the patient's visits: the
// screening's PHQ-9, a check-in's PHQ-9 or BAM. The check-in report
// charts them over time.
type Measure struct {
	At     time.Time
	Result screening.Result
}

// The instruments the measures chart draws, by id in the built-in files.
const (
	phq9ID = "phq9"
	bamID  = "bam"
)

// ReliablePoints is the change of a PHQ-9 total from the patient's first
// that counts as reliable (the Jacobson-Truax style criterion: 5
// points or more).
const ReliablePoints = 5

// ReliableChange says how a PHQ-9 total stands to the first one: -1 down
// ReliablePoints or more (a reliable improvement), +1 up as much (a
// reliable worsening), 0 neither.
func ReliableChange(first, total int) int {
	switch {
	case first-total >= ReliablePoints:
		return -1
	case total-first >= ReliablePoints:
		return 1
	}
	return 0
}

// Series colours of the measures (BAM's three scores apart in hue and
// darkness, as the daily charts' are).
var (
	useInk        = rgb{178, 24, 24}
	riskInk       = rgb{20, 20, 20}
	protectiveInk = rgb{40, 100, 180}
	betterInk     = rgb{30, 120, 60}
)

// scoredMeasures are the scored results of one instrument, oldest first.
func (p *patientDoc) scoredMeasures(id string) (out []Measure, unscored int) {
	for _, m := range p.pin.Measures {
		switch {
		case m.Result.Instrument == nil || m.Result.Instrument.ID != id || m.Result.Skipped:
		case !m.Result.Scored && id == phq9ID:
			unscored++
		default:
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b Measure) int { return a.At.Compare(b.At) })
	return out, unscored
}

// measures draws the PHQ-9 and the BAM over time, when the patient has
// either: the PHQ-9 on its bands with each reliable change from the first
// marked, and the band reached; the BAM's Use, Risk and Protective. It
// returns the y below.
func (p *patientDoc) measures(y float64) float64 {
	phq, unscored := p.scoredMeasures(phq9ID)
	bam, _ := p.scoredMeasures(bamID)
	if len(phq) == 0 && len(bam) == 0 && unscored == 0 {
		return y
	}
	all := append(slices.Clone(phq), bam...)
	slices.SortStableFunc(all, func(a, b Measure) int { return a.At.Compare(b.At) })
	var day0 time.Time
	days := 7.0
	if len(all) > 0 {
		day0 = trend.Day(all[0].At, p.loc)
		days = max(days, daysFrom(day0, all[len(all)-1].At, p.loc)+1)
	}
	if len(phq) > 0 || unscored > 0 {
		y = p.phqChart(y+4, phq, unscored, day0, days)
	}
	if len(bam) > 0 {
		y = p.bamChart(y+4, bam, day0, days)
	}
	return y
}

// phqChart draws the PHQ-9 totals by day on the PHQ-9's bands.
func (p *patientDoc) phqChart(y float64, phq []Measure, unscored int, day0 time.Time, days float64) float64 {
	d := p.doc
	const plotH = 30.0
	y = d.need(y, plotH+26)
	y = p.chartTitle(marginL, y, contW, p.T("staff.pdf.measures_phq9_title"), p.T("staff.pdf.measures_phq9_aside", ReliablePoints))
	pl := plot{d: d, x: marginL + 11, y: y + 5.5, w: contW - 13 - 24, h: plotH, x0: 0, x1: days, y0: 0, y1: 27}
	var bands []screening.Band
	if len(phq) > 0 && phq[0].Result.Instrument.Scoring != nil {
		bands = phq[0].Result.Instrument.Scoring.Bands
	}
	for _, b := range bands {
		top, bot := pl.py(float64(b.Max)+1), pl.py(float64(b.Min))
		if b.Max >= 27 {
			top = pl.y
		}
		d.box(pl.x, top, pl.w, bot-top, pale(levelColour(b.Level)))
		d.font("", 6)
		d.color(grey)
		d.at(pl.x+pl.w+1, top, 24, bot-top, b.Label.In(d.lang), "L")
	}
	pl.yGrid(5, p.T("staff.pdf.phq9"))
	p.weekTicks(pl, day0)
	pl.frame()
	var pts []xy
	for _, m := range phq {
		pts = append(pts, xy{x: daysFrom(day0, m.At, p.loc), y: float64(m.Result.Total)})
	}
	pl.line(pts, scoreInk, 0.6, nil)
	pl.dots(pts, 1.05, markCircle, scoreInk)
	// each total a reliable change from the first: a ring in its colour
	for i, m := range phq {
		if c := ReliableChange(phq[0].Result.Total, m.Result.Total); c != 0 {
			ring := betterInk
			if c > 0 {
				ring = urgentRed
			}
			d.draw(ring)
			d.pdf.SetLineWidth(0.5)
			d.pdf.Circle(pl.px(pts[i].x), pl.py(pts[i].y), 2.1, "D")
		}
	}
	pl.values(pts, func(v float64) string { return strconv.Itoa(int(v)) })
	y = pl.bottom() + 7.5
	d.font("", 7.5)
	d.color(ink)
	y = d.lines(marginL, y, contW, 3.4, p.phqWords(phq))
	if unscored > 0 {
		d.font("", 7.5)
		d.color(warnInk)
		y = d.lines(marginL, y, contW, 3.4, p.T("staff.pdf.not_plotted")+p.T("staff.pdf.measures_phq9_unscored", unscored)+".")
	}
	return y
}

// phqWords says where the PHQ-9 went: the first and the latest total with
// their bands and, against the first, a reliable change or none.
func (p *patientDoc) phqWords(phq []Measure) string {
	if len(phq) == 0 {
		return ""
	}
	band := func(m Measure) string {
		if b := m.Result.Band; b != nil {
			return b.Label.In(p.doc.lang)
		}
		return ""
	}
	first, last := phq[0], phq[len(phq)-1]
	s := p.T("staff.pdf.measures_phq9_first", first.Result.Total, band(first), p.When(first.At, "Jan 2"))
	if len(phq) == 1 {
		return s + "."
	}
	s += "; " + p.T("staff.pdf.measures_phq9_latest", last.Result.Total, band(last), p.When(last.At, "Jan 2"))
	diff := last.Result.Total - first.Result.Total
	switch ReliableChange(first.Result.Total, last.Result.Total) {
	case -1:
		s += ": " + p.T("staff.pdf.measures_phq9_down", -diff, band(last))
	case 1:
		s += ": " + p.T("staff.pdf.measures_phq9_up", diff, band(last))
	default:
		s += ": " + p.T("staff.pdf.measures_phq9_no_change", ReliablePoints)
	}
	return s + "."
}

// bamChart draws the BAM's Use, Risk and Protective by day, with the
// guideline's 12 dashed.
func (p *patientDoc) bamChart(y float64, bam []Measure, day0 time.Time, days float64) float64 {
	d := p.doc
	const plotH = 26.0
	y = d.need(y, plotH+24)
	y = p.chartTitle(marginL, y, contW, p.T("staff.pdf.measures_bam_title"), p.T("staff.pdf.measures_bam_aside"))
	pl := plot{d: d, x: marginL + 11, y: y + 5.5, w: contW - 13 - 24, h: plotH, x0: 0, x1: days, y0: 0, y1: 24}
	pl.yGrid(6, p.T("staff.pdf.bam"))
	p.weekTicks(pl, day0)
	pl.frame()
	d.draw(grey)
	d.pdf.SetLineWidth(0.3)
	d.pdf.SetDashPattern([]float64{1, 1}, 0)
	d.pdf.Line(pl.x, pl.py(12), pl.x+pl.w, pl.py(12))
	d.pdf.SetDashPattern(nil, 0)
	series := []struct {
		id    string
		ink   rgb
		shape int
	}{{"use", useInk, markSquare}, {"risk", riskInk, markCircle}, {"protective", protectiveInk, markCircle}}
	kx := pl.x
	ky := pl.bottom() + 8
	var ends []endLabel
	for _, s := range series {
		var pts []xy
		label := s.id
		for _, m := range bam {
			for _, sub := range m.Result.Subscores {
				if sub.Subscore.ID != s.id {
					continue
				}
				label = sub.Subscore.Label.In(d.lang)
				if sub.Scored {
					pts = append(pts, xy{x: daysFrom(day0, m.At, p.loc), y: float64(sub.Total)})
				}
			}
		}
		pl.line(pts, s.ink, 0.55, nil)
		pl.dots(pts, 0.95, s.shape, s.ink)
		if n := len(pts); n > 0 {
			ends = append(ends, endLabel{y: pl.py(pts[n-1].y), text: label + " " + strconv.Itoa(int(pts[n-1].y)), ink: s.ink})
		}
		kx = pl.key(kx, ky, s.ink, nil, s.shape, label)
	}
	// each line's latest value at its end, pushed apart to be read
	slices.SortFunc(ends, func(a, b endLabel) int { return cmp.Compare(a.y, b.y) })
	for i := range ends {
		if i > 0 {
			ends[i].y = max(ends[i].y, ends[i-1].y+3)
		}
		d.font("B", 6.5)
		d.color(ends[i].ink)
		d.at(pl.x+pl.w+1, ends[i].y-1.4, 24, 2.8, ends[i].text, "L")
	}
	y = ky + 3
	d.font("", 7.5)
	d.color(ink)
	return d.lines(marginL, y, contW, 3.4, p.bamWords(bam[len(bam)-1]))
}

// endLabel is a line's latest value written at the plot's right edge.
type endLabel struct {
	y    float64
	text string
	ink  rgb
}

// bamWords are the latest BAM's scores with their bands.
func (p *patientDoc) bamWords(m Measure) string {
	var parts []string
	for _, sub := range m.Result.Subscores {
		part := sub.Subscore.Label.In(p.doc.lang) + " "
		switch {
		case !sub.Scored:
			part += p.T("staff.summary.subscore_not_scored")
		case sub.Band != nil:
			part += strconv.Itoa(sub.Total) + ", " + sub.Band.Label.In(p.doc.lang)
		default:
			part += strconv.Itoa(sub.Total)
		}
		parts = append(parts, part)
	}
	return p.T("staff.pdf.measures_bam_latest", p.When(m.At, "Jan 2"), strings.Join(parts, "; "))
}

// weekTicks marks every seventh day from day0 under a plot whose x is days
// since day0, with the date.
func (p *patientDoc) weekTicks(pl plot, day0 time.Time) {
	d := p.doc
	for k := 0; float64(k) <= pl.x1; k += 7 {
		x := pl.px(float64(k))
		d.draw(grey)
		d.pdf.SetLineWidth(0.2)
		d.pdf.Line(x, pl.bottom(), x, pl.bottom()+1)
		if k > 0 {
			d.draw(rgb{225, 225, 225})
			d.pdf.SetLineWidth(0.15)
			d.pdf.Line(x, pl.y, x, pl.bottom())
		}
		d.font("", 6)
		d.color(grey)
		d.at(x-8, pl.bottom()+1.2, 16, 2.8, p.When(day0.AddDate(0, 0, k), "Jan 2"), "C")
	}
}
