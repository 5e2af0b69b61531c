package fhir

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/assets"
	"intakekiosk/consent"
	"intakekiosk/review"
	"intakekiosk/screening"
)

var signedAt = day.Add(-20 * time.Minute)

// form is the built-in consent form in a language.
func form(tb testing.TB, lang string) *consent.Form {
	tb.Helper()
	set, errs := consent.Load([]string{"en", "es"}, consent.Source{Name: "built-in", FS: assets.Consents()})
	if len(errs) > 0 {
		tb.Fatal(errs)
	}
	f, ok := set.Main(lang)
	if !ok {
		tb.Fatal("no consent form")
	}
	return f
}

// signed is a consent to the form's recipients and to the people named,
// with a signature of two strokes.
func signed(tb testing.TB, lang string, named ...string) consent.Signed {
	f := form(tb, lang)
	s := consent.Signed{Form: f.ID, Version: f.Version, Lang: f.Language, Hash: f.Hash(), Text: f.Text(),
		TPO: true, Recipients: f.Recipients, Named: named,
		Signature: consent.Signature{W: 600, H: 200, Strokes: []consent.Stroke{{10, 20, 30, 40, 50, 60}, {100, 100, 120, 110}}}}
	if err := s.Check(); err != nil {
		tb.Fatal(err)
	}
	return s
}

// declined is "I do not consent", the form's recipients shown.
func declined(tb testing.TB) consent.Signed {
	f := form(tb, "en")
	return consent.Signed{Form: f.ID, Version: f.Version, Lang: f.Language, Hash: f.Hash(), Text: f.Text(), Recipients: f.Recipients, Declined: true}
}

// consented is a PHQ-9 screening with a consent and its revocations, and
// a counselor's note that must never leave.
func consented(tb testing.TB, id string, s consent.Signed, revoked ...consent.Revocation) review.Detail {
	tb.Helper()
	d := screeningDetail(tb, catalog(tb), 50, id, 0.5, instruments("phq9"))
	d.Consent.Sign(signedAt, s)
	for i, r := range revoked {
		d.Consent.Revocations = append(d.Consent.Revocations, consent.Revoked{At: day.Add(time.Duration(i+1) * time.Hour), Revocation: r})
	}
	d.Notes = []intakekiosk.StaffNote{{At: day, Note: intakekiosk.Note{By: "Ada", Text: "MARKER-COUNSELOR-NOTE-" + id}}}
	return d
}

// resources are a Bundle's resources by type, in order.
func resources(tb testing.TB, data []byte) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	entries, _ := generic(tb, data)["entry"].([]any)
	for _, e := range entries {
		r, _ := path(e, "resource")
		m, _ := r.(map[string]any)
		out[str(m, "resourceType")] = append(out[str(m, "resourceType")], m)
	}
	return out
}

