package review

import (
	"encoding/binary"
	"errors"

	"intakekiosk/consent"
	"intakekiosk/summary"
)

// The form of a summary in the cache: each field in order, a string as
// its length and bytes, a number as a signed varint, a flag as one byte,
// a list as its length and its items. Hand made, not JSON: a 30-day
// search reads thousands at once, and this reads one in a few hundred
// nanoseconds. A field added to Summary, screening.Identity or
// summary.ScoreFact goes here too (TestSummaryForm fills every field and
// fails on one left out), with cacheFormat changed.

// errSummaryForm: bytes that do not read as a summary.
var errSummaryForm = errors.New("not a cached summary")

// encodeSummary writes s in the cache's form.
func encodeSummary(s *Summary) []byte {
	w := summaryWriter{b: make([]byte, 0, 512)}
	w.str(s.Identity.First)
	w.str(s.Identity.Last)
	w.str(s.Identity.Birth)
	w.num(len(s.Scores))
	for _, sc := range s.Scores {
		w.str(sc.Code)
		w.num(sc.Total)
		w.num(sc.Max)
		w.flag(sc.Scored)
		w.flag(sc.Skipped)
		w.str(sc.Band)
		w.num(sc.Level)
		w.str(sc.Words)
		w.str(sc.Caution)
		w.str(sc.Written)
	}
	w.num(s.RedFlags)
	w.flag(s.Help)
	w.num(len(s.Why))
	for _, why := range s.Why {
		w.str(why)
	}
	w.num(s.Notes)
	w.str(s.Code)
	w.flag(s.Damaged)
	w.str(string(s.Consent))
	return w.b
}

// decodeSummary reads a summary written by encodeSummary.
func decodeSummary(b []byte) (*Summary, error) {
	r := summaryReader{b: b}
	s := &Summary{}
	s.Identity.First = r.str()
	s.Identity.Last = r.str()
	s.Identity.Birth = r.str()
	if n := r.count(); n > 0 {
		s.Scores = make([]summary.ScoreFact, n)
		for i := range s.Scores {
			sc := &s.Scores[i]
			sc.Code = r.str()
			sc.Total = r.num()
			sc.Max = r.num()
			sc.Scored = r.flag()
			sc.Skipped = r.flag()
			sc.Band = r.str()
			sc.Level = r.num()
			sc.Words = r.str()
			sc.Caution = r.str()
			sc.Written = r.str()
		}
	}
	s.RedFlags = r.num()
	s.Help = r.flag()
	if n := r.count(); n > 0 {
		s.Why = make([]string, n)
		for i := range s.Why {
			s.Why[i] = r.str()
		}
	}
	s.Notes = r.num()
	s.Code = r.str()
	s.Damaged = r.flag()
	s.Consent = consent.Status(r.str())
	if r.bad || len(r.b) != 0 {
		return nil, errSummaryForm
	}
	return s, nil
}

// summaryWriter appends fields in the cache's form.
type summaryWriter struct{ b []byte }

func (w *summaryWriter) num(n int) { w.b = binary.AppendVarint(w.b, int64(n)) }

func (w *summaryWriter) str(s string) {
	w.num(len(s))
	w.b = append(w.b, s...)
}

func (w *summaryWriter) flag(f bool) {
	if f {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// summaryReader reads fields in the cache's form; bad is set at the
// first that does not read, and everything after reads as zero.
type summaryReader struct {
	b   []byte
	bad bool
}

func (r *summaryReader) num() int {
	if r.bad {
		return 0
	}
	n, size := binary.Varint(r.b)
	if size <= 0 || int64(int(n)) != n {
		r.bad = true
		return 0
	}
	r.b = r.b[size:]
	return int(n)
}

// count reads a list's length: never more items than bytes left.
func (r *summaryReader) count() int {
	n := r.num()
	if n < 0 || n > len(r.b) {
		r.bad = true
		return 0
	}
	return n
}

func (r *summaryReader) str() string {
	n := r.count()
	if r.bad {
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *summaryReader) flag() bool {
	if r.bad || len(r.b) == 0 || r.b[0] > 1 {
		r.bad = true
		return false
	}
	f := r.b[0] == 1
	r.b = r.b[1:]
	return f
}
