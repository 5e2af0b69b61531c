package ui

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

// small is a wrapped caption-size label.
func small(text string) *widget.Label {
	l := para(text)
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// heading block: kept with what follows it.
func headingBlock(text string, w float32) block {
	b := textBlock(section(text), w)
	b.keep = true
	return b
}

// summaryPages are the first tab: on the left the scores with their
// bands and the kratom use in words; on the right the red flags for
// medical supervision with the answers that raised them, then the other
// flags.
func (v *sessionView) summaryPages(budget float32) []fyne.CanvasObject {
	f := v.facts
	var bs, right []block
	bs = append(bs, headingBlock(sessionText.Scores, halfWidth))
	if f.Incomplete {
		l := para(sessionText.Incomplete)
		l.Importance = widget.WarningImportance
		bs = append(bs, textBlock(l, halfWidth))
	}
	for _, s := range f.Scores {
		code := widget.NewLabel(s.Code)
		code.TextStyle = fyne.TextStyle{Bold: true}
		words := para(s.Words)
		words.Importance = levelImportance(s.Level, s.Scored)
		codeW := float32(130)
		codeH := labelHeight(code, codeW)
		row := container.NewBorder(nil, nil, container.New(layout.NewGridWrapLayout(fyne.NewSize(codeW, codeH)), code), nil, words)
		bs = append(bs, block{obj: row, h: max(codeH, labelHeight(words, halfWidth-codeW-compactGap))})
	}
	if v.detail.Session.Kind == intakekiosk.Checkin {
		// what the patient reported today, in one row as in the table
		bs = append(bs, headingBlock(sessionText.Checkin, halfWidth))
		bs = append(bs, checkinRow(review.PointOf(v.detail), nil, v.k.location(), halfWidth))
	}
	if len(f.Kratom) > 0 {
		bs = append(bs, headingBlock(sessionText.Kratom, halfWidth))
		for i, line := range f.Kratom {
			l := small(line)
			if i == 0 {
				l.TextStyle = fyne.TextStyle{Bold: true}
			}
			bs = append(bs, textBlock(l, halfWidth))
		}
	}
	flag := func(ff summary.FlagFact, imp widget.Importance) block {
		l := para("• " + ff.Label)
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.Importance = imp
		if ff.Evidence == "" {
			return textBlock(l, halfWidth)
		}
		e := small(ff.Evidence)
		return block{obj: container.New(layout.NewCustomPaddedVBoxLayout(0), l, e), h: labelHeight(l, halfWidth) + labelHeight(e, halfWidth)}
	}
	right = append(right, headingBlock(sessionText.RedFlags, halfWidth))
	if len(f.RedFlags) == 0 {
		right = append(right, textBlock(para(sessionText.NoRedFlags), halfWidth))
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
	return sideBySide(budget, bs, right)
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
func (v *sessionView) answerBlocks() []block {
	var bs []block
	for _, in := range v.facts.Instruments {
		title := in.Code
		if in.Title != title {
			title += ": " + in.Title
		}
		head := section(title)
		head.Truncation = fyne.TextTruncateEllipsis
		total := widget.NewLabel(in.Total)
		total.TextStyle = fyne.TextStyle{Bold: true}
		bs = append(bs, block{obj: container.NewBorder(nil, nil, nil, total, head), h: labelHeight(head, fullWidth), keep: true})
		if len(in.Items) == 0 {
			bs = append(bs, textBlock(small(in.Total), fullWidth))
		}
		for _, it := range in.Items {
			q := small(fmt.Sprintf("%d. %s", it.Number, it.Question))
			// several choices share one wrapped line, not one line each
			a := para(strings.Join(it.Answer, ", "))
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
			h := max(labelHeight(q, halfWidth), labelHeight(a, halfWidth)) + 2
			bs = append(bs, block{obj: container.NewVBox(container.NewGridWithColumns(2, q, a), widget.NewSeparator()), h: h + compactGap})
		}
	}
	return bs
}

// noteBlocks are the third tab: the counselors' notes, oldest first.
func (v *sessionView) noteBlocks() []block {
	if len(v.detail.Notes) == 0 {
		return []block{textBlock(para(sessionText.NoNotes), fullWidth)}
	}
	var bs []block
	loc := v.k.location()
	for _, n := range v.detail.Notes {
		by := widget.NewLabel(fmt.Sprintf(sessionText.NoteBy, n.By, n.At.In(loc).Format("Jan 2, 2006 3:04 PM")))
		by.TextStyle = fyne.TextStyle{Bold: true}
		by.Importance = widget.LowImportance
		b := textBlock(by, fullWidth)
		b.keep = true
		bs = append(bs, b)
		// a long note is cut at sentences, so that it can go over pages
		for _, part := range chunks(n.Text, 400) {
			bs = append(bs, textBlock(para(part), fullWidth))
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
