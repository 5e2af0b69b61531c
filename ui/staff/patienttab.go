package staff

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk"
	"intakekiosk/desk"
	"intakekiosk/report"
	"intakekiosk/review"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/summary"
	"intakekiosk/trend"
	"intakekiosk/ui/touch"
)

// checkinText holds every word of the check-ins tab, from the
// catalog's staff.checkin.* keys.
var checkinText = staffWords[struct {
	NoCode, Give, Code, Slip, NewCode, Plan, SetPlan, EndPlan, Flags, MoreFlags, NoFlags, RateCOWS, Ratings, RatingRow,
	ChartDose, ChartPlan, ChartEmpty, ChartCravingSleep, Craving, Sleep, ChartDoseByDate, Planned, Reported, Report, Table, None, Failed, SlipTitle, NoPrinterCode, NoPrinterReport, Issued, Reissue string
}]("checkin")

// firstFlags is how many flags (the latest) the check-ins tab shows
// before its charts; all follow them.
const firstFlags = 2

// checkinPages builds the check-ins tab: the code, the taper plan, the
// flags, the withdrawal chart, then every check-in. Reading the patient's
// timeline is audited.
func (v *sessionView) checkinPages() []fyne.CanvasObject {
	k := v.k
	d := v.detail
	if k.on == nil {
		return nil
	}
	budget := v.budget()
	now, loc := k.Config().Now(), k.Location()
	if d.Session.PatientID == "" {
		give := k.Kit().NewButton(checkinText.Give, theme.ContentAddIcon(), touch.OptionHeight, v.issueCode)
		give.Importance = widget.HighImportance
		touch.Enable(give, d.Session.Status != intakekiosk.InProgress)
		row := container.NewHBox(give)
		if rate := v.rateButton(desk.RatingOf{Session: d.Session.ID}); rate != nil {
			touch.Enable(rate, d.Session.Status != intakekiosk.InProgress)
			row.Add(rate)
		}
		bs := []touch.Block{touch.TextBlock(touch.Para(checkinText.NoCode), fullWidth), {Obj: row, H: touch.OptionHeight + touch.CompactGap}}
		bs = append(bs, inductionBlocks(d.Induction(k.Config().Catalog, k.thresholds(), now), now, loc, fullWidth)...)
		bs = append(bs, v.ratingRows(d.Ratings, loc)...)
		return touch.FlowPages(bs, budget)
	}
	p, err := k.on.desk.Patient(context.Background(), d.Session.PatientID)
	if err != nil {
		k.Config().Log.Error("could not read a patient's check-ins", "err", err)
		return touch.FlowPages([]touch.Block{touch.TextBlock(touch.Para(checkinText.Failed+err.Error()), fullWidth)}, budget)
	}
	v.patient = &p
	var bs []touch.Block

	words := summary.New(summary.Input{Words: k.Config().Messages, Location: loc})
	plan := touch.Para(fmt.Sprintf(checkinText.Plan, words.Plan(p.Plan)))
	set := k.Kit().NewButton(checkinText.SetPlan, theme.DocumentCreateIcon(), touch.OptionHeight, func() { k.showPlan(p.ID, p.Plan) })
	buttons := container.NewHBox(set)
	if p.Plan != nil {
		buttons.Add(k.Kit().NewButton(checkinText.EndPlan, theme.CancelIcon(), touch.OptionHeight, v.endPlan))
	}
	if rate := v.rateButton(desk.RatingOf{Patient: p.ID}); rate != nil {
		buttons.Add(rate)
	}
	report := k.Kit().NewButton(checkinText.Report, theme.DocumentPrintIcon(), touch.OptionHeight, v.printPatient)
	report.Importance = widget.HighImportance
	buttons.Add(report)
	bs = append(bs, touch.Block{Obj: container.NewBorder(nil, nil, nil, buttons, plan), H: max(touch.OptionHeight, touch.LabelHeight(plan, fullWidth-buttons.MinSize().Width-20)) + touch.CompactGap})

	if p.Reissue {
		// a code of before the date of birth, which the kiosk takes no
		// more: said first, with the code and New code on this page too
		l := touch.Para(checkinText.Reissue)
		l.Importance = widget.DangerImportance
		l.TextStyle = fyne.TextStyle{Bold: true}
		again := k.Kit().NewButton(checkinText.NewCode, theme.ViewRefreshIcon(), touch.OptionHeight, v.replaceCode)
		again.Importance = widget.HighImportance
		bs = append(bs, touch.Block{Obj: container.NewBorder(nil, nil, nil, again, l), H: max(touch.OptionHeight, touch.LabelHeight(l, fullWidth-260)) + touch.CompactGap})
	}

	// the flags first, the latest two on the first page: the counselor
	// sees them before the charts
	flags := p.Flags(now, loc)
	flagLine := func(f trend.Flag) touch.Block {
		l := touch.Para("• " + flagText(words, f, loc))
		l.Importance = widget.DangerImportance
		l.TextStyle = fyne.TextStyle{Bold: true}
		return touch.TextBlock(l, fullWidth)
	}
	if len(flags) == 0 {
		bs = append(bs, touch.TextBlock(touch.Small(checkinText.NoFlags), fullWidth))
	}
	for _, f := range flags[max(0, len(flags)-firstFlags):] {
		bs = append(bs, flagLine(f))
	}
	if len(flags) > firstFlags {
		bs = append(bs, touch.TextBlock(touch.Small(fmt.Sprintf(checkinText.MoreFlags, len(flags)-firstFlags)), fullWidth))
	}
	title := checkinText.ChartDose
	if p.Plan != nil {
		title = checkinText.ChartPlan
	}
	head := touch.Small(title)
	head.TextStyle = fyne.TextStyle{Bold: true}
	hb := touch.TextBlock(head, fullWidth)
	hb.Keep = true
	// beside the chart, the facts side by side with the clinic's
	// thresholds
	facts, factsH := inductionBox(p.Induction(k.thresholds(), now), now, loc, factsWidth)
	chart := newTrendChart(p.Points, p.Plan, words.Course(), checkinText.ChartEmpty, p.COWS, p.Doses())
	bs = append(bs, hb, touch.Block{Obj: container.NewBorder(nil, nil, nil, container.NewPadded(facts), chart), H: max(chartHeight, factsH) + touch.CompactGap})
	// by calendar date: craving and sleep; the planned against the
	// reported dose
	if charts := newDateCharts(p.Points, p.Plan, loc); len(charts) > 0 {
		objs := make([]fyne.CanvasObject, 2)
		for i := range objs {
			objs[i] = container.NewStack()
			if i < len(charts) {
				objs[i] = charts[i]
			}
		}
		if len(charts) == 1 {
			objs = objs[:1]
		}
		bs = append(bs, touch.Block{Obj: container.NewGridWithColumns(len(objs), objs...), H: dateChartHeight + touch.CompactGap})
	}

	// the code, needed now and then (a slip to reprint, a lost one)
	code := widget.NewLabel(fmt.Sprintf(checkinText.Code, sqlite.GroupCode(p.Code)))
	code.TextStyle = fyne.TextStyle{Bold: true}
	slip := k.Kit().NewButton(checkinText.Slip, theme.DocumentPrintIcon(), touch.OptionHeight, v.printSlip)
	again := k.Kit().NewButton(checkinText.NewCode, theme.ViewRefreshIcon(), touch.OptionHeight, v.replaceCode)
	bs = append(bs, touch.Block{Obj: container.NewBorder(nil, nil, nil, container.NewHBox(slip, again), code), H: touch.OptionHeight + touch.CompactGap})

	if len(flags) > firstFlags {
		bs = append(bs, headingBlock(checkinText.Flags, fullWidth))
		for _, f := range flags {
			bs = append(bs, flagLine(f))
		}
	}
	bs = append(bs, v.ratingRows(p.Ratings, loc)...)
	bs = append(bs, headingBlock(checkinText.Table, fullWidth))
	if len(p.Points) == 0 {
		bs = append(bs, touch.TextBlock(touch.Para(checkinText.None), fullWidth))
	}
	for i := len(p.Points) - 1; i >= 0; i-- {
		bs = append(bs, checkinRow(p.Points[i], p.Plan, loc, fullWidth))
	}
	return touch.FlowPages(bs, budget)
}