func TestConsentShape(t *testing.T) {
	cat := catalog(t)
	s := signed(t, "en", "Dr. Rivera")
	d := consented(t, "s-c1", s, consent.Revocation{To: consent.To{Kind: consent.Clinic, ID: "billing"}, Asked: day.Add(24 * time.Hour), By: "Ada"})
	res := resources(t, export(t, cat, d))
	if len(res["Consent"]) != 1 || len(res["Provenance"]) != 1 || len(res["Patient"]) != 1 {
		t.Fatalf("%d Consents, %d Provenances, %d Patients", len(res["Consent"]), len(res["Provenance"]), len(res["Patient"]))
	}
	c, p := res["Consent"][0], res["Provenance"][0]
	patient := "urn:uuid:" + str(res["Patient"][0], "id")
	sig, _ := json.Marshal(s.Signature)
	tests := []struct {
		name string
		res  map[string]any
		path []any
		want any
	}{
		{"status", c, []any{"status"}, "active"},
		{"scope", c, []any{"scope", "coding", 0, "code"}, "patient-privacy"},
		{"scope system", c, []any{"scope", "coding", 0, "system"}, consentScopeSystem},
		{"category", c, []any{"category", 0, "coding", 0, "code"}, "59284-0"},
		{"category system", c, []any{"category", 0, "coding", 0, "system"}, loincSystem},
		{"patient", c, []any{"patient", "reference"}, patient},
		{"dateTime", c, []any{"dateTime"}, "2026-11-25T09:10:00Z"},
		{"policy", c, []any{"policy", 0, "uri"}, part2URI},
		{"policyRule", c, []any{"policyRule", "coding", 0, "code"}, "42CFRPart2"},
		{"policyRule system", c, []any{"policyRule", "coding", 0, "system"}, actCode},
		{"session identifier", c, []any{"identifier", 0, "value"}, "s-c1"},
		{"form identifier", c, []any{"identifier", 1, "value"}, "part2|1"},
		{"hash identifier", c, []any{"identifier", 2, "value"}, s.Hash},
		{"hash system", c, []any{"identifier", 2, "system"}, testBase + textHashPath},
		{"words", c, []any{"sourceAttachment", "data"}, base64.StdEncoding.EncodeToString([]byte(s.Text))},
		{"words' type", c, []any{"sourceAttachment", "contentType"}, "text/plain; charset=utf-8"},
		{"words' language", c, []any{"sourceAttachment", "language"}, "en"},
		{"words' SHA-1", c, []any{"sourceAttachment", "hash"}, sha1Base64(s.Text)},
		{"notice as narrative", c, []any{"text", "div"}, `<div xmlns="http://www.w3.org/1999/xhtml"><p>` + consent.Statement + `</p></div>`},
		{"provision", c, []any{"provision", "type"}, "permit"},
		{"first recipient", c, []any{"provision", "provision", 0, "actor", 0, "reference", "identifier", "value"}, "ehr"},
		{"first recipient's name", c, []any{"provision", "provision", 0, "actor", 0, "reference", "display"}, s.Recipients[0].Name},
		{"recipient role", c, []any{"provision", "provision", 0, "actor", 0, "role", "coding", 0, "code"}, "IRCP"},
		{"treatment", c, []any{"provision", "provision", 0, "purpose", 0, "code"}, "TREAT"},
		{"payment", c, []any{"provision", "provision", 0, "purpose", 1, "code"}, "HPAYMT"},
		{"operations", c, []any{"provision", "provision", 0, "purpose", 2, "system"}, actReasonSystem},
		{"the third recipient", c, []any{"provision", "provision", 2, "type"}, "permit"},
		{"the person named", c, []any{"provision", "provision", 3, "actor", 0, "reference", "display"}, "Dr. Rivera"},
		{"the revocation denies", c, []any{"provision", "provision", 4, "type"}, "deny"},
		{"from the day asked", c, []any{"provision", "provision", 4, "period", "start"}, "2026-11-26T09:30:00Z"},
		{"the recipient revoked", c, []any{"provision", "provision", 4, "actor", 0, "reference", "identifier", "value"}, "billing"},
		{"signature target", p, []any{"target", 0, "reference"}, "urn:uuid:" + str(c, "id")},
		{"signature type", p, []any{"signature", 0, "type", 0, "code"}, "1.2.840.10065.1.12.1.7"},
		{"signature type system", p, []any{"signature", 0, "type", 0, "system"}, "urn:iso-astm:E1762-95:2013"},
		{"signed when", p, []any{"signature", 0, "when"}, "2026-11-25T09:10:00Z"},
		{"signed by", p, []any{"signature", 0, "who", "reference"}, patient},
		{"strokes' format", p, []any{"signature", 0, "sigFormat"}, "application/json"},
		{"strokes", p, []any{"signature", 0, "data"}, base64.StdEncoding.EncodeToString(sig)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, _ := path(tc.res, tc.path...); got != tc.want {
				t.Errorf("%v = %v, want %v", tc.path, got, tc.want)
			}
		})
	}
}

