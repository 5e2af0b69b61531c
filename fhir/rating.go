package fhir

import (
	"errors"
	"fmt"

	"github.com/google/uuid"

	"intakekiosk"
	"intakekiosk/screening"
)

// AddRatings writes an Observation of the total of each clinician's
// rating (COWS) of a returning patient (patientID, as
// intakekiosk.Session.PatientID names them), their Patient written or
// pending as for their check-ins. Its code is the instrument's LOINC total
// where the file gives one; COWS has none verified, so it is
// BaseURL+"/CodeSystem/scores" with the instrument id ("cows"), as every
// total without a LOINC code. A rating whose instrument the catalog no
// longer has is left out.
func (w *Writer) AddRatings(patientID string, ratings []intakekiosk.Rating) error {
	if w.done {
		return ErrClosed
	}
	if w.err != nil {
		return w.err
	}
	if patientID == "" {
		return errors.New("fhir bundle: ratings without a patient")
	}
	if err := w.ratings(nameID("patient", patientID), ratings); err != nil {
		w.err = fmt.Errorf("fhir bundle: patient %s: %w", patientID, err)
	}
	return w.err
}

// ratings writes the Observations of ratings about the person pid.
func (w *Writer) ratings(pid uuid.UUID, ratings []intakekiosk.Rating) error {
	subject := reference{Reference: "urn:uuid:" + pid.String()}
	for _, r := range ratings {
		res, ok := r.Score(w.cat)
		if !ok || !res.Scored || r.ID == "" {
			continue
		}
		if err := w.patient(pid, screening.Identity{}); err != nil {
			return err
		}
		id := nameID("rating", r.ID)
		o := w.observation(id, res, subject, fhirTime(r.At), uuid.Nil)
		o.DerivedFrom = nil // rated at the desk: no response behind it
		o.Note = append([]annotation{{Text: "Rated by a clinician at the desk."}}, o.Note...)
		if err := w.entry(id, o); err != nil {
			return err
		}
	}
	return nil
}
