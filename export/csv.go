// Package export writes sessions out of the kiosk for other tools: a CSV
// table for a spreadsheet (identified, or de-identified with each
// patient's dates shifted by one random offset). Reading needs the clinic
// key (a staff member unlocked); rows are written as each session is
// opened, so memory stays flat however many there are.
package export

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"intakekiosk"
	"intakekiosk/review"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

// Source is what an export reads; *sqlite.Store provides it.
type Source interface {
	review.PatientSource
}

// Options choose what a CSV export holds.
type Options struct {
	// Since keeps the sessions started on or after it (zero: all).
	Since time.Time
	// Deidentified drops names, dates of birth, check-in codes, session
	// ids (rows are numbered instead) and free-text answers (a patient
	// may have written a name into one), and shifts every date of
	// a patient by one random offset of 0-364 days, the same for all of
	// that patient's sessions.
	Deidentified bool
	// Rand is the random source of the offsets (nil: crypto/rand).
	Rand io.Reader
	// Location is the time zone dates are written in (nil: UTC).
	Location *time.Location
	// Notice, when set, is the first line of the file, before the
	// header: the 42 CFR 2.32 notice of an identified export disclosed
	// (consent.Statement).
	Notice string
	// Skip, when set, is told each session left out because it does not
	// open (review.Unopened: a flipped bit in its sealed records, a
	// damaged page), and the rest are written; nil: such a session is
	// the export's error.
	Skip func(sessionID string, err error)
}

// column is one item or score column of the table.
type column struct {
	name  string
	value func(d review.Detail, results map[string]screening.Result) string
	// free marks a free-text answer: a patient may write a name or a
	// place into one, so a de-identified export leaves it empty.
	free bool
	// when marks an instant (RFC 3339), written in the export's zone.
	when bool
	// rating is the column's cell in a rating's row (a clinician's COWS),
	// nil for the columns of the instruments patients answer.
	rating func(r intakekiosk.Rating, res screening.Result) string
}