func sha1Base64(s string) string { return textAttachment(s, "", "").Hash }

func TestConsentStatus(t *testing.T) {
	cat := catalog(t)
	all := consent.Revocation{All: true, Asked: day.Add(48 * time.Hour), By: "Ada"}
	named := consent.Revocation{To: consent.To{Kind: consent.Named, Name: "Dr. Rivera"}, Asked: day.Add(24 * time.Hour), By: "Ada"}
	tests := []struct {
		name      string
		d         review.Detail
		status    string
		provision string
		denies    int // nested deny provisions
		permits   int
		signature bool
	}{
		{"signed", consented(t, "s-1", signed(t, "en", "Dr. Rivera")), "active", "permit", 0, 4, true},
		{"one recipient revoked", consented(t, "s-2", signed(t, "en", "Dr. Rivera"), named), "active", "permit", 1, 4, true},
		{"wholly revoked", consented(t, "s-3", signed(t, "en"), all), "inactive", "permit", 1, 3, true},
		{"declined", consented(t, "s-4", declined(t)), "rejected", "deny", 3, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := resources(t, export(t, cat, tc.d))
			c := res["Consent"][0]
			if str(c, "status") != tc.status || str(c, "provision", "type") != tc.provision {
				t.Errorf("status %s, provision %s; want %s, %s", str(c, "status"), str(c, "provision", "type"), tc.status, tc.provision)
			}
			nested, _ := path(c, "provision", "provision")
			list, _ := nested.([]any)
			denies, permits := 0, 0
			for _, p := range list {
				switch str(p, "type") {
				case "deny":
					denies++
				case "permit":
					permits++
				}
			}
			if denies != tc.denies || permits != tc.permits {
				t.Errorf("%d deny and %d permit provisions, want %d and %d", denies, permits, tc.denies, tc.permits)
			}
			if got := len(res["Provenance"]) == 1; got != tc.signature {
				t.Errorf("signature's Provenance written %v, want %v", got, tc.signature)
			}
		})
	}
}

// Every resource of an export and the Bundle carry the labels R,
// 42CFRPart2 and NORDSCLCD; the §2.32 notice is the first entry and the
// narrative of each Consent; no counselor's note leaves.
func TestExportLabelsAndNotice(t *testing.T) {
	cat := catalog(t)
	list := append(clinicDay(t, cat), consented(t, "s-c1", signed(t, "en", "Dr. Rivera")), consented(t, "s-c2", declined(t)))
	data := export(t, cat, list...)
	for _, marker := range []string{"SECRET-COUNSELOR-NOTE", "MARKER-COUNSELOR-NOTE"} {
		if bytes.Contains(data, []byte(marker)) {
			t.Errorf("a counselor's note (%s) was exported", marker)
		}
	}
	if n := bytes.Count(data, []byte(consent.Statement)); n < 3 {
		t.Errorf("the §2.32 notice appears %d times, want in the notice's description and each Consent's narrative", n)
	}
	want := []coding{{System: confidentiality, Code: "R"}, {System: actCode, Code: "42CFRPart2"}, {System: actCode, Code: "NORDSCLCD"}}
	b := generic(t, data)
	all := []any{b}
	entries, _ := b["entry"].([]any)
	for _, e := range entries {
		r, _ := path(e, "resource")
		all = append(all, r)
	}
	types := map[string]bool{}
	for i, r := range all {
		types[str(r, "resourceType")] = true
		labels, _ := path(r, "meta", "security")
		raw, _ := json.Marshal(labels)
		var got []coding
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("resource %d (%s): no security label %s", i, str(r, "resourceType"), w.Code)
			}
		}
	}
	for _, typ := range []string{"Bundle", "Patient", "QuestionnaireResponse", "Observation", "Consent", "Provenance", "DocumentReference"} {
		if !types[typ] {
			t.Errorf("no %s in the export", typ)
		}
	}
	if str(entries[0], "resource", "resourceType") != "DocumentReference" || str(entries[0], "resource", "description") != consent.Statement {
		t.Errorf("the first entry is not the notice: %v", entries[0])
	}
}

