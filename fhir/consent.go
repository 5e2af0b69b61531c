package fhir

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"strconv"
	"time"

	"github.com/google/uuid"

	"intakekiosk/consent"
	"intakekiosk/review"
)

// The consent of a session as FHIR R4 resources: a Consent (scope
// patient-privacy, policy 42 CFR Part 2, the signed words as its
// sourceAttachment, a provision per recipient and per revocation) and a
// Provenance targeting it that carries the drawn signature. Every export
// that writes anything also carries the §2.32 notice (consent.Statement)
// as a DocumentReference, its first entry, and as the narrative of each
// Consent.
const (
	consentScopeSystem    = "http://terminology.hl7.org/CodeSystem/consentscope"
	consentActionSystem   = "http://terminology.hl7.org/CodeSystem/consentaction"
	actReasonSystem       = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
	participationSystem   = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
	provenanceAgentSystem = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
	// signatureTypeSystem and consentSignature are the signature type of
	// ASTM E1762-95 that says "Consent Signature".
	signatureTypeSystem = "urn:iso-astm:E1762-95:2013"
	consentSignature    = "1.2.840.10065.1.12.1.7"
	// consentCategory is LOINC 59284-0, as the R4 consent-category value
	// set lists it ("Patient Consent"; LOINC's long name is "Consent
	// Document").
	consentCategory = "59284-0"
	// part2Policy is the regulation the consent rests on.
	part2Authority = "https://www.ecfr.gov"
	part2URI       = "https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2"
	part2Code      = "42CFRPart2"
	// signatureFormat is how the strokes are written: the JSON of a
	// consent.Signature.
	signatureFormat = "application/json"
	textPlain       = "text/plain; charset=utf-8"
	xhtmlNamespace  = "http://www.w3.org/1999/xhtml"
)

// The identifier systems of the kiosk, under the export's base: the
// session a resource belongs to, the consent form and version signed, the
// SHA-256 of the words signed (hex, consent.Form.Hash) and a clinic
// recipient's id.
const (
	sessionIDPath   = "/identifier/session"
	formIDPath      = "/identifier/consent-form"
	textHashPath    = "/identifier/consent-text-sha256"
	recipientIDPath = "/identifier/consent-recipient"
)

type (
	identifier struct {
		System string `json:"system"`
		Value  string `json:"value"`
	}
	narrative struct {
		Status string `json:"status"`
		Div    string `json:"div"`
	}
	attachment struct {
		ContentType string `json:"contentType"`
		Language    string `json:"language,omitempty"`
		Data        string `json:"data"`
		Size        *int   `json:"size,omitempty"`
		Hash        string `json:"hash,omitempty"`
		Title       string `json:"title,omitempty"`
	}
	policy struct {
		Authority string `json:"authority,omitempty"`
		URI       string `json:"uri,omitempty"`
	}
	provision struct {
		Type      string            `json:"type"`
		Period    *period           `json:"period,omitempty"`
		Actor     []provisionActor  `json:"actor,omitempty"`
		Action    []codeableConcept `json:"action,omitempty"`
		Purpose   []coding          `json:"purpose,omitempty"`
		Provision []provision       `json:"provision,omitempty"`
	}
	provisionActor struct {
		Role      codeableConcept `json:"role"`
		Reference actorReference  `json:"reference"`
	}
	// actorReference names a recipient: a clinic recipient by its id
	// (an identifier) and name, a person the patient named by name.
	actorReference struct {
		Identifier *identifier `json:"identifier,omitempty"`
		Display    string      `json:"display,omitempty"`
	}
)

type consentResource struct {
	ResourceType     string            `json:"resourceType"`
	ID               string            `json:"id"`
	Meta             *meta             `json:"meta,omitempty"`
	Text             *narrative        `json:"text,omitempty"`
	Identifier       []identifier      `json:"identifier,omitempty"`
	Status           string            `json:"status"`
	Scope            codeableConcept   `json:"scope"`
	Category         []codeableConcept `json:"category"`
	Patient          *reference        `json:"patient,omitempty"`
	DateTime         string            `json:"dateTime,omitempty"`
	Performer        []reference       `json:"performer,omitempty"`
	SourceAttachment *attachment       `json:"sourceAttachment,omitempty"`
	Policy           []policy          `json:"policy,omitempty"`
	PolicyRule       *codeableConcept  `json:"policyRule,omitempty"`
	Provision        *provision        `json:"provision,omitempty"`
}