// CSV writes one row per session, newest first, one column per item and
// score of every instrument (the catalog's order), UTF-8 with a byte
// order mark (so a spreadsheet reads accents right) and a header. A
// clinician's rating (COWS) is a row of its own, kind "rating", after
// the first row of the session or patient it was recorded on (its
// "started" the time rated, its cells in the columns of its instrument,
// rated since opt.Since). It returns how many sessions' rows it wrote
// (the ratings' rows aside); a session
// that does not open is skipped when opt.Skip is set.
func CSV(ctx context.Context, w io.Writer, src Source, key *vault.ClinicKey, cat *screening.Catalog, opt Options) (int, error) {
	if opt.Rand == nil {
		opt.Rand = rand.Reader
	}
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return 0, fmt.Errorf("csv: %w", err)
	}
	cw := csv.NewWriter(w)
	if opt.Notice != "" {
		if err := cw.Write([]string{opt.Notice}); err != nil {
			return 0, fmt.Errorf("csv: %w", err)
		}
	}
	head := []string{"session", "kind", "status", "started", "completed", "urgent"}
	if !opt.Deidentified {
		head = append(head, "first_name", "last_name", "birth_date", "patient_code")
	}
	cols := columns(cat)
	for _, c := range cols {
		head = append(head, c.name)
	}
	if err := cw.Write(head); err != nil {
		return 0, fmt.Errorf("csv: %w", err)
	}
	list, err := src.Sessions(ctx, sqlite.Filter{Since: opt.Since})
	if err != nil {
		return 0, err
	}
	offsets := map[string]time.Duration{} // per patient, de-identified
	patients := map[string]review.PatientInfo{}
	rows, sessions := 0, 0 // rows numbers every row; sessions counts the sessions'
	for _, ss := range list {
		if ss.Status == intakekiosk.InProgress {
			continue // not final: a patient is at the kiosk
		}
		if err := ctx.Err(); err != nil {
			return sessions, err
		}
		d, err := review.Open(ctx, src, ss, key, cat)
		if err != nil {
			if opt.Skip != nil && review.Unopened(err) {
				opt.Skip(ss.ID, err)
				continue
			}
			return sessions, err
		}
		var code string
		ratings := d.Ratings
		if ss.PatientID != "" {
			p, ok := patients[ss.PatientID]
			if !ok {
				if p, err = review.LoadPatientInfo(ctx, src, ss.PatientID, key, cat); err != nil {
					if opt.Skip != nil && review.Unopened(err) {
						opt.Skip(ss.ID, err)
						continue
					}
					return sessions, err
				}
				patients[ss.PatientID] = p
				ratings = append(ratings, p.Ratings...) // the patient's, once
			}
			code = p.Code
			if d.Identity == (screening.Identity{}) {
				// a check-in asks no name: the screening's tells who
				d.Identity = p.Identity
			}
		}
		shift := time.Duration(0)
		id := ss.ID
		if opt.Deidentified {
			person := ss.PatientID
			if person == "" {
				person = strings.ToLower(d.Identity.First + "\x00" + d.Identity.Last + "\x00" + d.Identity.Birth)
				if d.Identity == (screening.Identity{}) {
					person = "session:" + ss.ID
				}
			}
			off, ok := offsets[person]
			if !ok {
				var b [8]byte
				if _, err := io.ReadFull(opt.Rand, b[:]); err != nil {
					return sessions, err
				}
				off = time.Duration(binary.LittleEndian.Uint64(b[:])%365) * 24 * time.Hour
				offsets[person] = off
			}
			shift = off
			id = fmt.Sprintf("row-%06d", rows+1)
		}
		when := func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Add(shift).In(loc).Format(time.RFC3339)
		}
		rec := []string{id, string(ss.Kind), string(ss.Status), when(ss.Started), when(ss.Completed), fmt.Sprint(ss.Urgent)}
		if !opt.Deidentified {
			rec = append(rec, d.Identity.First, d.Identity.Last, d.Identity.Birth, code)
		}
		results := map[string]screening.Result{}
		for _, r := range d.Visit.Session.Results(d.At()) {
			results[r.Instrument.ID] = r
		}
		for _, c := range cols {
			if opt.Deidentified && c.free {
				rec = append(rec, "")
				continue
			}
			rec = append(rec, c.cell(c.value(d, results), when))
		}
		if err := cw.Write(rec); err != nil {
			return sessions, fmt.Errorf("csv: %w", err)
		}
		rows++
		sessions++
		for _, r := range ratings {
			res, ok := r.Score(cat)
			if !ok || r.At.Before(opt.Since) {
				continue
			}
			id := r.ID
			if opt.Deidentified {
				id = fmt.Sprintf("row-%06d", rows+1)
			}
			rec := []string{id, "rating", "", when(r.At), "", ""}
			if !opt.Deidentified {
				rec = append(rec, d.Identity.First, d.Identity.Last, d.Identity.Birth, code)
			}
			for _, c := range cols {
				v := ""
				if c.rating != nil {
					v = c.rating(r, res)
				}
				rec = append(rec, v)
			}
			if err := cw.Write(rec); err != nil {
				return sessions, fmt.Errorf("csv: %w", err)
			}
			rows++
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return sessions, fmt.Errorf("csv: %w", err)
	}
	return sessions, nil
}

// cell is a column's value as written: an instant in the export's zone
// (and moved with the patient's dates when de-identified: when does
// both), typed text that a spreadsheet would take for a formula behind a
// quote.
func (c column) cell(v string, when func(time.Time) string) string {
	switch {
	case c.when && v != "":
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return when(t)
		}
	case c.free && v != "" && strings.ContainsRune("=+-@", []rune(v)[0]):
		return "'" + v
	}
	return v
}

// columns are the item and score columns of every instrument.
func columns(cat *screening.Catalog) []column {
	var cols []column
	for _, in := range cat.Instruments() {
		if in.RatedByStaff() {
			cols = append(cols, ratingColumns(in)...)
			continue
		}
		for i := range in.Items {
			it := &in.Items[i]
			k := screening.Key{Instrument: in.ID, Item: it.ID}
			cols = append(cols, column{name: in.ID + "_" + it.ID, value: func(d review.Detail, _ map[string]screening.Result) string {
				return answerText(d.Visit.Session, it, k)
			}, free: cellOf(it.Kind).typed, when: cellOf(it.Kind).instant})
		}
		if in.Scoring != nil && in.Scoring.NoTotal {
			cols = append(cols, subscoreColumns(in)...)
		} else if in.Scoring != nil {
			id := in.ID
			cols = append(cols,
				column{name: id + "_total", value: func(_ review.Detail, rs map[string]screening.Result) string {
					if r, ok := rs[id]; ok && r.Scored && !r.Skipped {
						return fmt.Sprint(r.Total)
					}
					return ""
				}},
				column{name: id + "_band", value: func(_ review.Detail, rs map[string]screening.Result) string {
					if r, ok := rs[id]; ok && r.Scored && !r.Skipped && r.Band != nil {
						return r.Band.Label.In("en")
					}
					return ""
				}})
		}
	}
	return cols
}

