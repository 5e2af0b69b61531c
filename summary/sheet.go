// Package summary holds every word about a session that staff read: the
// name, birth and visit lines, each answer in words, why a flag was
// raised, the scores in words, the kratom use profile, where the last dose
// falls on the usual withdrawal course, the taper plan. The staff screens
// and the PDFs read the same words from here; report only draws them.
//
// Its phrases come from the message catalog (the staff.summary.* keys, English:
// summaries are for staff) through Words; the instruments' own texts
// (questions, labels, bands) come from their files, in the staff's
// language, with a patient's choices also in the patient's.
package summary

import (
	"errors"
	"sync"
	"time"

	"intakekiosk/assets"
	"intakekiosk/i18n"
	"intakekiosk/screening"
)

// Words is the message catalog the phrases come from: the text of key in
// lang, formatted with args. *i18n.Catalog is one.
type Words interface {
	T(lang, key string, args ...any) string
}

// builtin is the catalog built into the binary, used when an Input names
// none.
var builtin = sync.OnceValue(func() Words {
	c, err := i18n.Load(assets.Messages())
	if err != nil {
		panic("summary: the built-in catalog does not load: " + err.Error())
	}
	return c
})

// staff is the language summaries are written in.
const staff = "en"

// ErrNoSession says a summary was asked of no session.
var ErrNoSession = errors.New("summary: no session given")

// Input is everything a summary shows. It holds values only.
type Input struct {
	// Clinic is the clinic's name, printed on every page.
	Clinic string
	// Identity is who the patient said they are.
	Identity screening.Identity
	// SessionID is the session's id, printed small for look-up.
	SessionID string
	// Started and Completed are when the session began and was submitted
	// (Completed zero: the patient did not finish, and the summary says
	// so). "Hours ago" answers are read as of Completed, else Started.
	Started, Completed time.Time
	// Urgent is the session's urgent mark in the staff queue. A summary
	// opens with the urgent banner when it is set, when HelpRequested, or
	// when any urgent or crisis flag is raised.
	Urgent bool
	// HelpRequested says the patient pressed "I need help now"; Unwell
	// that they chose "I feel physically unwell" on the crisis screen.
	HelpRequested, Unwell bool
	// Attention is the session's needs-attention mark (pinned, no
	// alert): the summary lists what to ask in person when it is set or
	// when a flag marked "attention" is raised.
	Attention bool
	// Session holds the instruments and answers; it is only read.
	Session *screening.Session
	// Notes are the counselors' notes, oldest first: printed after the
	// summary, never mixed with what the patient entered.
	Notes []Note
	// Words is the catalog the phrases come from (nil: the built-in
	// one).
	Words Words
	// Generated is the instant the summary is made (the caller's clock):
	// printed in the footer and used as the PDF's creation date.
	Generated time.Time
	// Location is the time zone times are shown in (nil: UTC).
	Location *time.Location
	// Lang is the language the patient answered in (empty: "en"). The
	// summary is for staff: its words and the questions are in English;
	// a patient's choices are printed in their language with the English
	// after them, "Varios días (Several days)".
	Lang string
}

// Note is a counselor's note printed with the summary.
type Note struct {
	At       time.Time
	By, Text string
}

// Sheet is the words of one session's summary, worked out once: the
// results, the items asked, the instant answers are read at.
type Sheet struct {
	in    Input
	words Words
	loc   *time.Location
	// answerLang is the language the patient answered in
	answerLang string
	// visit is the instant answers are read at (Completed, else Started,
	// else Generated).
	visit   time.Time
	results []screening.Result
	// asked holds the items asked, given branching.
	asked map[screening.Key]screening.Step
}

// New works out the words of a summary of in. A sheet of no session
// words only who and when (the check-in report's header).
func New(in Input) *Sheet {
	s := &Sheet{in: in, words: in.Words, loc: in.Location, answerLang: in.Lang}
	if s.words == nil {
		s.words = builtin()
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	switch {
	case !in.Completed.IsZero():
		s.visit = in.Completed
	case !in.Started.IsZero():
		s.visit = in.Started
	default:
		s.visit = in.Generated
	}
	s.asked = map[screening.Key]screening.Step{}
	if in.Session == nil {
		return s
	}
	s.results = in.Session.Results(s.visit)
	for _, st := range in.Session.Steps(s.visit) {
		s.asked[st.Key()] = st
	}
	return s
}

// Input is what the sheet was made of.
func (s *Sheet) Input() Input { return s.in }

// Results are the session's instruments, scored, in order.
func (s *Sheet) Results() []screening.Result { return s.results }

// Location is the time zone times are shown in.
func (s *Sheet) Location() *time.Location { return s.loc }

// Lang is the language the sheet is written in (the staff's).
func (s *Sheet) Lang() string { return staff }

// T is the phrase of key in the staff's language, formatted with args.
func (s *Sheet) T(key string, args ...any) string { return s.words.T(staff, key, args...) }

// When formats an instant in the display time zone.
func (s *Sheet) When(t time.Time, layout string) string {
	return t.In(s.loc).Format(layout)
}
