// Package intake is the patient's side of the kiosk without a window: a
// visit (a screening, or a returning patient's check-in) from its first
// commit to its submit or abandon. Each step commits before the screen
// moves on: the session row and the language with the first record, an
// answer checked, sealed and then applied, with the urgency it raises
// put on record in the same call, which says what comes next.
package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"intakekiosk"
	"intakekiosk/consent"
	"intakekiosk/fault"
	"intakekiosk/screening"
)

// Store is what a visit needs of storage; *sqlite.Store provides it.
type Store interface {
	CreateSession(ctx context.Context, id string, kind intakekiosk.SessionKind, started time.Time) error
	CreateCheckin(ctx context.Context, id, patientID string, started time.Time) error
	Append(ctx context.Context, sessionID string, at time.Time, p intakekiosk.Payload) error
	// Consented seals the patient's consent with its audit entry
	Consented(ctx context.Context, sessionID string, at time.Time, c consent.Signed) error
	Raise(ctx context.Context, id string, c intakekiosk.Concern) error
	Complete(ctx context.Context, id string, at time.Time) error
	// CompleteCheckin completes a check-in and puts on record, in the
	// same commit, that its patient was asked its instruments on day
	CompleteCheckin(ctx context.Context, id string, at time.Time, day string, instruments []string) error
	// Asked is the day each instrument was last asked of a patient, by
	// instrument id: what the schedule counts from
	Asked(ctx context.Context, patientID string) (map[string]string, error)
	Abandon(ctx context.Context, id string, at time.Time) error
	// Session reads a session's clear row (whether its alert was
	// answered, from another desk of the clinic network)
	Session(ctx context.Context, id string) (intakekiosk.Session, error)
}

// Intake starts visits over a store and an instrument catalog.
type Intake struct {
	st       Store
	cat      *screening.Catalog
	enabled  []string
	schedule screening.Schedule
	loc      *time.Location
	now      func() time.Time
	newID    func() (string, error)
	log      *slog.Logger
}

// Option sets how an Intake asks.
type Option func(*Intake)

// OnSchedule has check-ins ask what the clinic's schedule has due for the
// patient (the checkin_schedule setting), counting calendar days in loc
// (the clinic's zone; nil: UTC). Without it a check-in asks every
// instrument for check-ins, as an empty schedule does.
func OnSchedule(s screening.Schedule, loc *time.Location) Option {
	return func(in *Intake) { in.schedule, in.loc = s, loc }
}

// New starts visits that record in st, asking at a screening the
// catalog's enabled instruments (all when enabled is empty), at now's
// time, with session ids from newID (UUIDv7 in the product); log takes
// what is worth a line (ids and events, never a patient's data).
func New(st Store, cat *screening.Catalog, enabled []string, now func() time.Time, newID func() (string, error), log *slog.Logger, opts ...Option) *Intake {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	in := &Intake{st: st, cat: cat, enabled: enabled, now: now, newID: newID, log: log}
	for _, o := range opts {
		o(in)
	}
	return in
}

// Answered says who answered a session's alert at a desk or a kiosk of
// the clinic ("I'm on it") and when; by is "" while nobody has. The
// kiosk asks after a pull from the clinic's server, to tell the patient
// who called for staff that someone is on the way.
func (in *Intake) Answered(ctx context.Context, sessionID string) (by string, at time.Time, err error) {
	ss, err := in.st.Session(ctx, sessionID)
	if err != nil {
		return "", time.Time{}, err
	}
	return ss.AckedBy, ss.Acked, nil
}

// Visit is one patient's session at the kiosk.
type Visit struct {
	in      *Intake
	id      string
	patient string
	lang    string
	sess    *screening.Session
	who     screening.Identity
	// created: the session row exists; langSaid: the language is on
	// record; urgent, attention: that concern is on record; help,
	// unwell: the patient pressed "I need help now", chose "I feel
	// physically unwell"; done: submitted
	created, langSaid, urgent, attention, help, unwell, done bool
	// consented: the consent is on record (signed or declined)
	consented bool
	// asks are the instruments a check-in asks (its schedule's plan),
	// asksSaid: they are on record
	asks     []string
	asksSaid bool
}

// Screening is a new screening visit in lang ("" or "en": English).
func (in *Intake) Screening(lang string) (*Visit, error) {
	id, err := in.newID()
	if err != nil {
		return nil, fmt.Errorf("new session id: %w", err)
	}
	return &Visit{in: in, id: id, lang: lang, sess: screening.NewSession(in.cat, in.enabled)}, nil
}

