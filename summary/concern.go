package summary

import (
	"intakekiosk"
)

// Reasons are why the session needs a person, most pressing first: the
// concern table (intakekiosk.Concerns) over the session's answers and
// what the patient pressed.
func (sh *Sheet) Reasons() []intakekiosk.Reason {
	return intakekiosk.ConcernsOf(sh.results, sh.in.HelpRequested, sh.in.Unwell)
}

// Why is a reason in a few words, for the queue row: "PHQ-9 item 9:
// Several days", "Pressed “I need help now”", a flag's short label
// ("PHQ-9 item 9 not answered — ask in person").
func (sh *Sheet) Why(r intakekiosk.Reason) string {
	switch r.Trigger {
	case intakekiosk.ByHelp:
		return sh.T("staff.summary.why_help")
	case intakekiosk.ByUnwell:
		return sh.T("staff.summary.why_unwell")
	}
	if s := r.Flag.Short.In(staff); s != "" {
		return s
	}
	if !r.Instrument.ClinicOwn {
		if t := sh.Trigger(r.Result, r.Flag, false); len(t) > 0 {
			return sh.JoinAnd(t)
		}
	}
	return r.Flag.Label.In(staff)
}

// Told is a reason in full, for the banners of the session view and the
// PDF: the answers that raised a flag with their questions, or what the
// patient pressed.
func (sh *Sheet) Told(r intakekiosk.Reason) []string {
	switch r.Trigger {
	case intakekiosk.ByHelp:
		return []string{sh.T("staff.summary.the_patient_pressed_i_need_help_now_at_the_kiosk")}
	case intakekiosk.ByUnwell:
		return []string{sh.T("staff.summary.unwell_at_the_kiosk")}
	}
	if r.Concern == intakekiosk.Urgent {
		if t := sh.Trigger(r.Result, r.Flag, true); len(t) > 0 {
			return t
		}
	}
	return []string{r.Flag.Label.In(staff)}
}

// concernLines are the banner lines of the reasons of concern c, most
// pressing first; fallback is said when the session is marked so and no
// reason is seen (marked at a kiosk whose instruments differ).
func (sh *Sheet) concernLines(c intakekiosk.Concern, marked bool, fallback string) []string {
	var lines []string
	for _, r := range sh.Reasons() {
		if r.Concern == c {
			lines = append(lines, sh.Told(r)...)
		}
	}
	if len(lines) == 0 && marked {
		lines = append(lines, sh.T(fallback))
	}
	return lines
}

// Urgent says why the session is urgent, most pressing first (the
// suicide item first); empty when it is not.
func (sh *Sheet) Urgent() []string {
	return sh.concernLines(intakekiosk.Urgent, sh.in.Urgent, "staff.summary.marked_urgent_at_the_kiosk")
}

// Attention says what to ask the patient in person (pinned, no alert);
// empty when nothing needs it.
func (sh *Sheet) Attention() []string {
	return sh.concernLines(intakekiosk.NeedsAttention, sh.in.Attention, "staff.summary.marked_attention_at_the_kiosk")
}