type provenanceResource struct {
	ResourceType string            `json:"resourceType"`
	ID           string            `json:"id"`
	Meta         *meta             `json:"meta,omitempty"`
	Target       []reference       `json:"target"`
	Recorded     string            `json:"recorded"`
	Agent        []provenanceAgent `json:"agent"`
	Signature    []signature       `json:"signature,omitempty"`
}

type (
	provenanceAgent struct {
		Type *codeableConcept `json:"type,omitempty"`
		Who  reference        `json:"who"`
	}
	signature struct {
		Type      []coding  `json:"type"`
		When      string    `json:"when"`
		Who       reference `json:"who"`
		SigFormat string    `json:"sigFormat,omitempty"`
		Data      string    `json:"data,omitempty"`
	}
)

type documentResource struct {
	ResourceType string          `json:"resourceType"`
	ID           string          `json:"id"`
	Meta         *meta           `json:"meta,omitempty"`
	Text         *narrative      `json:"text,omitempty"`
	Status       string          `json:"status"`
	Type         codeableConcept `json:"type"`
	Description  string          `json:"description"`
	Content      []docContent    `json:"content"`
}

type docContent struct {
	Attachment attachment `json:"attachment"`
}

// tpoPurposes are the purposes of the single consent for treatment,
// payment and health care operations (v3-ActReason, PurposeOfUse).
var tpoPurposes = []coding{
	{System: actReasonSystem, Code: "TREAT", Display: "treatment"},
	{System: actReasonSystem, Code: "HPAYMT", Display: "healthcare payment"},
	{System: actReasonSystem, Code: "HOPERAT", Display: "healthcare operations"},
}

var (
	discloseAction = []codeableConcept{{Coding: []coding{{System: consentActionSystem, Code: "disclose", Display: "Disclose"}}}}
	recipientRole  = codeableConcept{Coding: []coding{{System: participationSystem, Code: "IRCP", Display: "information recipient"}}}
)

// noticeDiv is the §2.32 notice as XHTML narrative.
var noticeDiv = `<div xmlns="` + xhtmlNamespace + `"><p>` + html.EscapeString(consent.Statement) + `</p></div>`

// noticeID is the DocumentReference of the notice: the same in every
// export.
var noticeID = nameID("notice", "42 CFR 2.32")

// textAttachment is text as an Attachment: its bytes in base64, their
// size and their SHA-1 in base64 (Attachment.hash in R4).
func textAttachment(text, lang, title string) *attachment {
	sum := sha1.Sum([]byte(text))
	size := len(text)
	return &attachment{ContentType: textPlain, Language: lang, Data: base64.StdEncoding.EncodeToString([]byte(text)),
		Size: &size, Hash: base64.StdEncoding.EncodeToString(sum[:]), Title: title}
}

// notice is the DocumentReference that carries the §2.32 notice in the
// Bundle: its words as the description, the narrative and the content.
func notice() *documentResource {
	return &documentResource{
		ResourceType: "DocumentReference", ID: noticeID.String(), Meta: securityLabels,
		Text:   &narrative{Status: "generated", Div: noticeDiv},
		Status: "current", Type: codeableConcept{Text: "Notice to accompany disclosure (42 CFR 2.32)"},
		Description: consent.Statement,
		Content:     []docContent{{Attachment: *textAttachment(consent.Statement, "en", "42 CFR 2.32 notice")}},
	}
}

// consentOf is the id of a session's Consent and of its signature's
// Provenance.
func consentOf(sessionID string) (uuid.UUID, uuid.UUID) {
	return nameID("consent", sessionID), nameID("consent-signature", sessionID)
}

// consentStatus is a consent's status in consent-state-codes: rejected
// when declined, inactive once wholly revoked, else active.
func consentStatus(h *consent.History) string {
	switch {
	case h.Consent.Declined:
		return "rejected"
	case h.RevokedAll():
		return "inactive"
	}
	return "active"
}