// checkinRow is one check-in in the table, newest first: its facts on a
// line, what the patient met, what helped and their note under it.
func checkinRow(pt trend.Point, plan *trend.Plan, loc *time.Location, w float32) touch.Block {
	var parts []string
	parts = append(parts, pt.At.In(loc).Format("Mon Jan 2, 3:04 PM"))
	if d, ok := pt.DaySinceDose(); ok {
		parts = append(parts, fmt.Sprintf("day %d since the last dose", d))
	}
	if pt.Scored {
		parts = append(parts, fmt.Sprintf("SOWS %d", pt.Withdrawal))
	}
	if pt.Craving >= 0 {
		parts = append(parts, fmt.Sprintf("craving %d/10", pt.Craving))
	}
	if pt.Sleep >= 0 {
		parts = append(parts, fmt.Sprintf("slept %s h", screeningNumber(pt.Sleep)))
	}
	if pt.Grams >= 0 {
		g := screeningNumber(pt.Grams) + " g"
		if plan != nil {
			if planned, ok := plan.DoseOn(pt.At, loc); ok {
				g += " (plan " + screeningNumber(planned) + " g)"
			}
		}
		parts = append(parts, g)
	}
	if pt.Mood != "" {
		parts = append(parts, "mood "+strings.ToLower(pt.Mood))
	}
	top := touch.Para(strings.Join(parts, " · "))
	top.TextStyle = fyne.TextStyle{Bold: true}
	var more []string
	if len(pt.Triggers) > 0 {
		more = append(more, "met: "+strings.ToLower(strings.Join(pt.Triggers, ", ")))
	}
	if len(pt.Helped) > 0 {
		more = append(more, "helped: "+strings.ToLower(strings.Join(pt.Helped, ", ")))
	}
	if pt.Note != "" {
		more = append(more, "note: “"+pt.Note+"”")
	}
	if len(more) == 0 {
		return touch.TextBlock(top, w)
	}
	sub := touch.Small(strings.Join(more, "; "))
	return touch.Block{Obj: container.NewVBox(top, sub), H: touch.LabelHeight(top, w) + touch.LabelHeight(sub, w) + touch.CompactGap}
}

