// Package fhir exports screening sessions as a FHIR R4 Bundle and reads
// FHIR QuestionnaireResponses for the kiosk's instruments back in, for
// the main clinic's EHR and for paper forms typed in elsewhere. It is plain
// encoding/json: no FHIR library.
//
// # Export
//
// [Writer] streams a Bundle of type "collection": the envelope first, then
// each entry as it is made, so a large export never holds its resources in
// memory. For every session with at least one answer it writes
//
//   - a Patient per person (name and birthDate), once: its id is a UUID
//     derived from the session's PatientID when set (so a screening and
//     the check-ins linked to it share one Patient), else from the
//     screening's own id;
//   - a Questionnaire per instrument the export answers, once, ahead of its
//     first response: BaseURL+"/Questionnaire/"+id at the file's version
//     (questionnaire.go says what it holds and what of the branching FHIR
//     cannot say);
//   - a QuestionnaireResponse per instrument the patient answered at least
//     one question of, naming its Questionnaire by url|version, its items
//     by linkId ("/" and the item's LOINC code where the file has one, so
//     that the response fits LOINC's form of the panel too, else the
//     item's id), with the answers to the questions asked (branching
//     applied) and, when scored, the total as an item of its own
//     (linkId "/" and the LOINC total code, else "score.total"): choices
//     as valueCoding (LOINC answer codes, displayed as LOINC words them,
//     for every instrument LOINC publishes as a panel: the loader requires
//     them there; the instrument's own code system BaseURL+"/CodeSystem/"+id
//     with the option's value as code only for the clinic's own
//     questionnaires and the SOWS, which LOINC has not), numbers as
//     valueDecimal, times as valueDateTime, text as valueString;
//   - an Observation per scored total (LOINC code, with LOINC's long
//     common name as display, where the instrument has one, else
//     BaseURL+"/CodeSystem/scores" with the instrument id as code), and
//     one per scored subscore with a LOINC total (the PHQ-2, 55758-7,
//     from PHQ-9 items 1 and 2), derived from the response; its band is a
//     coded interpretation: BaseURL+"/CodeSystem/bands" ("phq9.moderate",
//     "phq9.phq2.positive"), with the band's LOINC answer code where
//     LOINC has one (PHQ-9 severity, LL382-3) and HL7's
//     ObservationInterpretation POS or NEG for a screen.
//
// A question the patient declined ("Prefer not to answer") is written as an
// item with no answer and the standard data-absent-reason extension, code
// "asked-declined", so that a flag such as "PHQ-9 item 9 was skipped"
// survives the trip; [Read] turns it back into a declined answer.
//
// QuestionnaireResponse.status is "completed" for a submitted session,
// "in-progress" for one a patient is still at, and "stopped" (FHIR: "partially
// filled out with answers but has been abandoned") for one cut off.
//
//   - a Flag per reason the session is urgent or needs attention (the
//     concern table, intakekiosk.Concerns: PHQ-9 item 9, "I need help
//     now", "I feel physically unwell", a check-in safety question, PHQ-9
//     item 9 declined, pregnancy, seizures), status active, its code in
//     BaseURL+"/CodeSystem/flags" (the instrument and flag id, "help",
//     "unwell") with its words, the Patient as subject, the visit as its
//     period, and the flag-priority extension (PH urgent, PM needs
//     attention); with, for a safety flag, an Observation of each
//     LOINC-coded answer it rests on (PHQ-9 item 9 as 44260-8 with its LA
//     answer code, or data absent "asked-declined").
//
//   - a Consent per session whose patient signed or declined the consent
//     (Visit.Consent): status active, inactive once wholly revoked, rejected
//     when declined; scope patient-privacy; category LOINC 59284-0; the
//     Patient; dateTime the signing; policy 42 CFR Part 2 (policy uri and
//     policyRule v3-ActCode 42CFRPart2); identifiers naming the session,
//     the form and version ("part2|1") and the SHA-256 of the words signed;
//     the words as sourceAttachment (text/plain, base64, Attachment.hash
//     their SHA-1); provision permit (deny when declined) with a provision
//     per clinic recipient (purposes TREAT, HPAYMT, HOPERAT; permit when
//     the single consent was given), per person named, and per revocation
//     (deny from the day asked; no actor: the whole consent); and a
//     Provenance targeting it whose signature (ASTM "Consent Signature")
//     holds the strokes as JSON (sigFormat application/json).
//
// Every resource and the Bundle carry the security labels R (restricted),
// ETH (substance abuse information sensitivity), 42CFRPart2 and NORDSCLCD
// (no redisclosure without consent directive). A Bundle that holds
// anything begins with the §2.32 notice (consent.Statement) as a
// DocumentReference (its description, narrative and content), and each
// Consent's narrative is the notice too. Each QuestionnaireResponse names
// its session (identifier), so a Consent finds its session's responses on
// import. Counselors' notes are not exported. A de-identified export is CSV only (desk
// refuses FHIR de-identified): no Flag leaves without the Patient it is
// about.
//
// # Import
//
// [Read] takes a Bundle (collection or transaction) or a single
// QuestionnaireResponse and returns one [Imported] per patient and authored
// time: the responses of one exported session, which share both, come back
// together, so rules across instruments (AUDIT-C's cut-off reads the
// kratom profile's sex) score as they did on the kiosk. Every answer is
// checked against its item (named by its id or its LOINC linkId; a total
// item is left aside), and the whole input is refused, naming the
// response and the linkId, at the first problem. Observations and other
// resources in a Bundle are ignored: scores are computed again from the
// answers. A Consent and the Provenance of its signature come back as the
// consent.Signed of the session they name (Imported.Consent), exact, with
// its revocations; one that does not hold (its words against their
// hashes, its provisions against its status, its strokes against the
// limits of package consent) is refused, naming the resource and field.
package fhir