func TestConsentRoundTrip(t *testing.T) {
	cat := catalog(t)
	noAnswers := consented(t, "s-alone", signed(t, "es", "Ana María López"))
	noAnswers.Visit.Session = screening.NewSessionFor(cat, "screening", nil)
	tests := []struct {
		name    string
		d       review.Detail
		revoked []consent.Revocation
	}{
		{"signed, with a person named", consented(t, "s-1", signed(t, "en", "Dr. Rivera", "Sam")), nil},
		{"declined", consented(t, "s-2", declined(t)), nil},
		{"in Spanish, no answers", noAnswers, nil},
		{"revoked in part and then whole", consented(t, "s-3", signed(t, "en", "Sam")), []consent.Revocation{
			{To: consent.To{Kind: consent.Named, Name: "Sam"}, Asked: day.Add(24 * time.Hour)},
			{To: consent.To{Kind: consent.Clinic, ID: "referral", Name: "Our referral partner clinic"}, Asked: day.Add(30 * time.Hour)},
			{All: true, Asked: day.Add(48 * time.Hour)},
		}},
		{"TPO to a form without recipients", func() review.Detail {
			s := signed(t, "en")
			s.Recipients = nil
			return consented(t, "s-4", s)
		}(), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.d
			for i, r := range tc.revoked {
				r.By = "Ada"
				d.Consent.Revocations = append(d.Consent.Revocations, consent.Revoked{At: day.Add(time.Duration(i) * time.Hour), Revocation: r})
			}
			list, err := Read(bytes.NewReader(export(t, cat, d)), cat, ReadOptions{Now: day.Add(72 * time.Hour), Bases: []string{testBase}})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 {
				t.Fatalf("%d sessions read back, want 1", len(list))
			}
			im := list[0]
			if im.Consent == nil || !reflect.DeepEqual(*im.Consent, *d.Consent.Consent) {
				t.Fatalf("read back %+v\nwant %+v", im.Consent, d.Consent.Consent)
			}
			if !im.SignedAt.Equal(signedAt) || im.Identity != d.Identity {
				t.Errorf("signed at %v by %+v, want %v, %+v", im.SignedAt, im.Identity, signedAt, d.Identity)
			}
			if !reflect.DeepEqual(im.Revocations, tc.revoked) {
				t.Errorf("revocations %+v, want %+v", im.Revocations, tc.revoked)
			}
			if tc.name != "in Spanish, no answers" && len(im.Answers) == 0 {
				t.Error("the answers did not come back with the consent")
			}
		})
	}
}

// mutate exports a session, changes its Consent and Provenance and gives
// the Bundle back.
func mutate(tb testing.TB, d review.Detail, change func(c, p map[string]any, b map[string]any)) []byte {
	tb.Helper()
	b := generic(tb, export(tb, catalog(tb), d))
	var c, p map[string]any
	entries, _ := b["entry"].([]any)
	for _, e := range entries {
		r, _ := path(e, "resource")
		m, _ := r.(map[string]any)
		switch str(m, "resourceType") {
		case "Consent":
			c = m
		case "Provenance":
			p = m
		}
	}
	change(c, p, b)
	return mustJSON(tb, b)
}

// provisions is a Consent's nested provisions.
func provisions(c map[string]any) []any {
	l, _ := path(c, "provision", "provision")
	list, _ := l.([]any)
	return list
}

func setProvisions(c map[string]any, list []any) { c["provision"].(map[string]any)["provision"] = list }

func strokes(n, x int) string {
	sig := consent.Signature{W: 600, H: 200}
	for range n {
		sig.Strokes = append(sig.Strokes, consent.Stroke{x, 1})
	}
	b, _ := json.Marshal(sig)
	return base64.StdEncoding.EncodeToString(b)
}