// screeningNumber writes a number without a needless ".0".
func screeningNumber(f float64) string { return screening.FormatNumber(f, 1) }

// issueCode gives the screening's patient a check-in code and shows it.
func (v *sessionView) issueCode() {
	k := v.k
	if k.on == nil {
		return
	}
	id := v.detail.Session.ID
	if _, _, err := k.on.desk.GiveCode(context.Background(), id); err != nil {
		k.Config().Log.Error("could not give a check-in code", "session", id, "err", err)
		v.say(err.Error(), true)
		return
	}
	v.reload()
	v.say(checkinText.Issued, false)
}

// replaceCode gives the patient a new code; the old one stops working.
func (v *sessionView) replaceCode() {
	k := v.k
	if k.on == nil || v.patient == nil {
		return
	}
	if _, err := k.on.desk.ReplaceCode(context.Background(), v.patient.ID); err != nil {
		k.Config().Log.Error("could not replace a check-in code", "err", err)
		v.say(err.Error(), true)
		return
	}
	v.reload()
	v.say(checkinText.Issued, false)
}

// endPlan ends the taper plan in force.
func (v *sessionView) endPlan() {
	k := v.k
	if k.on == nil || v.patient == nil {
		return
	}
	if err := k.on.desk.SetPlan(context.Background(), v.patient.ID, nil); err != nil {
		v.say(err.Error(), true)
		return
	}
	v.reload()
}

// printSlip prints the patient's code slip: the code, how to use it, the
// crisis line; no name.
func (v *sessionView) printSlip() {
	k := v.k
	if k.on == nil || v.patient == nil {
		return
	}
	in := report.SlipInput{Clinic: k.Config().Settings.ClinicName, Code: v.patient.Code, Generated: k.Config().Now(), Location: k.Location()}
	pid, staff := v.patient.ID, k.on.desk
	v.printDoc(printJob{title: checkinText.SlipTitle,
		draw: func(w io.Writer) error { return report.CodeSlip(w, in) },
		record: func() error {
			return staff.PatientDocument(context.Background(), pid, desk.CodeSlip)
		},
		noPrinter: checkinText.NoPrinterCode})
}

// printPatient prints the patient's check-in report.
func (v *sessionView) printPatient() {
	k := v.k
	if k.on == nil || v.patient == nil {
		return
	}
	p, now, loc := *v.patient, k.Config().Now(), k.Location()
	in, staff := desk.PatientReport(p, k.Config().Settings.ClinicName, now, loc), k.on.desk
	v.printDoc(printJob{title: "Check-in report " + review.ShortID(p.ID),
		draw: func(w io.Writer) error { return report.Patient(w, in) },
		record: func() error {
			return staff.PatientDocument(context.Background(), p.ID, desk.CheckinReport)
		},
		noPrinter: checkinText.NoPrinterReport})
}

// flagText is a flag as the check-ins tab says it: a check-in's flag
// with its day ("Wed, Nov 4: Took 21 g ..."); a missed day's words name
// the day already.
func flagText(words *summary.Sheet, f trend.Flag, loc *time.Location) string {
	if f.Kind == trend.Missed {
		return words.Flag(f)
	}
	return f.At.In(loc).Format("Mon, Jan 2") + ": " + words.Flag(f)
}

// rateButton opens the COWS screen for whom the rating is of (nil when
// the catalog has no COWS: a clinic removed it).
func (v *sessionView) rateButton(of desk.RatingOf) *touch.Button {
	k := v.k
	if _, ok := k.Config().Catalog.Instrument(review.COWS); !ok {
		return nil
	}
	return k.Kit().NewButton(checkinText.RateCOWS, theme.DocumentCreateIcon(), touch.OptionHeight, func() { k.showCOWS(of, v.facts.Name) })
}

// ratingRows are the COWS ratings, newest first, under a heading: the
// time rated, the total and band, who rated.
func (v *sessionView) ratingRows(ratings []intakekiosk.Rating, loc *time.Location) []touch.Block {
	if len(ratings) == 0 {
		return nil
	}
	bs := []touch.Block{headingBlock(checkinText.Ratings, fullWidth)}
	for i := len(ratings) - 1; i >= 0; i-- {
		r := ratings[i]
		res, ok := r.Score(v.k.Config().Catalog)
		if !ok || !res.Scored {
			continue
		}
		band := ""
		if res.Band != nil {
			band = strings.ToLower(res.Band.Label.In("en"))
		}
		l := touch.Para(fmt.Sprintf(checkinText.RatingRow, r.At.In(loc).Format("Mon Jan 2, 3:04 PM"), res.Total, band, r.By))
		l.TextStyle = fyne.TextStyle{Bold: true}
		bs = append(bs, touch.TextBlock(l, fullWidth))
	}
	return bs
}
