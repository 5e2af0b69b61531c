package fhir

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"intakekiosk/consent"
	"intakekiosk/screening"
)

// maxProvisions is the most nested provisions a Consent may hold: the
// form's recipients, the people named and the revocations.
const maxProvisions = 100

// consentSig is a consent signature read from a Provenance.
type consentSig struct {
	name  string // the Provenance's
	field string // "Provenance.signature[0]"
	sig   consent.Signature
	used  bool
}

// consents reads the input's Provenances of consent signatures, then
// each Consent, into the group of its session.
func (rd *reader) consents(list []rawResource) error {
	sigs := map[string]*consentSig{}
	var order []*consentSig
	for _, res := range list {
		var h head
		if json.Unmarshal(res.data, &h) != nil || h.ResourceType != "Provenance" {
			continue
		}
		name := nameOf(h, res)
		var p provenanceResource
		if err := json.Unmarshal(res.data, &p); err != nil {
			return &ImportError{Type: "Provenance", Response: name, Err: err}
		}
		for j, s := range p.Signature {
			if !slices.ContainsFunc(s.Type, func(c coding) bool { return c.System == signatureTypeSystem && c.Code == consentSignature }) {
				continue
			}
			field := fmt.Sprintf("Provenance.signature[%d]", j)
			fail := func(f string, err error) error {
				return &ImportError{Type: "Provenance", Response: name, Field: field + f, Err: err}
			}
			if s.SigFormat != signatureFormat {
				return fail(".sigFormat", fmt.Errorf("a consent signature is %s", signatureFormat))
			}
			data, err := base64.StdEncoding.DecodeString(s.Data)
			if err != nil {
				return fail(".data", errors.New("not base64"))
			}
			cs := &consentSig{name: name, field: field}
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&cs.sig); err != nil {
				return fail(".data", fmt.Errorf("not the JSON of a signature's strokes: %w", consent.ErrBadSignature))
			}
			if len(p.Target) != 1 || p.Target[0].Reference == "" {
				return &ImportError{Type: "Provenance", Response: name, Field: "Provenance.target", Err: errors.New("a consent signature targets one Consent")}
			}
			ref := p.Target[0].Reference
			if _, dup := sigs[ref]; dup {
				return fail("", errors.New("a second signature of the same Consent"))
			}
			sigs[ref] = cs
			order = append(order, cs)
		}
	}
	for _, res := range list {
		var h head
		if json.Unmarshal(res.data, &h) != nil || h.ResourceType != "Consent" {
			continue
		}
		if err := rd.readConsent(res, nameOf(h, res), sigs); err != nil {
			return err
		}
	}
	for _, cs := range order {
		if !cs.used {
			return &ImportError{Type: "Provenance", Response: cs.name, Field: "Provenance.target", Err: errors.New("signs no Consent of the input")}
		}
	}
	return nil
}

// nameOf names a resource in errors: its id, else its fullUrl, else its
// place.
func nameOf(h head, res rawResource) string {
	switch {
	case h.ID != "":
		return h.ID
	case res.fullURL != "":
		return res.fullURL
	}
	return res.name
}

