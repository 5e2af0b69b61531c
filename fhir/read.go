package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"intakekiosk/consent"
	"intakekiosk/screening"
)

// Imported is one session read from FHIR: the QuestionnaireResponses of
// one patient authored at one instant, taken together (an exported
// session's responses share both; a response with no Patient is grouped
// with the others of its subject reference and time).
type Imported struct {
	// Identity is the Patient's name and birth date; empty when the
	// response's subject is missing or names a Patient not in the input.
	Identity screening.Identity
	// Authored is the responses' authored time, in UTC.
	Authored time.Time
	// Answers are the answers in the order of the responses and their
	// items, each At the authored time. A declined item (data-absent-reason
	// "asked-declined") is a Declined answer. Each is kept as written, one
	// to an item the instrument's branching skips too (a paper form typed
	// in): the session stored from them is screening.Session.AsWritten.
	Answers []screening.Answer
	// Source is the QuestionnaireResponse's id, or the ids of the grouped
	// responses, comma-separated, in input order (a response without an id
	// is named by its fullUrl or its place, "entry 3").
	Source string
	// Complete is true when every grouped response has the status
	// "completed" or "amended"; false when one is "in-progress" or
	// "stopped", and for a session of a Consent alone.
	Complete bool
	// Consent is the consent the patient signed or declined in the
	// session (nil: none), read from its Consent resource and the
	// Provenance carrying its signature, checked (consent.Signed.Check);
	// SignedAt is the Consent's dateTime. A Consent joins the responses
	// that share its session identifier; one without them is a session of
	// its own (Source its id, Authored its time).
	Consent  *consent.Signed
	SignedAt time.Time
	// Revocations are the consent's revocations, in order (the export
	// does not name the staff member who recorded one: By is empty).
	Revocations []consent.Revocation
}

// ImportError is a problem with one resource of the input: a
// QuestionnaireResponse, or (Type) a Consent or the Provenance of its
// signature. Response names the resource and LinkID, when the problem lies
// in a response's item, the item; Field, when known, is where in the
// resource, as a JSON path ("QuestionnaireResponse.authored",
// "item[3].answer[0].valueDecimal", "Consent.sourceAttachment.hash").
type ImportError struct {
	// Type is the resource's type; "" is a QuestionnaireResponse.
	Type     string
	Response string
	LinkID   string
	Field    string
	Err      error
}

// Error names the resource, the item, the field and the problem.
func (e *ImportError) Error() string {
	var b strings.Builder
	typ := e.Type
	if typ == "" {
		typ = "QuestionnaireResponse"
	}
	fmt.Fprintf(&b, "%s %s", typ, e.Response)
	if e.LinkID != "" {
		fmt.Fprintf(&b, ": item %s", e.LinkID)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": field %s", e.Field)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

// Unwrap returns the underlying problem.
func (e *ImportError) Unwrap() error { return e.Err }

// rawResource is one resource of the input, not yet decoded.
type rawResource struct {
	name    string // "entry 3" or "the input"
	fullURL string
	data    json.RawMessage
}

// head is what every resource is first read as.
type head struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	// Type is a Bundle's type; other resources' "type" may be anything
	// (a DocumentReference's is a CodeableConcept).
	Type any `json:"type"`
}

