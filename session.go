// Package intakekiosk is the kiosk's vocabulary: a session and its
// status (and the rule that moves it only forward), the records a
// session is made of, and a visit replayed from them. The adapters
// (store, bundle, review) and the screens speak it.
package intakekiosk

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"intakekiosk/consent"
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

// Status is where a session stands in its life: a patient is at it, the
// patient submitted it, or it was cut off. What staff did with it since
// is kept beside it (Session.Printed, Session.Reviewed): the status no
// longer moves when staff read, print or review.
type Status string

// Session statuses. InProgress is a session a patient is at now; New one
// the patient submitted (it stays New after staff review it: "new" is the
// word every release stored); one cut off (walked away, power cut)
// becomes Incomplete and stays on record.
const (
	InProgress Status = "in_progress"
	New        Status = "new"
	Incomplete Status = "incomplete"
)

// The statuses of releases before printed and reviewed were two facts of
// their own: a database or bundle of theirs may hold them. Legacy reads
// them.
const (
	legacyReviewed Status = "reviewed"
	legacyPrinted  Status = "printed"
)

// statusRank orders the statuses: in progress, then finished.
var statusRank = map[Status]int{InProgress: 0, New: 1, Incomplete: 1}

// ErrInProgress: a patient is still answering that session.
var ErrInProgress error = fault.E(fault.Invalid, "the patient has not finished this session yet")

// Ahead reports whether s is further along than other: an import keeps
// the status that is ahead.
func (s Status) Ahead(other Status) bool { return statusRank[s] > statusRank[other] }

// Legacy reads a status as an older release stored it, where reviewed
// and printed were steps of one ladder (new < reviewed < printed): it
// gives the status (New, or Incomplete for a session never completed) and
// whether the session had been reviewed or printed. Any other status is
// given back as it is. A legacy "printed" is not taken as reviewed: on
// that ladder a print hid an urgent session that no one marked reviewed.
func Legacy(s Status, completed bool) (st Status, reviewed, printed bool) {
	switch s {
	case legacyReviewed, legacyPrinted:
		st = New
		if !completed {
			st = Incomplete
		}
		return st, s == legacyReviewed, s == legacyPrinted
	}
	return s, false, false
}

// Standing is where a session stands as the queue and `kioskctl sessions
// list` name it: at the kiosk, waiting for a review (new or incomplete),
// or reviewed. Printed is a fact beside it (Session.Printed), and a
// filter of its own.
type Standing string

// Standings. StandingPrinted and StandingUnreviewed only select
// (ParseStanding); a session's own Standing is one of the first four.
const (
	StandingInProgress Standing = "in_progress"
	StandingNew        Standing = "new"
	StandingIncomplete Standing = "incomplete"
	StandingReviewed   Standing = "reviewed"
	// StandingPrinted selects the sessions printed or saved as PDF,
	// reviewed or not.
	StandingPrinted Standing = "printed"
	// StandingUnreviewed selects the finished sessions not yet reviewed
	// (new and incomplete).
	StandingUnreviewed Standing = "unreviewed"
)

var standings = []Standing{StandingInProgress, StandingNew, StandingIncomplete, StandingReviewed, StandingPrinted, StandingUnreviewed}

// ParseStanding checks a standing's name.
func ParseStanding(s string) (Standing, error) {
	if slices.Contains(standings, Standing(s)) {
		return Standing(s), nil
	}
	names := make([]string, len(standings))
	for i, st := range standings {
		names[i] = string(st)
	}
	return "", &fault.Error{Op: "status", Kind: fault.Invalid,
		Err: fmt.Errorf("unknown status %q (%s)", s, strings.Join(names, ", "))}
}

// Session is what is kept in clear about a session: enough for the staff
// queue to sort and pin without unlocking, nothing a patient entered.
// The reasons for Urgent and Attention stay sealed (Concerns reads them
// after unlock).
type Session struct {
	ID        string
	Kind      SessionKind
	Status    Status
	Started   time.Time
	Completed time.Time // zero until submitted
	Ended     time.Time // zero while in progress
	// Urgent and Attention are the session's concern (Concerns): urgent
	// alerts staff; either pins it until it is reviewed.
	Urgent    bool
	Attention bool
	// Printed is when its summary was first printed or saved as PDF
	// (zero: never).
	Printed time.Time
	// Reviewed is when a staff member, ReviewedBy, marked it reviewed
	// (zero: not yet). Only that unpins an urgent session.
	Reviewed   time.Time
	ReviewedBy string
	// PatientID names the patient of a check-in, or of a screening
	// linked to a check-in code ("" for the others).
	PatientID string
	// Site is the satellite site an imported session came from, or the
	// kiosk that recorded it in the clinic network ("" here, or not
	// known).
	Site string
	// Acked is when a staff member, AckedBy, answered the alert of an
	// urgent session ("I'm on it"; zero: nobody yet). The first answer
	// is kept. It does not review the session nor unpin it.
	Acked   time.Time
	AckedBy string
}

// Alerting says the session's alert waits for an answer: urgent, not yet
// reviewed, and nobody has said they are on it.
func (s Session) Alerting() bool { return s.Urgent && s.Reviewed.IsZero() && s.Acked.IsZero() }

// Concern is the session's concern as its clear fields hold it.
func (s Session) Concern() Concern {
	switch {
	case s.Urgent:
		return Urgent
	case s.Attention:
		return NeedsAttention
	}
	return Calm
}

// Pinned says the session belongs at the top of the queue: urgent or
// needing attention, and not yet reviewed. A print does not unpin it.
func (s Session) Pinned() bool { return s.Concern() > Calm && s.Reviewed.IsZero() }

