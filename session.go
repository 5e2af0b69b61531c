// Package intakekiosk is the kiosk's vocabulary: a session and its
// status (and the rule that moves it only forward), the records a
// session is made of, and a visit replayed from them. The adapters
// (store, bundle, review) and the screens speak it.
package intakekiosk

import (
	"fmt"
	"strings"
	"time"

	"intakekiosk/fault"
	"intakekiosk/screening"
)

// SessionKind is the kind of a session.
type SessionKind string

// Session kinds.
const (
	Screening SessionKind = "screening"
	Checkin   SessionKind = "checkin"
)

// Status is where a session stands.
type Status string

// Session statuses. InProgress is a session a patient is at now; one cut
// off (walked away, power cut) becomes Incomplete and stays on record.
const (
	InProgress Status = "in_progress"
	New        Status = "new"
	Reviewed   Status = "reviewed"
	Printed    Status = "printed"
	Incomplete Status = "incomplete"
)

// statusRank orders the statuses a finished session moves through: new
// or incomplete, then reviewed, then printed.
var statusRank = map[Status]int{InProgress: 0, New: 1, Incomplete: 1, Reviewed: 2, Printed: 3}

// ParseStatus checks a status name.
func ParseStatus(s string) (Status, error) {
	if _, ok := statusRank[Status(s)]; ok {
		return Status(s), nil
	}
	return "", &fault.Error{Op: "status", Kind: fault.Invalid,
		Err: fmt.Errorf("unknown status %q (in_progress, new, reviewed, printed, incomplete)", s)}
}

// ErrInProgress: a patient is still answering that session.
var ErrInProgress error = fault.E(fault.Invalid, "the patient has not finished this session yet")

// Advance is the status after staff move a session at s to to: a session
// moves only forward (reviewed after new, printed after reviewed), so a
// review after a print leaves it printed; a session a patient is still at
// cannot be moved (ErrInProgress).
func (s Status) Advance(to Status) (Status, error) {
	if s == InProgress {
		return s, ErrInProgress
	}
	if to.Ahead(s) {
		return to, nil
	}
	return s, nil
}

// Ahead reports whether s is further along than other: an import keeps
// the status that is ahead.
func (s Status) Ahead(other Status) bool { return statusRank[s] > statusRank[other] }

// Session is what is kept in clear about a session: enough for the staff
// queue, nothing a patient entered.
type Session struct {
	ID        string
	Kind      SessionKind
	Status    Status
	Started   time.Time
	Completed time.Time // zero until submitted
	Ended     time.Time // zero while in progress
	Urgent    bool
	// PatientID names the patient of a check-in, or of a screening
	// linked to a check-in code ("" for the others).
	PatientID string
}

// Note is a counselor's note on a session. It is stored as a record of
// its own, sealed like the patient's answers and after them: a note never
// rewrites what the patient entered.
type Note struct {
	// By is the staff member who wrote it.
	By string `json:"by"`
	// Text is the note.
	Text string `json:"text"`
}

// Event is something that happened at the kiosk besides an answer: the
// patient pressed "I need help now" (Help), or chose a language (Lang,
// "es"). It is sealed as the event string every release has written
// ("help", "lang:es"), so databases and bundles of older kiosks read the
// same, and older kiosks read ours.
type Event struct {
	Help bool
	Lang string
}

const (
	eventHelp = "help"
	eventLang = "lang:"
)

// IsZero says whether nothing happened (the payload is not an event).
func (e Event) IsZero() bool { return !e.Help && e.Lang == "" }

// MarshalText writes the event as it is sealed.
func (e Event) MarshalText() ([]byte, error) {
	switch {
	case e.Help:
		return []byte(eventHelp), nil
	case e.Lang != "":
		return []byte(eventLang + e.Lang), nil
	}
	return nil, nil
}

// UnmarshalText reads a sealed event. One this release does not know is
// read as no event, not refused: a newer kiosk's record must not stop an
// older desk from reading the rest of the session.
func (e *Event) UnmarshalText(b []byte) error {
	s := string(b)
	*e = Event{}
	switch {
	case s == eventHelp:
		e.Help = true
	case strings.HasPrefix(s, eventLang):
		e.Lang = strings.TrimPrefix(s, eventLang)
	}
	return nil
}

// Payload is one record of a session: what the patient entered, or a
// counselor's note added later. Exactly one field is set.
type Payload struct {
	Identity *screening.Identity `json:"identity,omitempty"`
	Answer   *screening.Answer   `json:"answer,omitempty"`
	Event    Event               `json:"event,omitzero"`
	// Note is a counselor's note, added after the session ended.
	Note *Note `json:"note,omitempty"`
}

// Record is a stored payload with its time.
type Record struct {
	Recorded time.Time
	Payload
}

// Visit is a session read back: who the patient said they are, their
// answers, and whether they pressed "I need help now".
type Visit struct {
	Identity      screening.Identity
	Session       *screening.Session
	HelpRequested bool
	// Notes are the counselors' notes, oldest first.
	Notes []StaffNote
	// Lang is the language the patient answered in ("" for English).
	Lang string
}

// StaffNote is a counselor's note with the time it was written.
type StaffNote struct {
	At time.Time
	Note
}

// Replay rebuilds a visit from a session's records in order over the
// catalog's instruments for its kind of visit: the last identity and the
// last answer to each item win, as they did on the kiosk.
func Replay(recs []Record, cat *screening.Catalog, kind SessionKind) Visit {
	v := Visit{Session: screening.NewSessionFor(cat, string(kind), nil)}
	for _, r := range recs {
		switch {
		case r.Identity != nil:
			v.Identity = *r.Identity
		case r.Answer != nil:
			v.Session.Restore(*r.Answer)
		case r.Event.Help:
			v.HelpRequested = true
		case r.Event.Lang != "":
			v.Lang = r.Event.Lang
		case r.Note != nil:
			v.Notes = append(v.Notes, StaffNote{At: r.Recorded, Note: *r.Note})
		}
	}
	return v
}
