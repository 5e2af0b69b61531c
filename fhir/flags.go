package fhir

import (
	"intakekiosk"
	"intakekiosk/review"
	"intakekiosk/screening"
)

// The Flag resources of a session: one per reason of the concern table
// (intakekiosk.Concerns), so that an EHR reading the export sees suicide
// risk and what to ask in person, not only a low total.
const (
	flagCategorySystem = "http://terminology.hl7.org/CodeSystem/flag-category"
	flagPriorityURL    = "http://hl7.org/fhir/StructureDefinition/flag-priority"
	flagPrioritySystem = "http://terminology.hl7.org/CodeSystem/flag-priority-code"
	flagsCodeSystemID  = "flags"
	// dataAbsentReasonSystem is the code system of a value left out.
	dataAbsentReasonSystem = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
)

type flagResource struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Meta         *meta             `json:"meta,omitempty"`
	Extension    []codedExtension  `json:"extension,omitempty"`
	Status       string            `json:"status"`
	Category     []codeableConcept `json:"category"`
	Code         codeableConcept   `json:"code"`
	Subject      reference         `json:"subject"`
	Period       period            `json:"period"`
}

type (
	period struct {
		Start string `json:"start"`
	}
	codedExtension struct {
		URL                  string          `json:"url"`
		ValueCodeableConcept codeableConcept `json:"valueCodeableConcept"`
	}
)

// flags writes a Flag per reason the session needs a person, and an
// Observation of each answer a safety flag rests on that has a LOINC code.
func (w *Writer) flags(d review.Detail, results []screening.Result, subject reference, authored string) error {
	for _, r := range intakekiosk.ConcernsOf(results, d.HelpRequested, d.Unwell) {
		code, text := string(r.Trigger), ""
		switch r.Trigger {
		case intakekiosk.ByHelp:
			text = `The patient pressed "I need help now" at the kiosk`
		case intakekiosk.ByUnwell:
			text = `The patient said they feel physically unwell (severe withdrawal, chest pain, a seizure, or vomiting that will not stop)`
		default:
			code, text = r.Instrument.ID+"."+r.Flag.ID, r.Flag.Label["en"]
		}
		priority := coding{System: flagPrioritySystem, Code: "PH", Display: "High priority"}
		if r.Concern == intakekiosk.NeedsAttention {
			priority = coding{System: flagPrioritySystem, Code: "PM", Display: "Medium priority"}
		}
		id := nameID("flag", d.Session.ID+"/"+code)
		f := &flagResource{
			ResourceType: "Flag", ID: id.String(), Meta: securityLabels, Status: "active",
			Extension: []codedExtension{{URL: flagPriorityURL, ValueCodeableConcept: codeableConcept{Coding: []coding{priority}}}},
			Category:  []codeableConcept{{Coding: []coding{{System: flagCategorySystem, Code: "clinical", Display: "Clinical"}}}},
			Code:      codeableConcept{Coding: []coding{{System: w.base + codeSystemPath + flagsCodeSystemID, Code: code, Display: text}}, Text: text},
			Subject:   subject, Period: period{Start: authored},
		}
		if err := w.entry(id, f); err != nil {
			return err
		}
		if r.Flag != nil && r.Flag.Safety {
			if err := w.evidence(d, r, subject, authored); err != nil {
				return err
			}
		}
	}
	return nil
}

// evidence writes an Observation of each LOINC-coded item a safety flag's
// rule tests: the answer as its LA code, or a decline as data absent.
func (w *Writer) evidence(d review.Detail, r intakekiosk.Reason, subject reference, authored string) error {
	var err error
	seen := map[string]bool{}
	r.Flag.When.Tests(func(rule *screening.Rule, negated bool) {
		in := r.Instrument
		if err != nil || negated || rule.Item == "" || (rule.Instrument != "" && rule.Instrument != in.ID) || seen[rule.Item] {
			return
		}
		seen[rule.Item] = true
		it, ok := in.Item(rule.Item)
		if !ok || it.LOINC == "" {
			return
		}
		a, ok := d.Visit.Session.Answer(screening.Key{Instrument: in.ID, Item: it.ID})
		if !ok {
			return
		}
		id := nameID("item", d.Session.ID+"/"+in.ID+"/"+it.ID)
		o := &observationResource{
			ResourceType: "Observation", ID: id.String(), Meta: securityLabels, Status: "final",
			Category: []codeableConcept{{Coding: []coding{{System: categorySystem, Code: "survey", Display: "Survey"}}}},
			Code:     codeableConcept{Coding: []coding{{System: loincSystem, Code: it.LOINC, Display: it.LOINCDisplay}}, Text: it.Text["en"]},
			Subject:  subject, EffectiveDateTime: authored,
			DerivedFrom: []reference{{Reference: "urn:uuid:" + nameID("response", d.Session.ID+"/"+in.ID).String()}},
		}
		if a.Declined {
			o.DataAbsentReason = &codeableConcept{Coding: []coding{{System: dataAbsentReasonSystem, Code: askedDeclined, Display: "Asked But Declined"}}}
		} else {
			c := w.coding(in, it, a.Choice)
			o.ValueCodeableConcept = &codeableConcept{Coding: []coding{*c}, Text: c.Display}
		}
		err = w.entry(id, o)
	})
	return err
}
