package staff

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk"
	"intakekiosk/review"
	"intakekiosk/summary"
	"intakekiosk/ui/touch"
)

// The widths of the session view's columns (two on the summary, one
// elsewhere) at 1280 wide.
const (
	halfWidth = 600
	fullWidth = 1240
)

// section is a bold heading of a tab.
func section(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// heading block: kept with what follows it.
func headingBlock(text string, w float32) touch.Block {
	b := touch.TextBlock(section(text), w)
	b.Keep = true
	return b
}

// summaryPages are the first tab: on the left the scores with their
// bands and the kratom use in words; on the right the red flags for
// medical supervision with the answers that raised them, then the other
// flags.
func (v *sessionView) summaryPages(budget float32) []fyne.CanvasObject {
	f := v.facts
	var bs, right []touch.Block
	bs = append(bs, headingBlock(sessionText.Scores, halfWidth))
	if f.Incomplete {
		l := touch.Para(sessionText.Incomplete)
		l.Importance = widget.WarningImportance
		bs = append(bs, touch.TextBlock(l, halfWidth))
	}
	for _, s := range f.Scores {
		code := widget.NewLabel(s.Code)
		code.TextStyle = fyne.TextStyle{Bold: true}
		words := touch.Para(s.Words)
		words.Importance = levelImportance(s.Level, s.Scored)
		codeW := float32(130)
		codeH := touch.LabelHeight(code, codeW)
		row := container.NewBorder(nil, nil, container.New(layout.NewGridWrapLayout(fyne.NewSize(codeW, codeH)), code), nil, words)
		bs = append(bs, touch.Block{Obj: row, H: max(codeH, touch.LabelHeight(words, halfWidth-codeW-touch.CompactGap))})
		for _, note := range []string{s.Caution, s.Written} {
			if note != "" {
				c := touch.Small(note)
				c.Importance = widget.WarningImportance
				bs = append(bs, touch.TextBlock(c, halfWidth))
			}
		}
	}
	if v.detail.Session.Kind == intakekiosk.Checkin {
		// what the patient reported today, in one row as in the table
		bs = append(bs, headingBlock(sessionText.Checkin, halfWidth))
		bs = append(bs, checkinRow(review.PointOf(v.detail), nil, v.k.Location(), halfWidth))
	}
	if len(f.Kratom) > 0 {
		bs = append(bs, headingBlock(sessionText.Kratom, halfWidth))
		for i, line := range f.Kratom {
			l := touch.Small(line)
			if i == 0 {
				l.TextStyle = fyne.TextStyle{Bold: true}
			}
			bs = append(bs, touch.TextBlock(l, halfWidth))
		}
	}
	flag := func(ff summary.FlagFact, imp widget.Importance) touch.Block {
		l := touch.Para("• " + ff.Label)
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.Importance = imp
		if ff.Evidence == "" {
			return touch.TextBlock(l, halfWidth)
		}
		e := touch.Small(ff.Evidence)
		return touch.Block{Obj: container.New(layout.NewCustomPaddedVBoxLayout(0), l, e), H: touch.LabelHeight(l, halfWidth) + touch.LabelHeight(e, halfWidth)}
	}
	right = append(right, headingBlock(sessionText.RedFlags, halfWidth))
	if len(f.RedFlags) == 0 {
		right = append(right, touch.TextBlock(touch.Para(sessionText.NoRedFlags), halfWidth))
	}
	for _, ff := range f.RedFlags {
		right = append(right, flag(ff, widget.DangerImportance))
	}
	if len(f.Other) > 0 {
		right = append(right, headingBlock(sessionText.Also, halfWidth))
		for _, ff := range f.Other {
			right = append(right, flag(ff, widget.WarningImportance))
		}
	}
	return touch.SideBySide(budget, bs, right)
}

// levelImportance colours a band by its level of concern.
func levelImportance(level int, scored bool) widget.Importance {
	switch {
	case !scored:
		return widget.WarningImportance
	case level >= 3:
		return widget.DangerImportance
	case level == 2:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// answerBlocks are the second tab: every instrument's questions and the
// patient's answers, a heading with the total before each instrument.
func (v *sessionView) answerBlocks() []touch.Block {
	var bs []touch.Block
	for _, in := range v.facts.Instruments {
		title := in.Code
		if in.Title != title {
			title += ": " + in.Title
		}
		head := section(title)
		head.Truncation = fyne.TextTruncateEllipsis
		total := widget.NewLabel(in.Total)
		total.TextStyle = fyne.TextStyle{Bold: true}
		bs = append(bs, touch.Block{Obj: container.NewBorder(nil, nil, nil, total, head), H: touch.LabelHeight(head, fullWidth), Keep: true})
		if len(in.Items) == 0 {
			bs = append(bs, touch.TextBlock(touch.Small(in.Total), fullWidth))
		}
		for _, it := range in.Items {
			q := touch.Small(fmt.Sprintf("%s. %s", it.Number, it.Question))
			// several choices share one wrapped line, not one line each
			a := touch.Para(it.Line)
			if it.Points != "" {
				a.SetText(a.Text + "  (" + it.Points + ")")
			}
			a.TextStyle = fyne.TextStyle{Bold: it.Asked}
			switch {
			case it.Flagged && it.Answered:
				a.Importance = widget.DangerImportance
			case !it.Asked:
				a.Importance = widget.LowImportance
			case !it.Answered:
				a.Importance = widget.WarningImportance
			}
			h := max(touch.LabelHeight(q, halfWidth), touch.LabelHeight(a, halfWidth)) + 2
			bs = append(bs, touch.Block{Obj: container.NewVBox(container.NewGridWithColumns(2, q, a), widget.NewSeparator()), H: h + touch.CompactGap})
		}
	}
	return bs
}

// noteBlocks are the third tab: the counselors' notes, oldest first.
func (v *sessionView) noteBlocks() []touch.Block {
	if len(v.detail.Notes) == 0 {
		return []touch.Block{touch.TextBlock(touch.Para(sessionText.NoNotes), fullWidth)}
	}
	var bs []touch.Block
	loc := v.k.Location()
	for _, n := range v.detail.Notes {
		by := widget.NewLabel(fmt.Sprintf(sessionText.NoteBy, n.By, n.At.In(loc).Format("Jan 2, 2006 3:04 PM")))
		by.TextStyle = fyne.TextStyle{Bold: true}
		by.Importance = widget.LowImportance
		b := touch.TextBlock(by, fullWidth)
		b.Keep = true
		bs = append(bs, b)
		// a long note is cut at sentences, so that it can go over pages
		for _, part := range chunks(n.Text, 400) {
			bs = append(bs, touch.TextBlock(touch.Para(part), fullWidth))
		}
	}
	return bs
}

// chunks cuts text into pieces of about n characters at most, at the end
// of a sentence or else at a space.
func chunks(text string, n int) []string {
	var out []string
	r := []rune(strings.TrimSpace(text))
	for len(r) > n {
		cut := -1
		for i := n; i > n/2; i-- {
			if r[i] == ' ' && (r[i-1] == '.' || r[i-1] == '!' || r[i-1] == '?' || r[i-1] == ';') {
				cut = i
				break
			}
		}
		if cut < 0 {
			for i := n; i > 0; i-- {
				if r[i] == ' ' {
					cut = i
					break
				}
			}
		}
		if cut <= 0 {
			cut = n
		}
		out = append(out, strings.TrimSpace(string(r[:cut])))
		r = []rune(strings.TrimSpace(string(r[cut:])))
	}
	return append(out, string(r))
}