import (
	"errors"
	"time"

	"github.com/google/uuid"
)

// BaseSetting is the setting that holds the clinic's canonical base
// (settings: fhir_base), which an export needs.
const BaseSetting = "fhir_base"

// ErrNoBase says an export was asked for without a canonical base: the
// clinic has not set fhir_base.
var ErrNoBase = errors.New("not set: a FHIR export names its Questionnaires and code systems under the clinic's FHIR base URL (kioskctl settings set fhir_base https://…, or kioskctl init --fhir-base URL)")

// Options configures an export.
type Options struct {
	// BaseURL is the canonical base for Questionnaire and local code
	// system URLs and identifier systems: the clinic's fhir_base setting.
	// It must be set (ErrNoBase).
	BaseURL string
	// Now is the export's time, written as the Bundle's timestamp (zero:
	// no timestamp).
	Now time.Time
}

// ReadOptions is what Read judges an input against.
type ReadOptions struct {
	// Now is the time of the import: a response authored more than
	// MaxClockSkew after it is refused. It must be set.
	Now time.Time
	// Bases are the canonical bases (as Options.BaseURL) a response's
	// questionnaire and identifiers may name: this clinic's fhir_base
	// and its registered sites' (none are configured yet). A
	// questionnaire of http://loinc.org/q/CODE names the instrument of
	// that LOINC panel whatever the bases.
	Bases []string
}

// MaxClockSkew is how far after ReadOptions.Now a response may be
// authored (a device whose clock runs ahead).
const MaxClockSkew = 24 * time.Hour

// loincForms is the canonical base of the LOINC-keyed forms.
const loincForms = "http://loinc.org/q/"

// Limits on what Read accepts.
const (
	// MaxInput is the largest input Read accepts, in bytes.
	MaxInput = 50 << 20
	// MaxResources is the most entries a Bundle may hold.
	MaxResources = 100_000
	// MaxResource is the largest single resource, in bytes of JSON; ours
	// are a few kilobytes.
	MaxResource = 1 << 20
)

// Code systems and URLs of the FHIR specification used here.
const (
	loincSystem        = "http://loinc.org"
	ucumSystem         = "http://unitsofmeasure.org"
	categorySystem     = "http://terminology.hl7.org/CodeSystem/observation-category"
	confidentiality    = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
	actCode            = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
	dataAbsentReason   = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
	askedDeclined      = "asked-declined"
	scoreUnit          = "{score}"
	questionnairePath  = "/Questionnaire/"
	codeSystemPath     = "/CodeSystem/"
	scoresCodeSystemID = "scores"
	bandsCodeSystemID  = "bands"
	// interpretationSystem is HL7's code system of Observation
	// interpretations (POS, NEG).
	interpretationSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
)