// Standing is where the session stands (StandingInProgress, New,
// Incomplete or Reviewed).
func (s Session) Standing() Standing {
	switch {
	case s.Status == InProgress:
		return StandingInProgress
	case !s.Reviewed.IsZero():
		return StandingReviewed
	case s.Status == Incomplete:
		return StandingIncomplete
	}
	return StandingNew
}

// Selects reports whether a session is one a standing selects.
func (st Standing) Selects(s Session) bool {
	switch st {
	case StandingPrinted:
		return !s.Printed.IsZero()
	case StandingUnreviewed:
		return s.Status != InProgress && s.Reviewed.IsZero()
	}
	return s.Standing() == st
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
// patient pressed "I need help now" (Help), chose "I feel physically
// unwell" on the crisis screen (Unwell), or chose a language (Lang,
// "es"); or, for a session imported from a paper form typed in, that its
// answers count as written (Paper: screening.Session.AsWritten); or,
// first of a check-in, the instruments the check-in asks (Asks: those its
// clinic's schedule had due, "asks:sows,bam"). It is sealed as the event
// string every release has written ("help", "lang:es"), so databases and
// bundles of older kiosks read the same, and older kiosks read ours (an
// older desk reads Paper and Asks as no event).
type Event struct {
	Help   bool
	Unwell bool
	Lang   string
	Paper  bool
	Asks   []string
}

const (
	eventHelp   = "help"
	eventUnwell = "unwell"
	eventLang   = "lang:"
	eventPaper  = "paper"
	eventAsks   = "asks:"
)

// IsZero says whether nothing happened (the payload is not an event).
func (e Event) IsZero() bool {
	return !e.Help && !e.Unwell && e.Lang == "" && !e.Paper && e.Asks == nil
}

// MarshalText writes the event as it is sealed.
func (e Event) MarshalText() ([]byte, error) {
	switch {
	case e.Help:
		return []byte(eventHelp), nil
	case e.Unwell:
		return []byte(eventUnwell), nil
	case e.Lang != "":
		return []byte(eventLang + e.Lang), nil
	case e.Paper:
		return []byte(eventPaper), nil
	case e.Asks != nil:
		return []byte(eventAsks + strings.Join(e.Asks, ",")), nil
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
	case s == eventUnwell:
		e.Unwell = true
	case strings.HasPrefix(s, eventLang):
		e.Lang = strings.TrimPrefix(s, eventLang)
	case s == eventPaper:
		e.Paper = true
	case strings.HasPrefix(s, eventAsks):
		e.Asks = []string{}
		if ids := strings.TrimPrefix(s, eventAsks); ids != "" {
			e.Asks = strings.Split(ids, ",")
		}
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
	// Consent is the consent the patient signed (or declined) at the
	// kiosk, committed once at Confirm; Revocation a revocation staff
	// recorded later; Disclosure a disclosure of the session's records.
	// An older release reads them as nothing, never refusing the rest.
	Consent    *consent.Signed     `json:"consent,omitempty"`
	Revocation *consent.Revocation `json:"revocation,omitempty"`
	Disclosure *consent.Disclosure `json:"disclosure,omitempty"`
	// Rating is a clinician's rating (COWS) of a screening's patient who
	// had no check-in code yet, recorded at the desk after the session
	// ended.
	Rating *Rating `json:"rating,omitempty"`
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
	// Unwell says the patient chose "I feel physically unwell" on the
	// crisis screen.
	Unwell bool
	// Notes are the counselors' notes, oldest first.
	Notes []StaffNote
	// Lang is the language the patient answered in ("" for English).
	Lang string
	// Consent is the session's consent: signed or declined here, its
	// revocations and the disclosures of its records.
	Consent consent.History
	// Ratings are the clinicians' ratings (COWS) recorded on the session,
	// oldest record first.
	Ratings []Rating
}

// StaffNote is a counselor's note with the time it was written.
type StaffNote struct {
	At time.Time
	Note
}

// Replay rebuilds a visit from a session's records in order over the
// catalog's instruments for its kind of visit, or those its record of
// what it asks names (a check-in on a schedule): the last identity and
// the last answer to each item win, as they did on the kiosk.
func Replay(recs []Record, cat *screening.Catalog, kind SessionKind) Visit {
	v := Visit{Session: screening.NewSessionFor(cat, string(kind), nil)}
	for _, r := range recs {
		if r.Event.Asks != nil {
			v.Session = screening.NewSessionOf(cat, r.Event.Asks)
			break
		}
	}
	for _, r := range recs {
		switch {
		case r.Identity != nil:
			v.Identity = *r.Identity
		case r.Answer != nil:
			v.Session.Restore(*r.Answer)
		case r.Event.Help:
			v.HelpRequested = true
		case r.Event.Unwell:
			v.Unwell = true
		case r.Event.Lang != "":
			v.Lang = r.Event.Lang
		case r.Event.Paper:
			v.Session.AsWritten()
		case r.Note != nil:
			v.Notes = append(v.Notes, StaffNote{At: r.Recorded, Note: *r.Note})
		}
	}
	v.Consent = ConsentHistory(recs)
	v.Ratings = Ratings(recs)
	return v
}

// ConsentHistory reads the consent side of a session from its records
// in order: the consent signed there, its revocations, the disclosures.
func ConsentHistory(recs []Record) consent.History {
	var h consent.History
	for _, r := range recs {
		switch {
		case r.Consent != nil:
			h.Sign(r.Recorded, *r.Consent)
		case r.Revocation != nil:
			h.Revocations = append(h.Revocations, consent.Revoked{At: r.Recorded, Revocation: *r.Revocation})
		case r.Disclosure != nil:
			h.Disclosures = append(h.Disclosures, consent.Disclosed{At: r.Recorded, Disclosure: *r.Disclosure})
		}
	}
	return h
}