// readConsent reads one Consent as the export writes it and puts it in
// its session's group. Refused, naming the field: a status other than
// active, inactive (wholly revoked) or rejected (declined); a scope other
// than patient-privacy; no 42 CFR Part 2 policyRule; no patient; a
// dateTime after the time of import; no form or hash identifier; words
// that are not UTF-8 text, whose SHA-1 is not the attachment's hash or
// whose SHA-256 is not the consent's; a declined consent with a permit
// provision; a provision the export does not write; more recipients than
// a form names; a recipient the signed words do not show; and whatever
// consent.Signed.Check refuses (the signature's strokes, the names).
func (rd *reader) readConsent(res rawResource, name string, sigs map[string]*consentSig) error {
	fail := func(field string, err error) error {
		return &ImportError{Type: "Consent", Response: name, Field: field, Err: err}
	}
	var c consentResource
	if err := json.Unmarshal(res.data, &c); err != nil {
		return fail("", err)
	}
	var s consent.Signed
	switch c.Status {
	case "active", "inactive":
	case "rejected":
		s.Declined = true
	default:
		return fail("Consent.status", fmt.Errorf("status %q is not imported (active, inactive or rejected)", clip(c.Status, 20)))
	}
	if !slices.ContainsFunc(c.Scope.Coding, func(x coding) bool { return x.System == consentScopeSystem && x.Code == "patient-privacy" }) {
		return fail("Consent.scope", errors.New("not a patient-privacy consent"))
	}
	if c.PolicyRule == nil || !slices.ContainsFunc(c.PolicyRule.Coding, func(x coding) bool { return x.System == actCode && x.Code == part2Code }) {
		return fail("Consent.policyRule", errors.New("not a 42 CFR Part 2 consent"))
	}
	if c.Patient == nil || c.Patient.Reference == "" {
		return fail("Consent.patient", errors.New("no patient"))
	}
	signedAt, err := signedTime(c.DateTime)
	if err != nil {
		return fail("Consent.dateTime", err)
	}
	if signedAt.After(rd.opts.Now.Add(MaxClockSkew)) {
		return fail("Consent.dateTime", fmt.Errorf("signed after the time of import (more than %v ahead)", MaxClockSkew))
	}
	session := ""
	for i, id := range c.Identifier {
		field := fmt.Sprintf("Consent.identifier[%d]", i)
		switch {
		case rd.ours(id.System, sessionIDPath):
			session = id.Value
		case rd.ours(id.System, formIDPath):
			form, version, _ := strings.Cut(id.Value, "|")
			n, err := strconv.Atoi(version)
			if len(form) > 40 || !screening.IsID(form) || err != nil || n < 1 {
				return fail(field, errors.New("the form identifier is not FORM|VERSION"))
			}
			s.Form, s.Version = form, n
		case rd.ours(id.System, textHashPath):
			if b, err := hex.DecodeString(id.Value); err != nil || len(b) != sha256.Size || strings.ToLower(id.Value) != id.Value {
				return fail(field, errors.New("the hash is not a SHA-256 in lower-case hex"))
			}
			s.Hash = id.Value
		}
	}
	if s.Form == "" || s.Hash == "" {
		return fail("Consent.identifier", fmt.Errorf("the form and the hash of its words: %w", consent.ErrMissing))
	}
	if s.Text, s.Lang, err = signedWords(c.SourceAttachment); err != nil {
		return fail("Consent.sourceAttachment"+err.(fieldError).field, err.(fieldError).err)
	}
	if sum := sha256.Sum256([]byte(s.Text)); hex.EncodeToString(sum[:]) != s.Hash {
		return fail("Consent.sourceAttachment.data", errors.New("the words' SHA-256 is not the consent's hash (identifier consent-text-sha256)"))
	}
	revocations, field, err := rd.provisions(c.Provision, &s)
	if err != nil {
		return fail(field, err)
	}
	wholly := slices.ContainsFunc(revocations, func(r consent.Revocation) bool { return r.All })
	if (c.Status == "inactive") != wholly && !s.Declined {
		return fail("Consent.status", fmt.Errorf("status %s, yet the whole consent is revoked: %v", c.Status, wholly))
	}
	var sig *consentSig
	for _, ref := range []string{res.fullURL, "Consent/" + c.ID} {
		if x, ok := sigs[ref]; ok && ref != "Consent/" && ref != "" {
			sig = x
		}
	}
	if sig != nil {
		sig.used, s.Signature = true, sig.sig
	}
	if err := s.Check(); err != nil {
		switch {
		case errors.Is(err, consent.ErrBadSignature):
			return &ImportError{Type: "Provenance", Response: sig.name, Field: sig.field + ".data", Err: err}
		case errors.Is(err, consent.ErrUnsigned):
			return fail("Consent", fmt.Errorf("no Provenance carries its signature: %w", err))
		}
		return fail("Consent.provision", err)
	}
	return rd.join(name, session, c.Patient.Reference, signedAt, &s, revocations)
}