// idSpace is the namespace of the name-based (version 5) UUIDs of exported
// resources: the same session always gives the same ids, so exporting it
// twice gives resources an EHR recognises as the same.
var idSpace = uuid.MustParse("e2b7ccaa-15b8-49ab-acc0-61d952bf2045")

// nameID is the stable UUID of a named thing ("patient:ID").
func nameID(kind, name string) uuid.UUID {
	return uuid.NewSHA1(idSpace, []byte(kind+":"+name))
}

// The JSON shapes written and read. Only the elements the kiosk uses.
type (
	coding struct {
		System  string `json:"system,omitempty"`
		Code    string `json:"code,omitempty"`
		Display string `json:"display,omitempty"`
	}
	codeableConcept struct {
		Coding []coding `json:"coding,omitempty"`
		Text   string   `json:"text,omitempty"`
	}
	reference struct {
		Reference string `json:"reference"`
	}
	meta struct {
		Security []coding `json:"security,omitempty"`
	}
	humanName struct {
		Use    string   `json:"use,omitempty"`
		Family string   `json:"family,omitempty"`
		Given  []string `json:"given,omitempty"`
	}
	extension struct {
		URL       string `json:"url"`
		ValueCode string `json:"valueCode,omitempty"`
	}
	quantity struct {
		Value  int    `json:"value"`
		Unit   string `json:"unit"`
		System string `json:"system"`
		Code   string `json:"code"`
	}
	annotation struct {
		Text string `json:"text"`
	}
)

// securityLabels mark every exported resource and the Bundle: restricted,
// substance use information, covered by 42 CFR Part 2, and the refrain
// policy "no redisclosure without consent directive" (NORDSCLCD).
var securityLabels = &meta{Security: []coding{
	{System: confidentiality, Code: "R"},
	{System: actCode, Code: "ETH"},
	{System: actCode, Code: part2Code},
	{System: actCode, Code: "NORDSCLCD"},
}}

type patientResource struct {
	ResourceType string      `json:"resourceType"`
	ID           string      `json:"id"`
	Meta         *meta       `json:"meta,omitempty"`
	Name         []humanName `json:"name,omitempty"`
	BirthDate    string      `json:"birthDate,omitempty"`
}

type responseResource struct {
	ResourceType  string         `json:"resourceType"`
	ID            string         `json:"id"`
	Meta          *meta          `json:"meta,omitempty"`
	Identifier    *identifier    `json:"identifier,omitempty"`
	Questionnaire string         `json:"questionnaire"`
	Status        string         `json:"status"`
	Subject       reference      `json:"subject"`
	Authored      string         `json:"authored"`
	Item          []responseItem `json:"item,omitempty"`
}

type responseItem struct {
	LinkID    string           `json:"linkId"`
	Text      string           `json:"text,omitempty"`
	Extension []extension      `json:"extension,omitempty"`
	Answer    []responseAnswer `json:"answer,omitempty"`
}

type responseAnswer struct {
	ValueCoding   *coding  `json:"valueCoding,omitempty"`
	ValueDecimal  *float64 `json:"valueDecimal,omitempty"`
	ValueDateTime string   `json:"valueDateTime,omitempty"`
	ValueString   *string  `json:"valueString,omitempty"`
}

type observationResource struct {
	ResourceType      string            `json:"resourceType"`
	ID                string            `json:"id"`
	Meta              *meta             `json:"meta,omitempty"`
	Status            string            `json:"status"`
	Category          []codeableConcept `json:"category"`
	Code              codeableConcept   `json:"code"`
	Subject           reference         `json:"subject"`
	EffectiveDateTime string            `json:"effectiveDateTime"`
	// a score is a quantity; an answer a safety flag rests on is a coded
	// value, or absent (declined)
	ValueQuantity        *quantity         `json:"valueQuantity,omitempty"`
	ValueCodeableConcept *codeableConcept  `json:"valueCodeableConcept,omitempty"`
	DataAbsentReason     *codeableConcept  `json:"dataAbsentReason,omitempty"`
	Interpretation       []codeableConcept `json:"interpretation,omitempty"`
	Note                 []annotation      `json:"note,omitempty"`
	// the response a score derives from (none for a clinician's rating)
	DerivedFrom []reference `json:"derivedFrom,omitempty"`
}

type entry struct {
	FullURL  string `json:"fullUrl"`
	Resource any    `json:"resource"`
}

// fhirTime writes an instant as a FHIR dateTime: UTC, whole seconds.
func fhirTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