// Read reads a FHIR R4 Bundle (type collection or transaction) or a single
// QuestionnaireResponse for the catalog's instruments, checks every answer
// against its item, and returns the sessions it holds, in input order.
// Anything it cannot take whole is refused: input over MaxInput bytes or
// MaxResources entries, a resource over MaxResource bytes, malformed JSON,
// a response for an unknown instrument or version, an unknown or repeated
// linkId, an answer that is not one of the item's options, of the wrong
// type, outside the item's range or with more decimals than it takes, a
// completed response with a scored item left unanswered, a response
// authored after opts.Now (beyond MaxClockSkew) or whose questionnaire is
// not a canonical URL of an allowed base (ReadOptions.Bases); and a
// Consent that is not one the kiosk's export writes whole (see
// readConsent: its words and their hashes, its provisions, its signature);
// errors about a resource are *ImportError.
func Read(r io.Reader, cat *screening.Catalog, opts ReadOptions) ([]Imported, error) {
	if cat == nil {
		return nil, errors.New("read FHIR: no instrument catalog")
	}
	if opts.Now.IsZero() {
		return nil, errors.New("read FHIR: no time of import")
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, fmt.Errorf("read FHIR: %w", err)
	}
	if len(data) > MaxInput {
		return nil, fmt.Errorf("read FHIR: the input is larger than %d MB", MaxInput>>20)
	}
	var h head
	if err := json.Unmarshal(data, &h); err != nil {
		return nil, fmt.Errorf("read FHIR: not a FHIR JSON resource: %w", err)
	}
	var resources []rawResource
	switch h.ResourceType {
	case "QuestionnaireResponse":
		if len(data) > MaxResource {
			return nil, fmt.Errorf("read FHIR: the QuestionnaireResponse is larger than %d KB", MaxResource>>10)
		}
		resources = []rawResource{{name: "the input", data: data}}
	case "Bundle":
		if h.Type != "collection" && h.Type != "transaction" {
			return nil, fmt.Errorf("read FHIR: a Bundle of type %q (collection or transaction expected)", clip(fmt.Sprint(h.Type), 40))
		}
		if resources, err = entries(data); err != nil {
			return nil, fmt.Errorf("read FHIR: %w", err)
		}
	case "":
		return nil, errors.New("read FHIR: not a FHIR resource (no resourceType)")
	default:
		return nil, fmt.Errorf("read FHIR: a %s (a Bundle or a QuestionnaireResponse expected)", h.ResourceType)
	}
	rd := reader{cat: cat, opts: opts, patients: map[string]screening.Identity{}}
	if err := rd.indexPatients(resources); err != nil {
		return nil, fmt.Errorf("read FHIR: %w", err)
	}
	for _, res := range resources {
		if err := rd.response(res); err != nil {
			return nil, fmt.Errorf("read FHIR: %w", err)
		}
	}
	if err := rd.consents(resources); err != nil {
		return nil, fmt.Errorf("read FHIR: %w", err)
	}
	if err := rd.checkScores(); err != nil {
		return nil, fmt.Errorf("read FHIR: %w", err)
	}
	out := make([]Imported, len(rd.groups))
	for i, g := range rd.groups {
		out[i] = g.Imported
	}
	return out, nil
}

// entries reads a Bundle's entries one at a time, so that a huge entry
// list is refused before it is held.
func entries(data []byte) ([]rawResource, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // the Bundle's {
		return nil, err
	}
	var out []rawResource
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		if key, _ := tok.(string); key != "entry" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
			continue
		}
		if tok, err = dec.Token(); err != nil {
			return nil, err
		}
		if tok == nil {
			continue // "entry": null
		}
		if tok != json.Delim('[') {
			return nil, errors.New("the Bundle's entry is not a list")
		}
		for dec.More() {
			if len(out) == MaxResources {
				return nil, fmt.Errorf("the Bundle has more than %d entries", MaxResources)
			}
			var e struct {
				FullURL  string          `json:"fullUrl"`
				Resource json.RawMessage `json:"resource"`
			}
			if err := dec.Decode(&e); err != nil {
				return nil, fmt.Errorf("entry %d: %w", len(out)+1, err)
			}
			if len(e.Resource) > MaxResource {
				return nil, fmt.Errorf("entry %d: the resource is larger than %d KB", len(out)+1, MaxResource>>10)
			}
			out = append(out, rawResource{name: fmt.Sprintf("entry %d", len(out)+1), fullURL: e.FullURL, data: e.Resource})
		}
		if _, err := dec.Token(); err != nil { // ]
			return nil, err
		}
	}
	return out, nil
}

// reader holds what Read has learnt so far.
type reader struct {
	cat  *screening.Catalog
	opts ReadOptions
	// patients maps a Patient's fullUrl and "Patient/id" to its identity.
	patients map[string]screening.Identity
	groups   []*group
	byKey    map[string]*group
	// bySession maps a session identifier to the group of its responses.
	bySession map[string]*group
}

// group is one Imported in the making.
type group struct {
	Imported
	subject string
	parts   []part
}

// part is one response of a group.
type part struct {
	in       *screening.Instrument
	response string
	complete bool
}

type patientIn struct {
	ID        string      `json:"id"`
	Name      []humanName `json:"name"`
	BirthDate string      `json:"birthDate"`
}

// identity is who a Patient names: the official name, else the first.
func (p patientIn) identity() screening.Identity {
	id := screening.Identity{Birth: p.BirthDate}
	if len(p.Name) == 0 {
		return id
	}
	n := p.Name[0]
	for _, c := range p.Name {
		if c.Use == "official" {
			n = c
			break
		}
	}
	id.First, id.Last = strings.Join(n.Given, " "), n.Family
	return id
}

