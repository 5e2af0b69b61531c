package fhir

import (
	"bufio"
	"context"
	"io"
	"time"

	"intakekiosk"
	"intakekiosk/review"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

// Export writes the finished sessions started since (zero: all) as a
// FHIR R4 Bundle made at opts.Now under the canonical base opts.BaseURL
// (none: ErrNoBase, before anything is read or written), oldest first (a screening before its
// check-ins), a session at a time: each is opened with the clinic key
// (key) and written as it is read, so memory stays flat. A check-in,
// which asks no name, carries its patient's identity from their
// screening, each patient read once, and the COWS ratings recorded under
// a patient (rated since) follow their first session. It returns how many sessions it
// wrote. skip, when not nil, is told each session left out because it
// does not open (review.Unopened), and the rest are written; nil: such a
// session is the export's error.
func Export(ctx context.Context, w io.Writer, src review.PatientSource, key *vault.ClinicKey, cat *screening.Catalog, since time.Time, opts Options, skip func(sessionID string, err error)) (int, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	fw, err := NewWriter(bw, cat, opts)
	if err != nil {
		return 0, err
	}
	list, err := src.Sessions(ctx, sqlite.Filter{Since: since})
	if err != nil {
		return 0, err
	}
	patients := map[string]review.PatientInfo{}
	n := 0
	for i := len(list) - 1; i >= 0; i-- { // the list is newest first
		ss := list[i]
		if ss.Status == intakekiosk.InProgress {
			continue
		}
		d, err := review.Open(ctx, src, ss, key, cat)
		if err != nil {
			if skip != nil && review.Unopened(err) {
				skip(ss.ID, err)
				continue
			}
			return n, err
		}
		var rated []intakekiosk.Rating // the patient's COWS, with their first session
		if ss.PatientID != "" {
			p, ok := patients[ss.PatientID]
			if !ok {
				if p, err = review.LoadPatientInfo(ctx, src, ss.PatientID, key, cat); err != nil {
					if skip != nil && review.Unopened(err) {
						skip(ss.ID, err)
						continue
					}
					return n, err
				}
				patients[ss.PatientID] = p
				for _, r := range p.Ratings {
					if !r.At.Before(since) {
						rated = append(rated, r)
					}
				}
			}
			if d.Identity == (screening.Identity{}) {
				d.Identity = p.Identity
			}
		}
		if err := fw.Add(d); err != nil {
			return n, err
		}
		if len(rated) > 0 {
			if err := fw.AddRatings(ss.PatientID, rated); err != nil {
				return n, err
			}
		}
		n++
	}
	if err := fw.Close(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}