// join puts a consent into its session's group: the responses of its
// session identifier, which must be of the same patient; else a group of
// its own.
func (rd *reader) join(name, session, patient string, signedAt time.Time, s *consent.Signed, revocations []consent.Revocation) error {
	g := rd.bySession[session]
	if session == "" {
		g = nil
	}
	if g != nil && g.subject != patient {
		return &ImportError{Type: "Consent", Response: name, Field: "Consent.patient", Err: errors.New("not the patient of its session's responses")}
	}
	if g == nil {
		who, _ := rd.subject(patient, nil)
		if err := checkIdentity(who, signedAt); err != nil {
			return &ImportError{Type: "Consent", Response: name, Field: "Consent.patient", Err: err}
		}
		g = &group{Imported: Imported{Identity: who, Authored: signedAt, Source: name}, subject: patient}
		rd.groups = append(rd.groups, g)
		if session != "" {
			if rd.bySession == nil {
				rd.bySession = map[string]*group{}
			}
			rd.bySession[session] = g
		}
	}
	if g.Consent != nil {
		return &ImportError{Type: "Consent", Response: name, Field: "Consent.identifier", Err: errors.New("a second Consent of the same session")}
	}
	g.Consent, g.SignedAt, g.Revocations = s, signedAt, revocations
	return nil
}

// fieldError is a problem at a field below the one named.
type fieldError struct {
	field string
	err   error
}

func (e fieldError) Error() string { return e.err.Error() }

// signedWords reads the words signed from the sourceAttachment: plain
// UTF-8 text in base64, its size and SHA-1 (base64) as given.
func signedWords(a *attachment) (text, lang string, err error) {
	if a == nil {
		return "", "", fieldError{"", errors.New("no signed words")}
	}
	mt, params, err := mime.ParseMediaType(a.ContentType)
	if err != nil || mt != "text/plain" || (params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8")) {
		return "", "", fieldError{".contentType", errors.New("the signed words are text/plain in UTF-8")}
	}
	if len(a.Data) > base64.StdEncoding.EncodedLen(consent.MaxFileSize) {
		return "", "", fieldError{".data", fmt.Errorf("longer than %d bytes: %w", consent.MaxFileSize, consent.ErrTooLong)}
	}
	data, err := base64.StdEncoding.DecodeString(a.Data)
	if err != nil {
		return "", "", fieldError{".data", errors.New("not base64")}
	}
	if !utf8.Valid(data) || bytes.ContainsFunc(data, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }) {
		return "", "", fieldError{".data", consent.ErrBadText}
	}
	sum := sha1.Sum(data)
	if a.Hash == "" || a.Hash != base64.StdEncoding.EncodeToString(sum[:]) {
		return "", "", fieldError{".hash", errors.New("not the SHA-1 of the data in base64")}
	}
	if a.Size != nil && *a.Size != len(data) {
		return "", "", fieldError{".size", errors.New("not the size of the data")}
	}
	if a.Language != "" && (len(a.Language) > 40 || !screening.IsID(a.Language)) {
		return "", "", fieldError{".language", errors.New("not a language code of the kiosk's")}
	}
	return string(data), a.Language, nil
}

