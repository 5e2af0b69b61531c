package fhir

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/google/uuid"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/review"
	"intakekiosk/screening"
)

// Writer streams a FHIR R4 Bundle of type "collection" to an io.Writer:
// NewWriter writes the envelope, Add writes a session's entries at once,
// Close ends the Bundle. It keeps only the ids of the Patients written (16
// bytes a person), so memory stays flat however many sessions pass
// through. A Writer is not safe for concurrent use.
type Writer struct {
	out  *bufio.Writer
	enc  *json.Encoder
	cat  *screening.Catalog
	base string
	n    int // entries written
	err  error
	done bool
	// written holds the Patients written; pending those met only through
	// sessions without an identity (check-ins), written at Close unless
	// a session with the identity comes first.
	written map[uuid.UUID]struct{}
	pending map[uuid.UUID]struct{}
	// defined holds the instruments ("id|version") whose Questionnaire
	// is written.
	defined map[string]struct{}
}

// ErrClosed is returned by Add and Close after Close.
var ErrClosed = errors.New("fhir: bundle already closed")

// NewWriter writes a Bundle's envelope to w and returns a Writer for its
// entries. Without a canonical base (Options.BaseURL, the clinic's
// fhir_base setting) it writes nothing and returns ErrNoBase, Invalid,
// its Field "fhir_base".
func NewWriter(w io.Writer, cat *screening.Catalog, opts Options) (*Writer, error) {
	if cat == nil {
		return nil, errors.New("fhir bundle: no instrument catalog")
	}
	base := strings.TrimRight(opts.BaseURL, "/")
	if base == "" {
		return nil, &fault.Error{Op: "fhir export", Kind: fault.Invalid, Field: BaseSetting, Err: ErrNoBase}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	wr := &Writer{out: bw, enc: json.NewEncoder(bw), cat: cat, base: base,
		written: map[uuid.UUID]struct{}{}, pending: map[uuid.UUID]struct{}{}, defined: map[string]struct{}{}}
	wr.enc.SetEscapeHTML(false)
	head := struct {
		ResourceType string `json:"resourceType"`
		Meta         *meta  `json:"meta"`
		Type         string `json:"type"`
		Timestamp    string `json:"timestamp,omitempty"`
	}{ResourceType: "Bundle", Meta: securityLabels, Type: "collection"}
	if !opts.Now.IsZero() {
		head.Timestamp = fhirTime(opts.Now)
	}
	b, err := json.Marshal(head)
	if err != nil {
		return nil, fmt.Errorf("fhir bundle: %w", err)
	}
	// the envelope stays open: entries follow, Close ends it
	if _, err := bw.Write(b[:len(b)-1]); err != nil {
		return nil, fmt.Errorf("fhir bundle: %w", err)
	}
	return wr, nil
}

// WriteBundle writes sessions as one Bundle to w through a Writer.
func WriteBundle(w io.Writer, sessions []review.Detail, cat *screening.Catalog, opts Options) error {
	wr, err := NewWriter(w, cat, opts)
	if err != nil {
		return err
	}
	for i := range sessions {
		if err := wr.Add(sessions[i]); err != nil {
			return err
		}
	}
	return wr.Close()
}

// Add writes a session's Patient (the first time the person is met),
// QuestionnaireResponses, Observations and Flags, and its Consent (with
// the Provenance of its signature) when the patient signed or declined
// one (d.Consent), and an Observation of each COWS rated on it
// (d.Ratings: a screening's patient without a code yet; AddRatings
// writes a returning patient's). A session with neither answers nor a consent adds
// nothing; counselors' notes (d.Notes) are never written. Each session must be added once: its resources' ids derive
// from its id. After a write error every call returns that error.
func (w *Writer) Add(d review.Detail) error {
	if w.done {
		return ErrClosed
	}
	if w.err != nil {
		return w.err
	}
	if d.Visit.Session == nil {
		return nil
	}
	if d.Session.ID == "" {
		return errors.New("fhir bundle: a session without an id")
	}
	if err := w.add(d); err != nil {
		w.err = fmt.Errorf("fhir bundle: session %s: %w", d.Session.ID, err)
		return w.err
	}
	// the COWS rated on a screening before its patient had a code
	if err := w.ratings(patientOf(d.Session), d.Ratings); err != nil {
		w.err = fmt.Errorf("fhir bundle: session %s: %w", d.Session.ID, err)
	}
	return w.err
}

// Close writes the Patients still pending and ends the Bundle. It does not
// close the underlying writer.
func (w *Writer) Close() error {
	if w.done {
		return ErrClosed
	}
	w.done = true
	if w.err != nil {
		return w.err
	}
	ids := make([]uuid.UUID, 0, len(w.pending))
	for id := range w.pending {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
	for _, id := range ids {
		if err := w.entry(id, &patientResource{ResourceType: "Patient", ID: id.String(), Meta: securityLabels}); err != nil {
			return fmt.Errorf("fhir bundle: %w", err)
		}
	}
	end := "}\n"
	if w.n > 0 {
		end = "]}\n"
	}
	if _, err := w.out.WriteString(end); err != nil {
		return fmt.Errorf("fhir bundle: %w", err)
	}
	if err := w.out.Flush(); err != nil {
		return fmt.Errorf("fhir bundle: %w", err)
	}
	return nil
}

// entry writes one Bundle entry, the §2.32 notice ahead of the first:
// a Bundle that discloses anything carries it.
func (w *Writer) entry(id uuid.UUID, res any) error {
	if w.n == 0 {
		if err := w.put(noticeID, notice()); err != nil {
			return err
		}
	}
	return w.put(id, res)
}

// put writes one Bundle entry as it is.
func (w *Writer) put(id uuid.UUID, res any) error {
	sep := ","
	if w.n == 0 {
		sep = `,"entry":[` + "\n"
	}
	if _, err := w.out.WriteString(sep); err != nil {
		return err
	}
	w.n++
	return w.enc.Encode(entry{FullURL: "urn:uuid:" + id.String(), Resource: res})
}

// patientOf is the stable id of a session's person.
func patientOf(ss intakekiosk.Session) uuid.UUID {
	if ss.PatientID != "" {
		return nameID("patient", ss.PatientID)
	}
	return nameID("screening", ss.ID)
}

// instrumentAnswers is what one instrument of a session exports.
type instrumentAnswers struct {
	in    *screening.Instrument
	items []responseItem
}

func (w *Writer) add(d review.Detail) error {
	sess := d.Visit.Session
	at := d.At()
	// the questions asked, grouped by instrument, with their answers
	var groups []instrumentAnswers
	for _, st := range sess.Steps(at) {
		a, ok := sess.Answer(st.Key())
		if !ok {
			continue
		}
		item, ok := w.item(st.Instrument, st.Item, a)
		if !ok {
			continue
		}
		if len(groups) == 0 || groups[len(groups)-1].in != st.Instrument {
			groups = append(groups, instrumentAnswers{in: st.Instrument})
		}
		g := &groups[len(groups)-1]
		g.items = append(g.items, item)
	}
	if len(groups) == 0 && d.Consent.Consent == nil {
		return nil
	}
	pid := patientOf(d.Session)
	if err := w.patient(pid, d.Identity); err != nil {
		return err
	}
	subject := reference{Reference: "urn:uuid:" + pid.String()}
	if len(groups) > 0 {
		if err := w.answers(d, groups, subject); err != nil {
			return err
		}
	}
	if d.Consent.Consent != nil {
		return w.consent(d, subject)
	}
	return nil
}

// answers writes a session's responses, the Observations of their
// scores and the session's Flags.
func (w *Writer) answers(d review.Detail, groups []instrumentAnswers, subject reference) error {
	sess := d.Visit.Session
	at := d.At()
	status := "stopped"
	switch {
	case !d.Session.Completed.IsZero():
		status = "completed"
	case d.Session.Status == intakekiosk.InProgress:
		status = "in-progress"
	}
	authored := fhirTime(at)
	results := sess.Results(at)
	for _, g := range groups {
		in := g.in
		if err := w.questionnaire(in); err != nil {
			return err
		}
		i := slices.IndexFunc(results, func(r screening.Result) bool { return r.Instrument == in })
		scored := i >= 0 && hasTotal(in) && results[i].Scored
		if scored {
			// the total, as LHC-Forms shows it: a form with saved answers
			// keeps the total they hold
			n := float64(results[i].Total)
			g.items = append(g.items, responseItem{LinkID: totalLinkID(in), Text: in.Title["en"] + " total score",
				Answer: []responseAnswer{{ValueDecimal: &n}}})
		}
		rid := nameID("response", d.Session.ID+"/"+in.ID)
		qr := &responseResource{
			ResourceType: "QuestionnaireResponse", ID: rid.String(), Meta: securityLabels,
			Identifier:    &identifier{System: w.base + sessionIDPath, Value: d.Session.ID},
			Questionnaire: w.base + questionnairePath + in.ID + "|" + in.Version,
			Status:        status, Subject: subject, Authored: authored, Item: g.items,
		}
		if err := w.entry(rid, qr); err != nil {
			return err
		}
		if !scored {
			continue
		}
		oid := nameID("score", d.Session.ID+"/"+in.ID)
		if err := w.entry(oid, w.observation(oid, results[i], subject, authored, rid)); err != nil {
			return err
		}
		for _, sub := range results[i].Subscores {
			if !sub.Scored || sub.Subscore.LOINC.Total == "" {
				continue
			}
			sid := nameID("score", d.Session.ID+"/"+in.ID+"/"+sub.Subscore.ID)
			if err := w.entry(sid, w.subObservation(sid, in, sub, subject, authored, rid)); err != nil {
				return err
			}
		}
	}
	return w.flags(d, results, subject, authored)
}

// patient writes the person's Patient the first time they come with an
// identity; without one they wait in pending until Close.
func (w *Writer) patient(id uuid.UUID, who screening.Identity) error {
	if _, ok := w.written[id]; ok {
		return nil
	}
	if who == (screening.Identity{}) {
		w.pending[id] = struct{}{}
		return nil
	}
	delete(w.pending, id)
	w.written[id] = struct{}{}
	p := &patientResource{ResourceType: "Patient", ID: id.String(), Meta: securityLabels, BirthDate: who.Birth}
	name := humanName{Use: "official", Family: strings.TrimSpace(who.Last)}
	if first := strings.TrimSpace(who.First); first != "" {
		name.Given = []string{first}
	}
	if name.Family != "" || name.Given != nil {
		p.Name = []humanName{name}
	}
	return w.entry(id, p)
}

// item is the response item of an answer; false when there is nothing to
// write (an empty multiple choice answer restored from storage).
func (w *Writer) item(in *screening.Instrument, it *screening.Item, a screening.Answer) (responseItem, bool) {
	ri := responseItem{LinkID: linkID(in, it), Text: it.Text["en"]}
	if a.Declined {
		ri.Extension = []extension{{URL: dataAbsentReason, ValueCode: askedDeclined}}
		return ri, true
	}
	ri.Answer = answerTypeOf(it.Kind).write(w, in, it, a)
	return ri, len(ri.Answer) > 0
}

// coding is a chosen option: its LOINC answer code where the instrument
// file gives one, else the option's value in the instrument's own code
// system. A value that is no longer an option (an answer stored under an
// older version of the file) is written as recorded, without display.
func (w *Writer) coding(in *screening.Instrument, it *screening.Item, value string) *coding {
	o, ok := it.Option(value)
	if ok && o.LOINC != "" {
		display := o.LOINCDisplay
		if display == "" {
			display = o.Label["en"]
		}
		return &coding{System: loincSystem, Code: o.LOINC, Display: display}
	}
	c := &coding{System: w.base + codeSystemPath + in.ID, Code: value}
	if ok {
		c.Display = o.Label["en"]
	}
	return c
}

// observation is the Observation of a scored total: its LOINC code with
// LOINC's long common name where the instrument has one, else the
// instrument's id in the clinic's code system of scores.
func (w *Writer) observation(id uuid.UUID, r screening.Result, subject reference, at string, from uuid.UUID) *observationResource {
	in := r.Instrument
	code := codeableConcept{Text: in.Title["en"] + " total score"}
	if in.LOINC.Total != "" {
		code.Coding = []coding{{System: loincSystem, Code: in.LOINC.Total, Display: in.LOINC.TotalDisplay}}
	} else {
		code.Coding = []coding{{System: w.base + codeSystemPath + scoresCodeSystemID, Code: in.ID, Display: code.Text}}
	}
	o := w.score(id, code, r.Total, subject, at, from)
	if r.Band != nil {
		o.Interpretation = []codeableConcept{w.interpretation(in.ID, r.Band)}
	}
	if s := r.BandNote["en"]; s != "" {
		o.Note = append(o.Note, annotation{Text: s})
	}
	if s := in.Scoring.Convention; s != "" {
		o.Note = append(o.Note, annotation{Text: s})
	}
	return o
}

// subObservation is the Observation of a subscore LOINC codes as a total
// of its own (the PHQ-2 within the PHQ-9).
func (w *Writer) subObservation(id uuid.UUID, in *screening.Instrument, sub screening.SubResult, subject reference, at string, from uuid.UUID) *observationResource {
	s := sub.Subscore
	code := codeableConcept{
		Coding: []coding{{System: loincSystem, Code: s.LOINC.Total, Display: s.LOINC.TotalDisplay}},
		Text:   s.Label["en"] + " total score",
	}
	o := w.score(id, code, sub.Total, subject, at, from)
	if sub.Band != nil {
		o.Interpretation = []codeableConcept{w.interpretation(in.ID+"."+s.ID, sub.Band)}
	}
	return o
}

// score is a survey Observation of a score, derived from a response.
func (w *Writer) score(id uuid.UUID, code codeableConcept, total int, subject reference, at string, from uuid.UUID) *observationResource {
	return &observationResource{
		ResourceType: "Observation", ID: id.String(), Meta: securityLabels, Status: "final",
		Category: []codeableConcept{{Coding: []coding{{System: categorySystem, Code: "survey", Display: "Survey"}}}},
		Code:     code, Subject: subject, EffectiveDateTime: at,
		ValueQuantity: &quantity{Value: total, Unit: scoreUnit, System: ucumSystem, Code: scoreUnit},
		DerivedFrom:   []reference{{Reference: "urn:uuid:" + from.String()}},
	}
}

// interpretation is a band as a coded interpretation: the band in the
// clinic's code system of bands (BaseURL+"/CodeSystem/bands", code the
// score's name and the band's code, "phq9.moderate"), the LOINC answer
// code of the band where the file gives one, and HL7's
// ObservationInterpretation code where one means the same (POS, NEG).
// A band without a code of its own is its words alone.
func (w *Writer) interpretation(score string, b *screening.Band) codeableConcept {
	label := b.Label["en"]
	c := codeableConcept{Text: label}
	if b.Code != "" {
		c.Coding = append(c.Coding, coding{System: w.base + codeSystemPath + bandsCodeSystemID, Code: score + "." + b.Code, Display: label})
	}
	if b.LOINC != "" {
		c.Coding = append(c.Coding, coding{System: loincSystem, Code: b.LOINC, Display: b.LOINCDisplay})
	}
	if b.Interpretation != "" {
		c.Coding = append(c.Coding, coding{System: interpretationSystem, Code: b.Interpretation, Display: screening.Interpretations[b.Interpretation]})
	}
	return c
}