// consent writes a session's Consent and, when it holds strokes, the
// Provenance carrying its signature.
func (w *Writer) consent(d review.Detail, subject reference) error {
	h := &d.Consent
	c := h.Consent
	cid, sid := consentOf(d.Session.ID)
	signedAt := fhirTime(h.SignedAt)
	res := &consentResource{
		ResourceType: "Consent", ID: cid.String(), Meta: securityLabels,
		Text: &narrative{Status: "additional", Div: noticeDiv},
		Identifier: []identifier{
			{System: w.base + sessionIDPath, Value: d.Session.ID},
			{System: w.base + formIDPath, Value: c.Form + "|" + strconv.Itoa(c.Version)},
			{System: w.base + textHashPath, Value: c.Hash},
		},
		Status:           consentStatus(h),
		Scope:            codeableConcept{Coding: []coding{{System: consentScopeSystem, Code: "patient-privacy", Display: "Privacy Consent"}}},
		Category:         []codeableConcept{{Coding: []coding{{System: loincSystem, Code: consentCategory, Display: "Patient Consent"}}}},
		Patient:          &subject,
		DateTime:         signedAt,
		Performer:        []reference{subject},
		SourceAttachment: textAttachment(c.Text, c.Lang, ""),
		Policy:           []policy{{Authority: part2Authority, URI: part2URI}},
		PolicyRule:       &codeableConcept{Coding: []coding{{System: actCode, Code: part2Code}}},
		Provision:        w.provision(h),
	}
	if err := w.entry(cid, res); err != nil {
		return err
	}
	sig := c.Signature
	if sig.IsZero() && sig.W == 0 && sig.H == 0 {
		return nil
	}
	data, err := json.Marshal(sig)
	if err != nil {
		return fmt.Errorf("consent signature: %w", err)
	}
	p := &provenanceResource{
		ResourceType: "Provenance", ID: sid.String(), Meta: securityLabels,
		Target: []reference{{Reference: "urn:uuid:" + cid.String()}}, Recorded: signedAt,
		Agent: []provenanceAgent{{Type: &codeableConcept{Coding: []coding{{System: provenanceAgentSystem, Code: "author", Display: "Author"}}}, Who: subject}},
		Signature: []signature{{
			Type: []coding{{System: signatureTypeSystem, Code: consentSignature, Display: "Consent Signature"}},
			When: signedAt, Who: subject, SigFormat: signatureFormat,
			Data: base64.StdEncoding.EncodeToString(data),
		}},
	}
	return w.entry(sid, p)
}

// provision is a consent's rules: permit (deny when declined), with a
// provision per clinic recipient of the single consent (permit when it
// was given, else deny, its purposes treatment, payment and operations;
// one without an actor when the form named none), one per person named
// (permit), and one per revocation (deny from the day asked: a recipient,
// or with no actor the whole consent).
func (w *Writer) provision(h *consent.History) *provision {
	c := h.Consent
	root := &provision{Type: "permit"}
	if c.Declined {
		root.Type = "deny"
	}
	tpo := "deny"
	if c.TPO {
		tpo = "permit"
	}
	for _, r := range c.Recipients {
		root.Provision = append(root.Provision, provision{Type: tpo, Action: discloseAction, Purpose: tpoPurposes,
			Actor: []provisionActor{{Role: recipientRole, Reference: actorReference{
				Identifier: &identifier{System: w.base + recipientIDPath, Value: r.ID}, Display: r.Name}}}})
	}
	if c.TPO && len(c.Recipients) == 0 {
		root.Provision = append(root.Provision, provision{Type: tpo, Action: discloseAction, Purpose: tpoPurposes})
	}
	for _, n := range c.Named {
		root.Provision = append(root.Provision, provision{Type: "permit", Action: discloseAction,
			Actor: []provisionActor{{Role: recipientRole, Reference: actorReference{Display: n}}}})
	}
	for _, r := range h.Revocations {
		asked := r.Asked
		if asked.IsZero() {
			asked = r.At
		}
		p := provision{Type: "deny", Period: &period{Start: fhirTime(asked)}}
		switch {
		case r.All:
		case r.To.Kind == consent.Clinic && r.To.ID != "":
			p.Actor = []provisionActor{{Role: recipientRole, Reference: actorReference{
				Identifier: &identifier{System: w.base + recipientIDPath, Value: r.To.ID}, Display: r.To.Name}}}
		case r.To.Kind == consent.Named && r.To.Name != "":
			p.Actor = []provisionActor{{Role: recipientRole, Reference: actorReference{Display: r.To.Name}}}
		default:
			continue // no recipient a consent could name
		}
		root.Provision = append(root.Provision, p)
	}
	return root
}

// signedTime reads a FHIR dateTime with its zone as the kiosk writes it.
func signedTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not a date and time with its zone (YYYY-MM-DDThh:mm:ss+hh:mm)")
	}
	return t.UTC(), nil
}