// subscoreColumns are the score columns of an instrument without a total
// (the BAM): each subscore's total, named instrument_subscore.
func subscoreColumns(in *screening.Instrument) []column {
	var cols []column
	for i := range in.Scoring.Subscores {
		id, sub := in.ID, in.Scoring.Subscores[i].ID
		cols = append(cols, column{name: id + "_" + sub, value: func(_ review.Detail, rs map[string]screening.Result) string {
			r, ok := rs[id]
			if !ok || r.Skipped {
				return ""
			}
			for _, s := range r.Subscores {
				if s.Subscore.ID == sub && s.Scored {
					return fmt.Sprint(s.Total)
				}
			}
			return ""
		}})
	}
	return cols
}

// ratingColumns are the columns of an instrument staff rate: its items'
// options chosen and its total and band, filled in a rating's row only.
func ratingColumns(in *screening.Instrument) []column {
	none := func(review.Detail, map[string]screening.Result) string { return "" }
	var cols []column
	for i := range in.Items {
		it := &in.Items[i]
		cols = append(cols, column{name: in.ID + "_" + it.ID, value: none, rating: func(r intakekiosk.Rating, _ screening.Result) string {
			if a, ok := r.Answered().Get(in.ID, it.ID); ok {
				return strings.Join(it.Said(a, "en").Words, "; ")
			}
			return ""
		}})
	}
	cols = append(cols,
		column{name: in.ID + "_total", value: none, rating: func(_ intakekiosk.Rating, res screening.Result) string {
			if res.Scored {
				return fmt.Sprint(res.Total)
			}
			return ""
		}},
		column{name: in.ID + "_band", value: none, rating: func(_ intakekiosk.Rating, res screening.Result) string {
			if res.Scored && res.Band != nil {
				return res.Band.Label.In("en")
			}
			return ""
		}})
	return cols
}

// answerText is an answer as a cell: the option labels (several joined
// by "; "), the number, the instant (RFC 3339, UTC), the
// text; "(declined)"; empty when not asked or not answered.
func answerText(sess *screening.Session, it *screening.Item, k screening.Key) string {
	a, ok := sess.Answer(k)
	if !ok {
		return ""
	}
	if _, asked := sess.Step(k, a.At); !asked {
		return "" // a stale answer to a question branching skipped
	}
	if a.Declined {
		return "(declined)"
	}
	return cellOf(it.Kind).text(it, a)
}

// cellKind is how a cell holds one kind of answer. cellOf is the
// exporter's whole knowledge of item kinds: a new kind is one case there.
type cellKind struct {
	// text is the answer as the cell holds it.
	text func(it *screening.Item, a screening.Answer) string
	// typed: the patient typed it (a de-identified export leaves it out,
	// a spreadsheet must not read it as a formula); instant: an RFC 3339
	// time that the export moves to its zone.
	typed, instant bool
}

// cellOf is the cell kind of an item kind.
func cellOf(kind screening.Kind) cellKind {
	switch kind {
	case screening.Number:
		return cellKind{text: func(it *screening.Item, a screening.Answer) string {
			if a.Number == nil {
				return ""
			}
			return screening.FormatNumber(*a.Number, it.Decimals)
		}}
	case screening.When:
		return cellKind{instant: true, text: func(_ *screening.Item, a screening.Answer) string {
			if a.Time == nil {
				return ""
			}
			return a.Time.UTC().Format(time.RFC3339)
		}}
	case screening.Free:
		return cellKind{typed: true, text: func(_ *screening.Item, a screening.Answer) string { return a.Text }}
	}
	// the options chosen, in English, several joined by "; "
	return cellKind{text: func(it *screening.Item, a screening.Answer) string {
		return strings.Join(it.Said(a, "en").Words, "; ")
	}}
}