func (rd *reader) indexPatients(list []rawResource) error {
	for _, res := range list {
		var h head
		if err := json.Unmarshal(res.data, &h); err != nil || h.ResourceType != "Patient" {
			continue // a bad resource is reported if it is a response
		}
		var p patientIn
		if err := json.Unmarshal(res.data, &p); err != nil {
			return fmt.Errorf("%s: Patient: %w", res.name, err)
		}
		who := p.identity()
		if res.fullURL != "" {
			rd.patients[res.fullURL] = who
		}
		if p.ID != "" {
			rd.patients["Patient/"+p.ID] = who
		}
	}
	return nil
}

// subject resolves a response's subject to an identity: a contained
// Patient ("#p1"), an entry's fullUrl, or "Patient/id" (also at the end of
// an absolute URL).
func (rd *reader) subject(ref string, contained []json.RawMessage) (screening.Identity, bool) {
	if local, ok := strings.CutPrefix(ref, "#"); ok {
		for _, c := range contained {
			var p struct {
				ResourceType string `json:"resourceType"`
				patientIn
			}
			if json.Unmarshal(c, &p) == nil && p.ResourceType == "Patient" && p.ID == local {
				return p.identity(), true
			}
		}
		return screening.Identity{}, false
	}
	if who, ok := rd.patients[ref]; ok {
		return who, true
	}
	if i := strings.LastIndex(ref, "Patient/"); i > 0 {
		who, ok := rd.patients[ref[i:]]
		return who, ok
	}
	return screening.Identity{}, false
}

// checkIdentity checks the fields a Patient gives.
func checkIdentity(who screening.Identity, at time.Time) error {
	for _, f := range []struct{ name, v string }{{"given name", who.First}, {"family name", who.Last}} {
		if f.v == "" {
			continue
		}
		if err := screening.ValidateName(f.v); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	if who.Birth != "" {
		if _, err := screening.ParseBirth(who.Birth, at); err != nil {
			return err
		}
	}
	return nil
}

// add puts a response's answers into the group of its patient and time;
// session is its session identifier ("": none).
func (rd *reader) add(subject, session string, who screening.Identity, authored time.Time, p part, answers []screening.Answer) error {
	if rd.byKey == nil {
		rd.byKey, rd.bySession = map[string]*group{}, map[string]*group{}
	}
	key := subject + "|" + authored.Format(time.RFC3339Nano)
	g, ok := rd.byKey[key]
	if !ok {
		g = &group{Imported: Imported{Identity: who, Authored: authored, Complete: true}, subject: subject}
		rd.byKey[key] = g
		rd.groups = append(rd.groups, g)
	}
	if session != "" {
		if other, ok := rd.bySession[session]; ok && other != g {
			return &ImportError{Response: p.response, Field: "QuestionnaireResponse.identifier",
				Err: errors.New("its session identifier is another patient's or time's")}
		}
		rd.bySession[session] = g
	}
	for _, q := range g.parts {
		if q.in == p.in {
			return &ImportError{Response: p.response, Err: fmt.Errorf(
				"a second response to %s for the same patient and time (the first is %s)", p.in.ID, q.response)}
		}
	}
	g.parts = append(g.parts, p)
	if g.Source != "" {
		g.Source += ","
	}
	g.Source += p.response
	g.Complete = g.Complete && p.complete
	g.Answers = append(g.Answers, answers...)
	return nil
}

// checkScores scores every instrument of every group with the catalog, as
// written: a completed response must leave no scored item that is asked
// unanswered (declined is an answer).
func (rd *reader) checkScores() error {
	for _, g := range rd.groups {
		answers := make(screening.Answers, len(g.Answers))
		for _, a := range g.Answers {
			answers[a.Key()] = a
		}
		for _, p := range g.parts {
			r := rd.cat.ScoreAsWritten(p.in, answers, g.Authored)
			if !p.complete || r.Skipped {
				continue
			}
			for _, id := range r.Missing {
				if _, ok := answers.Get(p.in.ID, id); !ok {
					return &ImportError{Response: p.response, LinkID: id,
						Err: errors.New("the response is completed but this scored item has no answer")}
				}
			}
		}
	}
	return nil
}
