package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/google/uuid"

	"intakekiosk"
	"intakekiosk/fhir"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
)

// fhirNamespace makes the ids of sessions imported from FHIR: the same
// responses always get the same id, so importing twice adds nothing.
var fhirNamespace = uuid.MustParse("6d1f5a8e-3b2c-4e7a-9f10-2a4b6c8d0e1f")

// importFHIR stores the QuestionnaireResponses of a FHIR file as sealed
// sessions, scored like kiosk sessions (paper forms typed in later): all
// of the file or nothing.
func importFHIR(ctx context.Context, path string, st *sqlite.Store, cat *screening.Catalog, by string) (added, existing int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	// the questionnaires accepted: the clinic's own (fhir_base) and
	// LOINC's forms; no registered site has a base of its own yet
	base, err := st.Setting(ctx, fhir.BaseSetting)
	if err != nil {
		return 0, 0, err
	}
	opts := fhir.ReadOptions{Now: time.Now()}
	if base != "" {
		opts.Bases = []string{base}
	}
	list, err := fhir.Read(f, cat, opts)
	if err != nil {
		return 0, 0, err
	}
	var sessions []sqlite.NewSession
	consents := 0
	for _, im := range list {
		id := uuid.NewSHA1(fhirNamespace, []byte(im.Source+"|"+im.Authored.UTC().Format(time.RFC3339Nano))).String()
		if _, err := st.Session(ctx, id); err == nil {
			existing++
			continue
		} else if !errors.Is(err, sqlite.ErrNoSession) {
			return 0, 0, err
		}
		ns := sqlite.NewSession{ID: id, Kind: kindOf(im.Answers, cat), Status: intakekiosk.Incomplete, Started: im.Authored}
		if im.Complete {
			ns.Status, ns.Completed = intakekiosk.New, im.Authored
		}
		if im.Identity != (screening.Identity{}) {
			who := im.Identity
			ns.Records = append(ns.Records, intakekiosk.Record{Recorded: im.Authored, Payload: intakekiosk.Payload{Identity: &who}})
		}
		if im.Consent != nil {
			// the consent as signed, then each revocation, by whom imports
			c := *im.Consent
			ns.Records = append(ns.Records, intakekiosk.Record{Recorded: im.SignedAt, Payload: intakekiosk.Payload{Consent: &c}})
			consents++
			for _, r := range im.Revocations {
				r.By = by
				at := im.SignedAt
				if r.Asked.After(at) {
					at = r.Asked
				}
				ns.Records = append(ns.Records, intakekiosk.Record{Recorded: at, Payload: intakekiosk.Payload{Revocation: &r}})
			}
		}
		// the answers as written: an answer the form's branching skips is
		// kept and counted (the summary says so)
		ns.Records = append(ns.Records, intakekiosk.Record{Recorded: im.Authored, Payload: intakekiosk.Payload{Event: intakekiosk.Event{Paper: true}}})
		sess := screening.NewSessionFor(cat, string(ns.Kind), nil)
		if ns.Kind == intakekiosk.Checkin {
			// a check-in asked what its responses answer (a BAM, a PHQ-9
			// on the clinic's schedule): on record, it reads back over them
			asks := answeredIn(im.Answers, cat)
			sess = screening.NewSessionOf(cat, asks)
			ns.Records = append(ns.Records, intakekiosk.Record{Recorded: im.Authored, Payload: intakekiosk.Payload{Event: intakekiosk.Event{Asks: asks}}})
		}
		sess.AsWritten()
		for i := range im.Answers {
			a := im.Answers[i]
			sess.Restore(a)
			ns.Records = append(ns.Records, intakekiosk.Record{Recorded: im.Authored, Payload: intakekiosk.Payload{Answer: &a}})
		}
		ns.Urgent = sess.Urgent(im.Authored)
		sessions = append(sessions, ns)
	}
	if len(sessions) > 0 {
		if err := st.AddSessions(ctx, sessions); err != nil {
			return 0, 0, err
		}
	}
	err = st.Audit(ctx, sqlite.Entry{At: time.Now(), Actor: by, Action: sqlite.ActImport, Target: "FHIR",
		Detail: fmt.Sprintf("%d sessions added (%d with a signed consent), %d already here", len(sessions), consents, existing)})
	return len(sessions), existing, err
}

// kindOf is the kind of visit answers come from: a check-in when one of
// their instruments is never asked at a screening (asked at check-ins,
// or only on the clinic's schedule, as the BAM).
func kindOf(answers []screening.Answer, cat *screening.Catalog) intakekiosk.SessionKind {
	for _, a := range answers {
		if in, ok := cat.Instrument(a.Instrument); ok && !in.AskedAt(screening.ForScreening) &&
			(in.AskedAt(screening.ForCheckin) || in.AskedAt(screening.ForSchedule)) {
			return intakekiosk.Checkin
		}
	}
	return intakekiosk.Screening
}

// answeredIn are the instruments of the catalog that answers answer, in
// session order.
func answeredIn(answers []screening.Answer, cat *screening.Catalog) []string {
	ids := []string{}
	for _, in := range cat.Instruments() {
		if slices.ContainsFunc(answers, func(a screening.Answer) bool { return a.Instrument == in.ID }) {
			ids = append(ids, in.ID)
		}
	}
	return ids
}

// isBundle says whether a file is a transfer bundle (else FHIR JSON).
func isBundle(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	return bytes.HasPrefix(bytes.TrimLeft(head[:n], " \t\r\n\ufeff"), []byte(`{"header"`)), nil
}