// provisions reads the consent's choices and revocations from its
// provisions as the export writes them (Writer.provision).
func (rd *reader) provisions(root *provision, s *consent.Signed) ([]consent.Revocation, string, error) {
	if root == nil {
		return nil, "Consent.provision", errors.New("no provision")
	}
	want := "permit"
	if s.Declined {
		want = "deny"
	}
	if root.Type != want {
		return nil, "Consent.provision.type", fmt.Errorf("a %s consent's provision must %s", map[bool]string{true: "declined", false: "given"}[s.Declined], want)
	}
	if len(root.Provision) > maxProvisions {
		return nil, "Consent.provision.provision", fmt.Errorf("%d provisions, at most %d: %w", len(root.Provision), maxProvisions, consent.ErrTooLong)
	}
	var revocations []consent.Revocation
	tpo, marker := "", false
	for i, p := range root.Provision {
		field := fmt.Sprintf("Consent.provision.provision[%d]", i)
		switch {
		case p.Type != "permit" && p.Type != "deny":
			return nil, field + ".type", errors.New("neither permit nor deny")
		case s.Declined && p.Type == "permit":
			return nil, field + ".type", errors.New("a declined consent permits nothing")
		case len(p.Actor) > 1:
			return nil, field + ".actor", errors.New("more than one actor")
		case len(p.Provision) > 0:
			return nil, field + ".provision", errors.New("nested provisions are not part of the kiosk's consent")
		}
		to, who := consent.To{}, ""
		if len(p.Actor) == 1 {
			ref := p.Actor[0].Reference
			switch {
			case ref.Identifier != nil && rd.ours(ref.Identifier.System, recipientIDPath):
				if len(ref.Identifier.Value) > 40 || !screening.IsID(ref.Identifier.Value) {
					return nil, field + ".actor[0].reference.identifier", errors.New("not a recipient id")
				}
				to, who = consent.To{Kind: consent.Clinic, ID: ref.Identifier.Value, Name: ref.Display}, "clinic"
			case ref.Identifier == nil && ref.Display != "":
				to, who = consent.To{Kind: consent.Named, Name: ref.Display}, "named"
			default:
				return nil, field + ".actor[0].reference", errors.New("names neither a clinic recipient nor a person")
			}
		}
		switch {
		case p.Period != nil:
			if p.Type != "deny" {
				return nil, field + ".type", errors.New("a revocation denies")
			}
			asked, err := signedTime(p.Period.Start)
			if err != nil {
				return nil, field + ".period.start", err
			}
			revocations = append(revocations, consent.Revocation{All: who == "", To: to, Asked: asked})
		case len(p.Purpose) > 0:
			for j, c := range p.Purpose {
				if !slices.ContainsFunc(tpoPurposes, func(t coding) bool { return t.System == c.System && t.Code == c.Code }) {
					return nil, fmt.Sprintf("%s.purpose[%d]", field, j), errors.New("not treatment, payment or health care operations")
				}
			}
			if tpo != "" && p.Type != tpo {
				return nil, field + ".type", errors.New("the consent for treatment, payment and operations permits some of its recipients and denies others")
			}
			tpo = p.Type
			switch who {
			case "":
				marker = true
			case "clinic":
				if slices.ContainsFunc(s.Recipients, func(r consent.Recipient) bool { return r.ID == to.ID }) {
					return nil, field + ".actor[0].reference.identifier", fmt.Errorf("the recipient %w", consent.ErrDuplicate)
				}
				if len(s.Recipients) == consent.MaxRecipients {
					return nil, "Consent.provision.provision", fmt.Errorf("more than %d recipients: %w", consent.MaxRecipients, consent.ErrTooLong)
				}
				purpose, ok := shownPurpose(s.Text, to.Name)
				if !ok {
					return nil, field + ".actor[0].reference.display", errors.New("names a recipient the signed words do not show")
				}
				s.Recipients = append(s.Recipients, consent.Recipient{ID: to.ID, Name: to.Name, Purpose: purpose})
			default:
				return nil, field + ".actor[0].reference", errors.New("a person named is not a recipient of the consent for treatment, payment and operations")
			}
		default:
			if who != "named" || p.Type != "permit" {
				return nil, field, errors.New("not a provision the kiosk's consent holds")
			}
			if len(s.Named) == consent.MaxNamed {
				return nil, "Consent.provision.provision", fmt.Errorf("more than %d people named: %w", consent.MaxNamed, consent.ErrTooLong)
			}
			s.Named = append(s.Named, to.Name)
		}
	}
	if marker && len(s.Recipients) > 0 {
		return nil, "Consent.provision.provision", errors.New("the consent for treatment, payment and operations both names recipients and names none")
	}
	s.TPO = tpo == "permit"
	return revocations, "", nil
}

// shownPurpose finds a recipient's line in the words signed
// (consent.Form.Text: "Name: purpose", between the paragraphs and the
// choices) and gives its purpose.
func shownPurpose(text, name string) (string, bool) {
	if name == "" {
		return "", false
	}
	lines := strings.Split(text, "\n")
	for _, l := range lines[1:max(1, len(lines)-3)] {
		if p, ok := strings.CutPrefix(l, name+": "); ok {
			return p, true
		}
	}
	return "", false
}