// Checkin is a new check-in of a returning patient in lang: it asks the
// check-in's own questions and what the schedule has due for the patient
// today (from the days they were last asked each instrument, in clear).
func (in *Intake) Checkin(ctx context.Context, patient, lang string) (*Visit, error) {
	last, err := in.st.Asked(ctx, patient)
	if err != nil {
		return nil, fmt.Errorf("what the patient was asked: %w", err)
	}
	id, err := in.newID()
	if err != nil {
		return nil, fmt.Errorf("new session id: %w", err)
	}
	asks := in.schedule.Plan(in.cat, last, screening.Day(in.now(), in.loc))
	if asks == nil {
		asks = []string{}
	}
	return &Visit{in: in, id: id, patient: patient, lang: lang, sess: screening.NewSessionOf(in.cat, asks), asks: asks}, nil
}

// ID is the session's id.
func (v *Visit) ID() string { return v.id }

// Patient is the returning patient of a check-in ("" for a screening).
func (v *Visit) Patient() string { return v.patient }

// Session is the state of the questions: asked, answered, what is next.
func (v *Visit) Session() *screening.Session { return v.sess }

// Identity is who the patient said they are.
func (v *Visit) Identity() screening.Identity { return v.who }

// Started says whether the session is on record (its row exists).
func (v *Visit) Started() bool { return v.created }

// Urgent says whether the visit is marked urgent.
func (v *Visit) Urgent() bool { return v.urgent }

// Concerns lists why the visit needs a person now, most pressing first
// (the concern table, intakekiosk.Concerns).
func (v *Visit) Concerns() []intakekiosk.Reason {
	return intakekiosk.Concerns(v.sess, v.help, v.unwell, v.in.now())
}

// Done says whether the visit was submitted.
func (v *Visit) Done() bool { return v.done }

// SetLang changes the patient's language; a language not yet on record
// is written with the next commit.
func (v *Visit) SetLang(lang string) {
	if v.langSaid || lang == v.lang {
		return
	}
	v.lang = lang
}

// Start puts the session on record: its row, then the language the
// patient chose (the summary prints answers in it). It does each once; a
// failed write is tried again by the next commit.
func (v *Visit) Start(ctx context.Context) error {
	in := v.in
	if !v.created {
		var err error
		if v.patient != "" {
			err = in.st.CreateCheckin(ctx, v.id, v.patient, in.now())
		} else {
			err = in.st.CreateSession(ctx, v.id, intakekiosk.Screening, in.now())
		}
		if err != nil {
			return err
		}
		v.created = true
		in.log.Info("session started", "session", v.id)
	}
	if !v.asksSaid && v.patient != "" {
		// what the check-in asks, so that it reads back over those
		if err := in.st.Append(ctx, v.id, in.now(), intakekiosk.Payload{Event: intakekiosk.Event{Asks: v.asks}}); err != nil {
			return err
		}
		v.asksSaid = true
	}
	if !v.langSaid {
		if v.lang != "" && v.lang != "en" {
			if err := in.st.Append(ctx, v.id, in.now(), intakekiosk.Payload{Event: intakekiosk.Event{Lang: v.lang}}); err != nil {
				return err
			}
		}
		v.langSaid = true
	}
	return nil
}

// commit seals one record of the visit; the caller moves on only when it
// returns nil.
func (v *Visit) commit(ctx context.Context, p intakekiosk.Payload) error {
	if err := v.Start(ctx); err != nil {
		return err
	}
	return v.in.st.Append(ctx, v.id, v.in.now(), p)
}

// SetIdentity records who the patient says they are (the whole identity
// so far: first name, then last, then date of birth).
func (v *Visit) SetIdentity(ctx context.Context, who screening.Identity) error {
	if err := v.commit(ctx, intakekiosk.Payload{Identity: &who}); err != nil {
		return err
	}
	v.who = who
	return nil
}

// Consent commits the patient's consent, once: the choices, the names
// typed and the strokes drawn, checked (a *fault.Error of kind Invalid
// when the record does not hold), then sealed with its audit entry. A
// visit holds one consent; a second is refused.
func (v *Visit) Consent(ctx context.Context, c consent.Signed) error {
	if v.consented {
		return &fault.Error{Op: "consent", Kind: fault.Invalid, Err: errAlreadyConsented}
	}
	if err := c.Check(); err != nil {
		return &fault.Error{Op: "consent", Kind: fault.Invalid, Err: err}
	}
	if err := v.Start(ctx); err != nil {
		return err
	}
	if err := v.in.st.Consented(ctx, v.id, v.in.now(), c); err != nil {
		return err
	}
	v.consented = true
	v.in.log.Info("consent on record", "session", v.id, "declined", c.Declined)
	return nil
}

// Consented says the visit's consent is on record.
func (v *Visit) Consented() bool { return v.consented }

var errAlreadyConsented = errors.New("this visit's consent is already on record")

// MarkUrgent puts the visit on record as urgent (once): pinned at the
// top of the staff queue.
func (v *Visit) MarkUrgent(ctx context.Context) error { return v.mark(ctx, intakekiosk.Urgent) }

