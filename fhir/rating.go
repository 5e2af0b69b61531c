package fhir

import (
	"errors"
	"fmt"

	"github.com/google/uuid"

	"intakekiosk"
	"intakekiosk/screening"
)

// ratingObservation is the Observation of a clinician's rating (COWS):
// the total, no QuestionnaireResponse behind it (staff rate it at the
// desk; the patient answered nothing).
type ratingObservation struct {
	ResourceType      string            `json:"resourceType"`
	ID                string            `json:"id"`
	Meta              *meta             `json:"meta,omitempty"`
	Status            string            `json:"status"`
	Category          []codeableConcept `json:"category"`
	Code              codeableConcept   `json:"code"`
	Subject           reference         `json:"subject"`
	EffectiveDateTime string            `json:"effectiveDateTime"`
	ValueQuantity     *quantity         `json:"valueQuantity"`
	Interpretation    []codeableConcept `json:"interpretation,omitempty"`
	Method            *codeableConcept  `json:"method,omitempty"`
	Note              []annotation      `json:"note,omitempty"`
}

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
		in := res.Instrument
		code := codeableConcept{Text: in.Title["en"] + " total score"}
		if in.LOINC.Total != "" {
			code.Coding = []coding{{System: loincSystem, Code: in.LOINC.Total, Display: code.Text}}
		} else {
			code.Coding = []coding{{System: w.base + codeSystemPath + scoresCodeSystemID, Code: in.ID, Display: code.Text}}
		}
		id := nameID("rating", r.ID)
		o := &ratingObservation{
			ResourceType: "Observation", ID: id.String(), Meta: securityLabels, Status: "final",
			Category: []codeableConcept{{Coding: []coding{{System: categorySystem, Code: "survey", Display: "Survey"}}}},
			Code:     code, Subject: subject, EffectiveDateTime: fhirTime(r.At),
			ValueQuantity: &quantity{Value: res.Total, Unit: scoreUnit, System: ucumSystem, Code: scoreUnit},
			Method:        &codeableConcept{Text: "Rated by a clinician at the desk"},
		}
		if res.Band != nil {
			o.Interpretation = []codeableConcept{{Text: res.Band.Label["en"]}}
		}
		if s := in.Scoring.Convention; s != "" {
			o.Note = append(o.Note, annotation{Text: s})
		}
		if err := w.entry(id, o); err != nil {
			return err
		}
	}
	return nil
}
