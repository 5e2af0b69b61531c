package exchange

import (
	"bytes"

	"intakekiosk"
)

// Outcome is what an incoming copy did to the one here.
type Outcome int

// The outcomes of a merge.
const (
	// Added: it was not here.
	Added Outcome = iota
	// Updated: it was here and took later records, a status further
	// along, the urgent flag or a patient link from the copy.
	Updated
	// Existing: here as the copy has it, or with more.
	Existing
	// Differ: here with other records than the copy's after the ones
	// both have (each side added its own): the records here are left as
	// they are; a status, urgency and link are still taken.
	Differ
	// Conflict: a different session here has the copy's id (another
	// start time); nothing is changed.
	Conflict
)

// Held is a session as it is here: what a merge compares. Records are
// sealed to their place, so two copies agree when one is the other
// followed by more, and the record at the shorter one's last place
// decides: Count is how many records are here, and Compare the one here
// at place min(Count, the copy's count) (1-based; nil when that is 0).
type Held struct {
	Started   string
	Status    intakekiosk.Status
	Urgent    bool
	Attention bool
	// Printed, Reviewed and ReviewedBy are as stored ("" for not yet).
	Printed, Reviewed, ReviewedBy string
	PatientID                     string
	Count                         int
	Compare                       []byte
}

// ComparePlace is the place (1-based) of the record here that a merge
// with a copy of theirs records compares; 0 for none.
func ComparePlace(ours, theirs int) int { return min(ours, theirs) }

// Plan is what to do with an incoming session: the records to append
// (Later) and the clear fields to set.
type Plan struct {
	Outcome                       Outcome
	Later                         []intakekiosk.SealedRecord
	Status                        intakekiosk.Status
	Urgent, Attention             bool
	Printed, Reviewed, ReviewedBy string
	PatientID                     string
}

// Changes says whether the plan changes the session's clear fields here.
func (p Plan) Changes(here *Held) bool {
	return here != nil && (p.Status != here.Status || p.Urgent != here.Urgent || p.Attention != here.Attention ||
		p.Printed != here.Printed || p.Reviewed != here.Reviewed || p.PatientID != here.PatientID)
}

// Merge decides what an incoming copy of a session does to the one here
// (nil: not here). Records are sealed to their place, so the two agree
// when one is the other followed by more: the copy's records after ours
// are appended. The status moves only forward, urgency and attention are
// never lost, a print or a review here stands and one only there is taken
// (each only moves forward), and a link to a returning patient made later
// is taken.
func Merge(here *Held, there intakekiosk.SealedSession) Plan {
	if here == nil {
		return Plan{Outcome: Added, Later: there.Records, Status: there.Status, Urgent: there.Urgent, Attention: there.Attention,
			Printed: there.Printed, Reviewed: there.Reviewed, ReviewedBy: there.ReviewedBy, PatientID: there.PatientID}
	}
	kept := Plan{Status: here.Status, Urgent: here.Urgent, Attention: here.Attention, Printed: here.Printed,
		Reviewed: here.Reviewed, ReviewedBy: here.ReviewedBy, PatientID: here.PatientID}
	if here.Started != there.Started {
		kept.Outcome = Conflict
		return kept
	}
	later, same := after(here.Count, here.Compare, there.Records)
	p := kept
	p.Later, p.Urgent, p.Attention = later, here.Urgent || there.Urgent, here.Attention || there.Attention
	if there.Status.Ahead(here.Status) {
		p.Status = there.Status
	}
	if p.Printed == "" {
		p.Printed = there.Printed
	}
	if p.Reviewed == "" {
		p.Reviewed, p.ReviewedBy = there.Reviewed, there.ReviewedBy
	}
	if p.PatientID == "" {
		p.PatientID = there.PatientID
	}
	switch {
	case !same:
		p.Outcome = Differ
	case len(later) > 0 || p.Changes(here):
		p.Outcome = Updated
	default:
		p.Outcome = Existing
	}
	return p
}

// MergePatient decides what an incoming copy of a returning patient does
// to the one here (held: it is here, with count records, compare the one
// at ComparePlace): the records to append. A differing copy (each side
// added a plan or a code) is left out.
func MergePatient(held bool, count int, compare []byte, there intakekiosk.SealedPatient) (Outcome, []intakekiosk.SealedRecord) {
	if !held {
		return Added, there.Records
	}
	later, same := after(count, compare, there.Records)
	switch {
	case !same:
		return Differ, nil
	case len(later) > 0:
		return Updated, later
	}
	return Existing, nil
}

// after compares our count records, of which compare is the one at
// ComparePlace, with theirs: same is true when one is the other followed
// by more, and later are theirs after ours.
func after(count int, compare []byte, theirs []intakekiosk.SealedRecord) (later []intakekiosk.SealedRecord, same bool) {
	k := ComparePlace(count, len(theirs))
	if k > 0 && !bytes.Equal(compare, theirs[k-1].Payload) {
		return nil, false
	}
	return theirs[k:], true
}