// mark puts concern c on record, once.
func (v *Visit) mark(ctx context.Context, c intakekiosk.Concern) error {
	done := &v.urgent
	if c == intakekiosk.NeedsAttention {
		done = &v.attention
	}
	if *done {
		return nil
	}
	if err := v.Start(ctx); err != nil {
		return err
	}
	if err := v.in.st.Raise(ctx, v.id, c); err != nil {
		return fmt.Errorf("mark the concern: %w", err)
	}
	*done = true
	v.in.log.Info("session concern raised", "session", v.id, "urgent", c == intakekiosk.Urgent)
	return nil
}

// raise puts on record every concern the visit's reasons raise and that
// is not on record yet (intakekiosk.Concerns).
func (v *Visit) raise(ctx context.Context) error {
	urgent, attention := intakekiosk.Raised(v.Concerns())
	var err error
	if urgent {
		err = v.mark(ctx, intakekiosk.Urgent)
	}
	if attention {
		if aerr := v.mark(ctx, intakekiosk.NeedsAttention); err == nil {
			err = aerr
		}
	}
	return err
}

// Help records that the patient pressed "I need help now": the visit is
// marked urgent first, then the press is on record. Both are tried; the
// first failure is returned (the crisis screen shows either way).
func (v *Visit) Help(ctx context.Context) error {
	return v.event(ctx, intakekiosk.Event{Help: true}, &v.help)
}

// Unwell records that the patient chose "I feel physically unwell" on the
// crisis screen: urgent, like Help, and on record the same way.
func (v *Visit) Unwell(ctx context.Context) error {
	return v.event(ctx, intakekiosk.Event{Unwell: true}, &v.unwell)
}

// event puts an event that raises a concern on record: the concern first,
// then the event. Both are tried; the first failure is returned.
func (v *Visit) event(ctx context.Context, e intakekiosk.Event, seen *bool) error {
	*seen = true
	err := v.raise(ctx)
	if rerr := v.commit(ctx, intakekiosk.Payload{Event: e}); err == nil {
		err = rerr
	}
	return err
}

// Next is what comes after an answer: the next question (Ok false: none,
// the review), and whether the answer raised a safety flag that the
// crisis screen shows.
type Next struct {
	Step   screening.Step
	Ok     bool
	Crisis bool
}

// Answer checks an answer to the step, commits it, applies it, and puts
// on record the urgency it raises, in that order. An answer that does not
// fit is refused before anything is written (a *fault.Error of kind
// Invalid over the item's *screening.AnswerError); a failed commit is returned and nothing is
// applied; a failed urgency mark is logged and tried again at Submit.
// reviewing: the patient came from the review screen, so the next
// question is the next one not yet answered.
func (v *Visit) Answer(ctx context.Context, st screening.Step, a screening.Answer, reviewing bool) (Next, error) {
	now := v.in.now()
	a.Instrument, a.Item, a.At = st.Instrument.ID, st.Item.ID, now
	if err := st.Item.Validate(a, now); err != nil {
		return Next{}, &fault.Error{Op: "answer", Kind: fault.Invalid, Field: st.Key().String(), Err: err}
	}
	if err := v.commit(ctx, intakekiosk.Payload{Answer: &a}); err != nil {
		return Next{}, err
	}
	raised, err := v.sess.Set(a, now)
	if err != nil { // checked above; a bug if it happens
		v.in.log.Error("answer refused after saving", "session", v.id, "err", err)
	}
	if err := v.raise(ctx); err != nil {
		v.in.log.Error("could not put the concern on record", "session", v.id, "err", err)
	}
	next := Next{Crisis: len(raised) > 0}
	if reviewing {
		next.Step, next.Ok = v.sess.NextUnanswered(st.Key(), now)
	} else {
		next.Step, next.Ok = v.sess.Next(st.Key(), now)
	}
	return next, nil
}

// Submit completes the visit, putting its concern on record first when
// an earlier mark failed.
func (v *Visit) Submit(ctx context.Context) error {
	if err := v.raise(ctx); err != nil {
		return err
	}
	if err := v.Start(ctx); err != nil {
		return err
	}
	now := v.in.now()
	var err error
	if v.patient != "" {
		// the check-in asked its instruments today: the schedule counts
		// from it
		err = v.in.st.CompleteCheckin(ctx, v.id, now, screening.Day(now, v.in.loc), v.asks)
	} else {
		err = v.in.st.Complete(ctx, v.id, now)
	}
	if err != nil {
		return err
	}
	v.done = true
	v.in.log.Info("session completed", "session", v.id)
	return nil
}

// Abandon leaves a visit on record that was started and not submitted as
// incomplete (why says so in the log); a visit never started leaves
// nothing.
func (v *Visit) Abandon(ctx context.Context, why string) error {
	if !v.created || v.done {
		return nil
	}
	if err := v.in.st.Abandon(ctx, v.id, v.in.now()); err != nil {
		return err
	}
	v.done = true
	v.in.log.Info("session left incomplete", "session", v.id, "why", why)
	return nil
}