func TestConsentRefuses(t *testing.T) {
	cat := catalog(t)
	good := consented(t, "s-1", signed(t, "en", "Dr. Rivera"))
	no := consented(t, "s-2", declined(t))
	tests := []struct {
		name   string
		d      review.Detail
		change func(c, p, b map[string]any)
		typ    string
		field  string
		want   string
	}{
		{"another text's hash", good, func(c, p, b map[string]any) {
			c["identifier"].([]any)[2].(map[string]any)["value"] = strings.Repeat("ab", 32)
		}, "Consent", "Consent.sourceAttachment.data", "SHA-256"},
		{"words changed", good, func(c, p, b map[string]any) {
			c["sourceAttachment"].(map[string]any)["data"] = base64.StdEncoding.EncodeToString([]byte("Other words"))
		}, "Consent", "Consent.sourceAttachment.hash", "SHA-1"},
		{"words and both hashes changed", good, func(c, p, b map[string]any) {
			a := c["sourceAttachment"].(map[string]any)
			a["data"], a["hash"] = base64.StdEncoding.EncodeToString([]byte("Other words")), sha1Base64("Other words")
			delete(a, "size")
		}, "Consent", "Consent.sourceAttachment.data", "SHA-256"},
		{"words not base64", good, func(c, p, b map[string]any) { c["sourceAttachment"].(map[string]any)["data"] = "%%%" }, "Consent", "Consent.sourceAttachment.data", "base64"},
		{"a stroke of one number", good, func(c, p, b map[string]any) {
			p["signature"].([]any)[0].(map[string]any)["data"] = base64.StdEncoding.EncodeToString([]byte(`{"w":600,"h":200,"strokes":[[10]]}`))
		}, "Provenance", "Provenance.signature[0].data", "not well formed"},
		{"a stroke off the pad", good, func(c, p, b map[string]any) { p["signature"].([]any)[0].(map[string]any)["data"] = strokes(1, 601) },
			"Provenance", "Provenance.signature[0].data", "not well formed"},
		{"too many strokes", good, func(c, p, b map[string]any) {
			p["signature"].([]any)[0].(map[string]any)["data"] = strokes(consent.MaxStrokes+1, 1)
		}, "Provenance", "Provenance.signature[0].data", "not well formed"},
		{"strokes not JSON", good, func(c, p, b map[string]any) {
			p["signature"].([]any)[0].(map[string]any)["data"] = base64.StdEncoding.EncodeToString([]byte("strokes"))
		}, "Provenance", "Provenance.signature[0].data", "not the JSON"},
		{"strokes as an image", good, func(c, p, b map[string]any) { p["signature"].([]any)[0].(map[string]any)["sigFormat"] = "image/png" },
			"Provenance", "Provenance.signature[0].sigFormat", "application/json"},
		{"unsigned", good, func(c, p, b map[string]any) {
			b["entry"] = slices.DeleteFunc(b["entry"].([]any), func(e any) bool { return str(e, "resource", "resourceType") == "Provenance" })
		},
			"Consent", "Consent", "no Provenance"},
		{"a signature of nothing", good, func(c, p, b map[string]any) {
			var other map[string]any
			_ = json.Unmarshal(mustJSON(t, p), &other)
			other["id"], other["target"] = "y", []any{map[string]any{"reference": "urn:uuid:x"}}
			b["entry"] = append(b["entry"].([]any), map[string]any{"fullUrl": "urn:uuid:y", "resource": other})
		},
			"Provenance", "Provenance.target", "signs no Consent"},
		{"declined with a permit provision", no, func(c, p, b map[string]any) { c["provision"].(map[string]any)["type"] = "permit" },
			"Consent", "Consent.provision.type", "declined"},
		{"declined permitting a recipient", no, func(c, p, b map[string]any) { provisions(c)[1].(map[string]any)["type"] = "permit" },
			"Consent", "Consent.provision.provision[1].type", "permits nothing"},
		{"given with a deny provision", good, func(c, p, b map[string]any) { c["provision"].(map[string]any)["type"] = "deny" },
			"Consent", "Consent.provision.type", "must permit"},
		{"too many recipients", good, func(c, p, b map[string]any) {
			list := provisions(c)
			for i := range consent.MaxRecipients {
				var cp map[string]any
				_ = json.Unmarshal(mustJSON(t, list[0]), &cp)
				cp["actor"].([]any)[0].(map[string]any)["reference"].(map[string]any)["identifier"].(map[string]any)["value"] = "x" + string(rune('a'+i))
				list = append([]any{cp}, list...)
			}
			setProvisions(c, list)
		}, "Consent", "Consent.provision.provision", "more than 12 recipients"},
		{"too many people named", good, func(c, p, b map[string]any) {
			list := provisions(c)
			for range consent.MaxNamed {
				list = append(list, list[3])
			}
			setProvisions(c, list)
		}, "Consent", "Consent.provision.provision", "more than 4 people named"},
		{"a recipient the words do not show", good, func(c, p, b map[string]any) {
			provisions(c)[1].(map[string]any)["actor"].([]any)[0].(map[string]any)["reference"].(map[string]any)["display"] = "Acme Data Brokers"
		}, "Consent", "Consent.provision.provision[1].actor[0].reference.display", "signed words do not show"},
		{"TPO to some recipients only", good, func(c, p, b map[string]any) { provisions(c)[2].(map[string]any)["type"] = "deny" },
			"Consent", "Consent.provision.provision[2].type", "permits some"},
		{"a name with a control character", good, func(c, p, b map[string]any) {
			provisions(c)[3].(map[string]any)["actor"].([]any)[0].(map[string]any)["reference"].(map[string]any)["display"] = "Dr.\u0007Rivera"
		}, "Consent", "Consent.provision", "control character"},
		{"a draft", good, func(c, p, b map[string]any) { c["status"] = "draft" }, "Consent", "Consent.status", "not imported"},
		{"revoked yet active", consented(t, "s-3", signed(t, "en"), consent.Revocation{All: true, Asked: day}), func(c, p, b map[string]any) { c["status"] = "active" },
			"Consent", "Consent.status", "revoked"},
		{"another scope", good, func(c, p, b map[string]any) {
			c["scope"] = map[string]any{"coding": []any{map[string]any{"system": consentScopeSystem, "code": "research"}}}
		},
			"Consent", "Consent.scope", "patient-privacy"},
		{"not under Part 2", good, func(c, p, b map[string]any) { delete(c, "policyRule") }, "Consent", "Consent.policyRule", "42 CFR Part 2"},
		{"signed in 2099", good, func(c, p, b map[string]any) { c["dateTime"] = "2099-01-01T00:00:00Z" }, "Consent", "Consent.dateTime", "after the time of import"},
		{"no form", good, func(c, p, b map[string]any) { c["identifier"] = c["identifier"].([]any)[:1] }, "Consent", "Consent.identifier", "is missing"},
		{"another patient than its session's", good, func(c, p, b map[string]any) { c["patient"] = map[string]any{"reference": "urn:uuid:other"} },
			"Consent", "Consent.patient", "not the patient"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(mutate(t, tc.d, tc.change)), cat, readOpts)
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an ImportError", err)
			}
			if ie.Type != tc.typ || ie.Field != tc.field || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v (%s, field %q); want %s, field %q and %q", err, ie.Type, ie.Field, tc.typ, tc.field, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "read FHIR: "+tc.typ+" ") {
				t.Errorf("%v does not name the resource", err)
			}
			for _, secret := range []string{"Rivera", "Acme", "Other words"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("%v repeats %q", err, secret)
				}
			}
		})
	}
}
