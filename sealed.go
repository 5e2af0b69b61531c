package intakekiosk

import (
	"fmt"

	"intakekiosk/fault"
	"intakekiosk/screening"
)

// SealedRecord is a record as stored: its time, its sealed payload and
// its place. Each writer (a kiosk or a desk: a database) keeps a chain of
// its own in each session and patient, numbered from 1 (Seq), so two
// writers apart can both append and a merge keeps both. Writer "" is the
// one chain every release before it wrote (LegacyWriter).
type SealedRecord struct {
	Recorded string `json:"recorded"`
	Payload  []byte `json:"payload"`
	Writer   string `json:"writer,omitempty"`
	Seq      int    `json:"seq,omitempty"`
}

// LegacyWriter is the writer of the records written before each writer
// had a chain of its own: one chain per session or patient, sealed to
// its place in it.
const LegacyWriter = ""

// LegacyChain numbers records that came without places (a bundle of an older
// format): all the one legacy chain, in order.
func LegacyChain(recs []SealedRecord) {
	for i := range recs {
		recs[i].Writer, recs[i].Seq = LegacyWriter, i+1
	}
}

// SealedSession is a session as stored, still sealed: what travels (a
// transfer bundle, the clinic network). Times are kept as stored text, so an import keeps them
// to the nanosecond.
type SealedSession struct {
	ID        string      `json:"id"`
	Kind      SessionKind `json:"kind"`
	Status    Status      `json:"status"`
	Started   string      `json:"started"`
	Completed string      `json:"completed,omitempty"`
	Ended     string      `json:"ended,omitempty"`
	Urgent    bool        `json:"urgent,omitempty"`
	Attention bool        `json:"attention,omitempty"`
	// Printed and Reviewed are stored times ("" for not yet), ReviewedBy
	// the staff member's name.
	Printed    string `json:"printed,omitempty"`
	Reviewed   string `json:"reviewed,omitempty"`
	ReviewedBy string `json:"reviewed_by,omitempty"`
	// Acked is when a staff member answered the session's urgent alert
	// ("" for not yet), AckedBy their name: the first answer stands.
	Acked     string         `json:"acked,omitempty"`
	AckedBy   string         `json:"acked_by,omitempty"`
	PatientID string         `json:"patient_id,omitempty"`
	SealedKey []byte         `json:"sealed_key"`
	Records   []SealedRecord `json:"records"`
}

// SealedPatient is a returning patient as stored, still sealed.
type SealedPatient struct {
	ID       string `json:"id"`
	CodeHash []byte `json:"code_hash"`
	// BirthHash is the check-in hash of the code in force and the date
	// of birth, and CheckinSealed the check-in box it opens; both nil for
	// a code issued before check-ins asked the date of birth (and in
	// every bundle of format 3 and older).
	BirthHash     []byte         `json:"birth_hash,omitempty"`
	CheckinSealed []byte         `json:"checkin_sealed,omitempty"`
	SealedKey     []byte         `json:"sealed_key"`
	Created       string         `json:"created"`
	Records       []SealedRecord `json:"records"`
	// Asked is the day (YYYY-MM-DD) each instrument was last asked of
	// the patient, by instrument id, in clear: what a check-in elsewhere
	// needs to ask what is due. An older release leaves it out.
	Asked map[string]string `json:"asked,omitempty"`
}

// MaxAsked bounds the instruments a patient's copy names as asked.
const MaxAsked = 200

// ErrBadAsked: a patient's days asked are not instrument ids with days.
var ErrBadAsked error = fault.E(fault.Invalid, "not instrument ids with days (YYYY-MM-DD)")

// CheckAsked checks the patient's days asked: at most MaxAsked, each an
// instrument id with a calendar day (YYYY-MM-DD).
func (p SealedPatient) CheckAsked() error {
	if len(p.Asked) > MaxAsked {
		return fmt.Errorf("%d instruments asked, more than the %d allowed: %w", len(p.Asked), MaxAsked, ErrBadAsked)
	}
	for id, day := range p.Asked {
		if !screening.IsID(id) || !screening.IsDay(day) {
			return ErrBadAsked
		}
	}
	return nil
}
