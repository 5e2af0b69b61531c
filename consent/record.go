package consent

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Signed is a consent as the patient gave it at the kiosk: the form's
// version and the hash and words of what was shown, the choices, and the
// signature. It is sealed like an answer, as a record of the session,
// and never changed: a revocation is a later record.
type Signed struct {
	Form    string `json:"form"`
	Version int    `json:"version"`
	Lang    string `json:"lang,omitempty"`
	// Hash is Form.Hash of the words shown; Text those words (Form.Text),
	// kept so the consent prints as it was signed whatever the clinic's
	// files say later.
	Hash string `json:"hash"`
	Text string `json:"text"`
	// TPO is the single consent for treatment, payment and health care
	// operations, to Recipients (the form's, as shown).
	TPO        bool        `json:"tpo,omitempty"`
	Recipients []Recipient `json:"recipients,omitempty"`
	// Named are the people the patient typed (a primary-care doctor, a
	// family member).
	Named []string `json:"named,omitempty"`
	// Declined is "I do not consent": nothing else is chosen and
	// nothing is signed.
	Declined  bool      `json:"declined,omitempty"`
	Signature Signature `json:"signature,omitzero"`
}

// Signature is a signature drawn with a finger: strokes in the pad's own
// units, W wide and H high, each stroke a list of x, y pairs.
type Signature struct {
	W       int      `json:"w"`
	H       int      `json:"h"`
	Strokes []Stroke `json:"strokes"`
}

// Stroke is one stroke of a signature: x0, y0, x1, y1, …
type Stroke []int

// Limits on a signature.
const (
	MaxStrokes = 200
	MaxPoints  = 8000
)

// IsZero says nothing was drawn.
func (s Signature) IsZero() bool { return len(s.Strokes) == 0 }

// Points counts the signature's points.
func (s Signature) Points() int {
	n := 0
	for _, st := range s.Strokes {
		n += len(st) / 2
	}
	return n
}

// Agrees says the patient consented to anything.
func (s *Signed) Agrees() bool { return !s.Declined && (s.TPO || len(s.Named) > 0) }

// Errors of a consent record, matched with errors.Is.
var (
	ErrUnsigned     = errors.New("the consent is not signed")
	ErrNothingChose = errors.New("no choice was made")
	ErrDeclinedMix  = errors.New("\"I do not consent\" was chosen with a consent")
	ErrBadSignature = errors.New("the signature is not well formed")
	ErrBadName      = errors.New("a named recipient's name is empty, too long or holds a control character")
)

// Check checks a consent record: one that agrees is signed; a decline
// chooses nothing else; the signature and names within their limits.
func (s *Signed) Check() error {
	switch {
	case s.Form == "" || s.Version < 1 || len(s.Hash) != 64 || s.Text == "":
		return fmt.Errorf("consent: %w: form, version, hash or text missing", ErrMissing)
	case s.Declined && (s.TPO || len(s.Named) > 0):
		return ErrDeclinedMix
	case !s.Declined && !s.TPO && len(s.Named) == 0:
		return ErrNothingChose
	case s.Agrees() && s.Signature.IsZero():
		return ErrUnsigned
	case len(s.Named) > MaxNamed:
		return fmt.Errorf("consent: %d named recipients, at most %d: %w", len(s.Named), MaxNamed, ErrTooLong)
	}
	for _, n := range s.Named {
		if !GoodName(n) {
			return ErrBadName
		}
	}
	return s.Signature.check()
}

func (s Signature) check() error {
	if s.IsZero() {
		return nil
	}
	if s.W < 1 || s.H < 1 || s.W > 10000 || s.H > 10000 || len(s.Strokes) > MaxStrokes || s.Points() > MaxPoints {
		return ErrBadSignature
	}
	for _, st := range s.Strokes {
		if len(st) < 2 || len(st)%2 != 0 {
			return ErrBadSignature
		}
		for i, v := range st {
			if v < 0 || (i%2 == 0 && v > s.W) || (i%2 == 1 && v > s.H) {
				return ErrBadSignature
			}
		}
	}
	return nil
}

// GoodName says a typed recipient's name can be kept: not empty, at most
// MaxNameLen characters, no control characters.
func GoodName(n string) bool {
	n = strings.TrimSpace(n)
	return n != "" && utf8.RuneCountInString(n) <= MaxNameLen && !strings.ContainsFunc(n, unicode.IsControl)
}

// SameName says two typed names name the same person: compared without
// case and with runs of spaces as one.
func SameName(a, b string) bool { return strings.EqualFold(fold(a), fold(b)) }

func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// Kind is whom a disclosure goes to.
type Kind string

// Kinds of recipient.
const (
	// Clinic is one of the form's recipients, by id.
	Clinic Kind = "clinic"
	// Named is a person the patient named, by name.
	Named Kind = "named"
	// Other is anyone else: refused but in an emergency.
	Other Kind = "other"
	// Patient is the patient's own copy: their access, not a disclosure.
	Patient Kind = "patient"
	// Program is the program itself (its counselors, the clinic
	// network, a registered site): not a disclosure, never asked.
	Program Kind = "program"
)

