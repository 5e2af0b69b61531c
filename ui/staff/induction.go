package staff

import (
	"fmt"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/settings"
	"intakekiosk/trend"
	"intakekiosk/ui/touch"
)

// inductionText holds the words of the induction facts on the check-ins
// tab, from the catalog's staff.induction.* keys: plain comparisons with
// the clinic's thresholds, never advice.
var inductionText = staffWords[struct {
	Title, Dose, NoDose, COWS, NoCOWS, SOWS, NoSOWS, Met, NotMet string
}]("induction")

// inductionLines words the facts: the hours since the last reported dose
// against the clinic's threshold, the latest COWS against its threshold,
// the latest SOWS (which has none). Times are in loc, the day named when
// it is not today's.
func inductionLines(f trend.Induction, now time.Time, loc *time.Location) []string {
	met := func(ok bool) string {
		if ok {
			return inductionText.Met
		}
		return inductionText.NotMet
	}
	when := func(t time.Time) string {
		t = t.In(loc)
		if y, m, d := now.In(loc).Date(); t.Year() == y && t.Month() == m && t.Day() == d {
			return t.Format("3:04 PM")
		}
		return t.Format("Mon Jan 2, 3:04 PM")
	}
	var lines []string
	if f.Dose.At.IsZero() {
		lines = append(lines, fmt.Sprintf(inductionText.NoDose, f.Thresholds.Hours))
	} else {
		// whole hours, down: 11 h 59 min reads 11 h, not met
		lines = append(lines, fmt.Sprintf(inductionText.Dose, int(math.Floor(f.Hours)), f.Thresholds.Hours, met(f.HoursMet)))
	}
	if f.COWS == nil {
		lines = append(lines, fmt.Sprintf(inductionText.NoCOWS, f.Thresholds.COWS))
	} else {
		lines = append(lines, fmt.Sprintf(inductionText.COWS, f.COWS.Total, when(f.COWS.At), f.Thresholds.COWS, met(f.COWSMet)))
	}
	if f.SOWS == nil {
		lines = append(lines, inductionText.NoSOWS)
	} else {
		lines = append(lines, fmt.Sprintf(inductionText.SOWS, f.SOWS.Withdrawal, when(f.SOWS.At)))
	}
	return lines
}

// factsWidth is the width of the facts beside the trend chart.
const factsWidth = 480

// inductionBox is the facts as the check-ins tab shows them beside the
// trend chart: a line each, w wide.
func inductionBox(f trend.Induction, now time.Time, loc *time.Location, w float32) (fyne.CanvasObject, float32) {
	box := container.NewVBox()
	var h float32
	for _, l := range inductionLines(f, now, loc) {
		p := touch.Small(l)
		p.TextStyle = fyne.TextStyle{Bold: true}
		box.Add(p)
		h += touch.LabelHeight(p, w)
	}
	return touch.Compact(container.NewGridWrap(fyne.NewSize(w, h), box)), h
}

// inductionBlocks are the facts as blocks of their own, full width,
// under a small heading naming the settings.
func inductionBlocks(f trend.Induction, now time.Time, loc *time.Location, w float32) []touch.Block {
	head := touch.Small(inductionText.Title)
	head.Importance = widget.LowImportance
	hb := touch.TextBlock(head, w)
	hb.Keep = true
	obj, h := inductionBox(f, now, loc, w)
	return []touch.Block{hb, {Obj: obj, H: h + touch.CompactGap}}
}

// thresholds are the clinic's induction thresholds from the settings.
func (k *mode) thresholds() trend.Thresholds {
	s := k.Config().Settings
	if s.InductionCOWS == 0 || s.InductionHours == 0 {
		s = settings.From(nil) // a Config made without settings: the defaults
	}
	return trend.Thresholds{COWS: s.InductionCOWS, Hours: s.InductionHours}
}
