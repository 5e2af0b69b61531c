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

// Chain is one writer's records of a session or patient as they are
// here: what a merge compares. Records are sealed to their place in their
// writer's chain, so two copies of a chain agree when one is the other
// followed by more, and the record at the shorter one's last place
// decides: Count is how many records of the chain are here, and Compare
// the one here at place ComparePlace(Count, the copy's count) (1-based;
// nil when that is 0).
type Chain struct {
	Count   int
	Compare []byte
}

// Chains are the chains of a session or patient here, by writer: those
// the incoming copy has (a writer only here needs no comparing).
type Chains map[string]Chain

// Tails are how many records each writer's chain in recs holds (their
// last place: a copy's chains run 1, 2, 3…, CheckChains).
func Tails(recs []intakekiosk.SealedRecord) map[string]int {
	out := map[string]int{}
	for _, r := range recs {
		out[r.Writer] = max(out[r.Writer], r.Seq)
	}
	return out
}

// CheckChains says whether each writer's records in recs run 1, 2, 3… in
// the order given (what a merge takes apart by place); the first out of
// place is named by its index.
func CheckChains(recs []intakekiosk.SealedRecord) (bad int, ok bool) {
	next := map[string]int{}
	for i, r := range recs {
		next[r.Writer]++
		if r.Seq != next[r.Writer] {
			return i, false
		}
	}
	return 0, true
}

// Held is a session as it is here: what a merge compares.
type Held struct {
	Started   string
	Status    intakekiosk.Status
	Urgent    bool
	Attention bool
	// Completed and Ended are as stored ("" for not yet).
	Completed, Ended string
	// Printed, Reviewed and ReviewedBy are as stored ("" for not yet).
	Printed, Reviewed, ReviewedBy string
	// Acked and AckedBy: the urgent alert answered ("" for not yet).
	Acked, AckedBy string
	PatientID      string
	Chains         Chains
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
	Completed, Ended              string
	Urgent, Attention             bool
	Printed, Reviewed, ReviewedBy string
	Acked, AckedBy                string
	PatientID                     string
}

// Changes says whether the plan changes the session's clear fields here.
func (p Plan) Changes(here *Held) bool {
	return here != nil && (p.Status != here.Status || p.Completed != here.Completed || p.Ended != here.Ended ||
		p.Urgent != here.Urgent || p.Attention != here.Attention || p.Printed != here.Printed || p.Reviewed != here.Reviewed ||
		p.Acked != here.Acked || p.PatientID != here.PatientID)
}

// Merge decides what an incoming copy of a session does to the one here
// (nil: not here). Records are sealed to their place in their writer's
// chain, so the two agree when each chain of one is the other's followed
// by more: the copy's records after ours, chain by chain, are appended
// (two writers apart, a kiosk and a desk, each add their own). The status moves only forward, urgency and attention are
// never lost, a print or a review here stands and one only there is taken
// (each only moves forward), so does the first answer to its alert, and a link to a returning patient made later
// is taken.
func Merge(here *Held, there intakekiosk.SealedSession) Plan {
	if here == nil {
		return Plan{Outcome: Added, Later: there.Records, Status: there.Status, Completed: there.Completed, Ended: there.Ended,
			Urgent: there.Urgent, Attention: there.Attention, Printed: there.Printed, Reviewed: there.Reviewed,
			ReviewedBy: there.ReviewedBy, Acked: there.Acked, AckedBy: there.AckedBy, PatientID: there.PatientID}
	}
	kept := Plan{Status: here.Status, Completed: here.Completed, Ended: here.Ended, Urgent: here.Urgent, Attention: here.Attention,
		Printed: here.Printed, Reviewed: here.Reviewed, ReviewedBy: here.ReviewedBy, Acked: here.Acked, AckedBy: here.AckedBy,
		PatientID: here.PatientID}
	if here.Started != there.Started {
		kept.Outcome = Conflict
		return kept
	}
	later, same := after(here.Chains, there.Records)
	p := kept
	p.Later, p.Urgent, p.Attention = later, here.Urgent || there.Urgent, here.Attention || there.Attention
	if there.Status.Ahead(here.Status) {
		// a session that ended there (the kiosk's copy, live on the
		// network, arrived while the patient answered) ends here too
		p.Status, p.Completed, p.Ended = there.Status, there.Completed, there.Ended
	}
	if p.Acked == "" {
		p.Acked, p.AckedBy = there.Acked, there.AckedBy
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
// to the one here (held: it is here, with those chains): the records to
// append. A differing copy (one writer's chain holds other records here
// and there) is left out.
func MergePatient(held bool, chains Chains, there intakekiosk.SealedPatient) (Outcome, []intakekiosk.SealedRecord) {
	if !held {
		return Added, there.Records
	}
	later, same := after(chains, there.Records)
	switch {
	case !same:
		return Differ, nil
	case len(later) > 0:
		return Updated, later
	}
	return Existing, nil
}

// after compares our chains with theirs, writer by writer: same is true
// when in each one is the other followed by more, and later are theirs
// after ours, in their order.
func after(ours Chains, theirs []intakekiosk.SealedRecord) (later []intakekiosk.SealedRecord, same bool) {
	tails := Tails(theirs)
	for _, r := range theirs {
		c := ours[r.Writer]
		switch k := ComparePlace(c.Count, tails[r.Writer]); {
		case r.Seq > c.Count:
			later = append(later, r)
		case r.Seq == k && !bytes.Equal(c.Compare, r.Payload):
			return nil, false
		}
	}
	return later, true
}

// MergeAsked decides what an incoming patient's days last asked do to
// the ones here (both by instrument id): the instruments whose day there
// is later, with that day. Days are written YYYY-MM-DD, so the later is
// the greater string.
func MergeAsked(here, there map[string]string) map[string]string {
	var later map[string]string
	for id, day := range there {
		if day > here[id] {
			if later == nil {
				later = map[string]string{}
			}
			later[id] = day
		}
	}
	return later
}