// To is a recipient of a disclosure: a kind, and the clinic recipient's
// id or the person's name.
type To struct {
	Kind Kind   `json:"kind"`
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// String names the recipient as staff read it.
func (t To) String() string {
	switch t.Kind {
	case Patient:
		return "the patient"
	case Program:
		return "the program"
	case Clinic:
		if t.Name != "" {
			return t.Name
		}
		return t.ID
	}
	return t.Name
}

// Basis is why a disclosure was allowed.
type Basis string

// Bases of a disclosure.
const (
	// ByConsent: the patient's consent names the recipient.
	ByConsent Basis = "consent"
	// Emergency: a bona fide medical emergency (§2.51), with a reason.
	Emergency Basis = "emergency"
	// Access: the patient's own copy (not a disclosure).
	Access Basis = "access"
)

// Revocation is a patient's revocation of their consent, recorded by
// staff as a later record of the session that holds it: the whole
// consent (Recipient zero), or one recipient.
type Revocation struct {
	// All revokes the whole consent; else To names the one recipient.
	All bool `json:"all,omitempty"`
	To  To   `json:"to,omitzero"`
	// Asked is the day the patient asked; By the staff member recording.
	Asked time.Time `json:"asked"`
	By    string    `json:"by"`
}

// Disclosure is one disclosure of a session's records, on record in the
// session: who disclosed what to whom, under which consent or why.
type Disclosure struct {
	To    To     `json:"to"`
	What  string `json:"what"`
	By    string `json:"by"`
	Basis Basis  `json:"basis"`
	// Hash and Version name the consent it was made under (ByConsent);
	// Reason is the emergency's (Emergency).
	Hash    string `json:"hash,omitempty"`
	Version int    `json:"version,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// History is the consent side of one session, read back from its
// records in order: the consent signed there (nil: none), its
// revocations and the disclosures of the session.
type History struct {
	Consent     *Signed
	SignedAt    time.Time
	Revocations []Revoked
	Disclosures []Disclosed
}

// Revoked is a revocation with the time it was recorded.
type Revoked struct {
	At time.Time
	Revocation
}

// Disclosed is a disclosure with the time it was recorded.
type Disclosed struct {
	At time.Time
	Disclosure
}

// Sign takes a consent record read back: the first one a session holds
// stands (a session is signed once).
func (h *History) Sign(at time.Time, s Signed) {
	if h.Consent == nil {
		h.Consent, h.SignedAt = &s, at
	}
}

// Revoked says whether the consent no longer covers to: the whole
// consent revoked, or that recipient.
func (h *History) Revoked(to To) bool {
	return slices.ContainsFunc(h.Revocations, func(r Revoked) bool { return r.All || r.To.Same(to) })
}

// RevokedAll says the whole consent was revoked.
func (h *History) RevokedAll() bool {
	return slices.ContainsFunc(h.Revocations, func(r Revoked) bool { return r.All })
}

// Same says two recipients are one: the same clinic recipient by id, or
// the same name.
func (t To) Same(o To) bool {
	if t.Kind != o.Kind {
		return false
	}
	if t.Kind == Clinic {
		return t.ID == o.ID
	}
	return SameName(t.Name, o.Name)
}

var errProgram = errors.New("the program's own use is not a disclosure")

// ErrNotConsented is a disclosure the patient's consent does not cover.
var ErrNotConsented = errors.New("the patient has not consented to this recipient")

// Allows says whether this session's consent covers a disclosure to to:
// the basis it rests on, or ErrNotConsented. The patient's own copy is
// always allowed (Access).
func (h *History) Allows(to To) (Basis, error) {
	if to.Kind == Patient {
		return Access, nil
	}
	if to.Kind == Program {
		return "", errProgram
	}
	c := h.Consent
	if c == nil || !c.Agrees() || h.Revoked(to) {
		return "", ErrNotConsented
	}
	switch to.Kind {
	case Clinic:
		if c.TPO && slices.ContainsFunc(c.Recipients, func(r Recipient) bool { return r.ID == to.ID }) {
			return ByConsent, nil
		}
	case Named:
		if slices.ContainsFunc(c.Named, func(n string) bool { return SameName(n, to.Name) }) {
			return ByConsent, nil
		}
	}
	return "", ErrNotConsented
}

// Status is a session's consent in a word: none asked, declined,
// signed, or revoked.
type Status string

// Statuses of a consent.
const (
	StatusNone     Status = "none"
	StatusDeclined Status = "declined"
	StatusSigned   Status = "signed"
	StatusPartly   Status = "partly revoked"
	StatusRevoked  Status = "revoked"
)

// Status is the consent's status now.
func (h *History) Status() Status {
	switch c := h.Consent; {
	case c == nil:
		return StatusNone
	case c.Declined:
		return StatusDeclined
	case h.RevokedAll():
		return StatusRevoked
	case len(h.Revocations) > 0:
		return StatusPartly
	}
	return StatusSigned
}
