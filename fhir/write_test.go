package fhir

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/internal/testkit"
	"intakekiosk/review"
	"intakekiosk/screening"
)

// clinicDay is a small clinic day: a full screening; a returning patient's
// check-in met before their screening; an abandoned screening; a session
// with no answers; a screening with a counselor's note.
func clinicDay(t *testing.T, cat *screening.Catalog) []review.Detail {
	full := screeningDetail(t, cat, 1, "s-full", 0.7, nil)

	linked := screeningDetail(t, cat, 2, "s-linked", 0.4, instruments("phq9", "gad7"))
	linked.Session.PatientID = "patient-7"
	ci, err := generator(cat, 3).Checkin("c-1", "patient-7", day.Add(48*time.Hour), day.Add(30*time.Hour), 4.5, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	checkin := detail(t, cat, ci, nil)

	ns, err := generator(cat, 4).Screening("s-walked", day, 0.3)
	if err != nil {
		t.Fatal(err)
	}
	ns.Records = ns.Records[:6] // identity and five answers to the kratom profile
	ns.Completed, ns.Status = time.Time{}, intakekiosk.Incomplete
	walked := detail(t, cat, ns, nil)

	empty := screeningDetail(t, cat, 5, "s-empty", 0.5, instruments())

	noted := screeningDetail(t, cat, 6, "s-noted", 0.2, instruments("dast10"))
	noted.Notes = []intakekiosk.StaffNote{{At: day, Note: intakekiosk.Note{By: "Ada", Text: "SECRET-COUNSELOR-NOTE"}}}

	return []review.Detail{full, checkin, linked, walked, empty, noted}
}

func TestWriteBundleResources(t *testing.T) {
	cat := catalog(t)
	list := clinicDay(t, cat)
	data := export(t, cat, list...)
	if bytes.Contains(data, []byte("SECRET-COUNSELOR-NOTE")) {
		t.Error("a counselor's note was exported")
	}
	b := generic(t, data)
	if str(b, "resourceType") != "Bundle" || str(b, "type") != "collection" || str(b, "timestamp") != "2026-11-26T08:00:00Z" {
		t.Fatalf("bundle envelope: %v %v %v", b["resourceType"], b["type"], b["timestamp"])
	}

	// Every resource has the fields the issue names.
	required := map[string][][]any{
		"Patient": {{"id"}, {"meta", "security", 0, "code"}},
		"QuestionnaireResponse": {{"id"}, {"questionnaire"}, {"status"}, {"subject", "reference"}, {"authored"},
			{"item", 0, "linkId"}, {"item", 0, "text"}},
		"Observation": {{"id"}, {"status"}, {"code", "coding", 0, "system"}, {"code", "coding", 0, "code"},
			{"subject", "reference"}, {"effectiveDateTime"}, {"valueQuantity", "value"}, {"valueQuantity", "unit"},
			{"valueQuantity", "system"}, {"valueQuantity", "code"}, {"derivedFrom", 0, "reference"}},
		// an answer a safety flag rests on: PHQ-9 item 9
		"item Observation": {{"id"}, {"status"}, {"code", "coding", 0, "code"}, {"subject", "reference"}, {"effectiveDateTime"},
			{"derivedFrom", 0, "reference"}},
		"Flag": {{"id"}, {"status"}, {"code", "coding", 0, "code"}, {"code", "text"}, {"subject", "reference"}, {"period", "start"},
			{"extension", 0, "valueCodeableConcept", "coding", 0, "code"}},
		// the §2.32 notice, first
		"DocumentReference": {{"id"}, {"status"}, {"description"}, {"text", "div"}, {"content", 0, "attachment", "data"}},
		"Questionnaire": {{"id"}, {"url"}, {"version"}, {"status"}, {"title"}, {"copyright"}, {"item", 0, "linkId"},
			{"item", 0, "type"}},
	}
	entries, _ := b["entry"].([]any)
	byURL := map[string]map[string]any{}
	count := map[string]int{}
	defined := map[string]bool{} // Questionnaires by url|version
	for i, e := range entries {
		url := str(e, "fullUrl")
		res, _ := path(e, "resource")
		r, _ := res.(map[string]any)
		typ := str(r, "resourceType")
		count[typ]++
		if url != "urn:uuid:"+str(r, "id") {
			t.Errorf("entry %d: fullUrl %q, id %q", i, url, str(r, "id"))
		}
		if _, dup := byURL[url]; dup {
			t.Errorf("entry %d: fullUrl %s used twice", i, url)
		}
		byURL[url] = r
		switch typ {
		case "Questionnaire":
			canonical := str(r, "url") + "|" + str(r, "version")
			if defined[canonical] {
				t.Errorf("entry %d: Questionnaire %s twice", i, canonical)
			}
			defined[canonical] = true
		case "QuestionnaireResponse":
			if q := str(r, "questionnaire"); !defined[q] {
				t.Errorf("entry %d: response to %s before (or without) its Questionnaire", i, q)
			}
		}
		if typ == "Observation" && str(r, "code", "coding", 0, "code") == "44260-8" {
			typ = "item Observation"
		}
		fields, ok := required[typ]
		if !ok {
			t.Errorf("entry %d: unexpected %s", i, typ)
		}
		for _, f := range fields {
			if v, ok := path(r, f...); !ok || v == "" {
				t.Errorf("entry %d (%s): no %v", i, typ, f)
			}
		}
	}
	// references point inside the bundle, at the right kind
	for url, r := range byURL {
		if ref := str(r, "subject", "reference"); ref != "" && str(byURL[ref], "resourceType") != "Patient" {
			t.Errorf("%s: subject %s is not a Patient of the bundle", url, ref)
		}
		if ref := str(r, "derivedFrom", 0, "reference"); ref != "" && str(byURL[ref], "resourceType") != "QuestionnaireResponse" {
			t.Errorf("%s: derivedFrom %s is not a response of the bundle", url, ref)
		}
	}
	// full, linked+checkin (one person), walked, noted; empty is skipped
	if count["Patient"] != 4 {
		t.Errorf("%d Patients, want 4", count["Patient"])
	}
	pid := "urn:uuid:" + nameID("patient", "patient-7").String()
	if who := byURL[pid]; str(who, "name", 0, "family") != list[2].Identity.Last ||
		str(who, "name", 0, "given", 0) != list[2].Identity.First || str(who, "birthDate") != list[2].Identity.Birth {
		t.Errorf("the linked patient is %v, want %+v (from the screening that follows the check-in)", who, list[2].Identity)
	}
}

func TestWriteBundleResponses(t *testing.T) {
	cat := catalog(t)
	list := clinicDay(t, cat)
	b := generic(t, export(t, cat, list...))
	responses := map[string]map[string]any{} // by questionnaire and status
	observations := map[string]map[string]any{}
	entries, _ := b["entry"].([]any)
	for _, e := range entries {
		r, _ := path(e, "resource")
		switch str(r, "resourceType") {
		case "QuestionnaireResponse":
			responses[str(r, "questionnaire")+" "+str(r, "status")] = r.(map[string]any)
		case "Observation":
			observations[str(r, "code", "coding", 0, "code")] = r.(map[string]any)
		}
	}
	base := testBase + "/Questionnaire/"
	tests := []struct {
		name, response string
		item           string
		want           []any // path and value within the item
	}{
		{"LOINC answer code", base + "phq9|1 completed", "/44250-9", []any{"answer", 0, "valueCoding", "system", loincSystem}},
		{"LOINC answer display", base + "phq9|1 completed", "/44250-9", []any{"item", "text", "Little interest or pleasure in doing things"}},
		{"the total, as LOINC's form names it", base + "phq9|1 completed", "/44261-6", []any{"answer", 0, "valueDecimal", nil}},
		{"a total without a LOINC code", base + "sows|1 completed", "score.total", []any{"answer", 0, "valueDecimal", nil}},
		{"local answer code", base + "kratom|2 completed", "duration", []any{"answer", 0, "valueCoding", "system", testBase + "/CodeSystem/kratom"}},
		{"number", base + "checkin_use|1 completed", "grams", []any{"answer", 0, "valueDecimal", 4.5}},
		{"when", base + "checkin_use|1 completed", "last_dose", []any{"answer", 0, "valueDateTime", "2026-11-26T15:30:00Z"}},
		{"text", base + "kratom|2 completed", "medicines", []any{"answer", 0, "valueString", nil}},
		{"abandoned session", base + "kratom|2 stopped", "duration", []any{"answer", 0, "valueCoding", "code", nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, ok := responses[tc.response]
			if !ok {
				t.Fatalf("no response %s", tc.response)
			}
			items, _ := r["item"].([]any)
			for _, it := range items {
				if str(it, "linkId") != tc.item {
					continue
				}
				keys, want := tc.want[:len(tc.want)-1], tc.want[len(tc.want)-1]
				if keys[0] == "item" {
					keys = keys[1:]
				}
				got, ok := path(it, keys...)
				if !ok || want != nil && got != want {
					t.Errorf("item %s %v = %v, want %v", tc.item, keys, got, want)
				}
				return
			}
			t.Errorf("no item %s in %v", tc.item, items)
		})
	}
	bands := testBase + "/CodeSystem/bands"
	for _, tc := range []struct {
		code, system, display string
		band                  string // the start of the band's code in the clinic's system
		loinc, hl7            bool   // a LOINC answer code, an HL7 interpretation too
	}{
		{"44261-6", loincSystem, "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]", "phq9.", true, false},
		{"55758-7", loincSystem, "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]", "phq9.phq2.", false, true},
		{"70274-6", loincSystem, "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]", "gad7.", false, false},
		{"82667-7", loincSystem, "Total score [DAST-10]", "dast10.", false, false},
		{"75626-2", loincSystem, "Total score [AUDIT-C]", "auditc.", false, true},
		{"sows", testBase + "/CodeSystem/scores", "Subjective Opiate Withdrawal Scale (SOWS) total score", "sows.", false, false},
	} {
		o, ok := observations[tc.code]
		if !ok {
			t.Errorf("no Observation %s", tc.code)
			continue
		}
		if str(o, "code", "coding", 0, "system") != tc.system || str(o, "code", "coding", 0, "display") != tc.display || str(o, "status") != "final" ||
			str(o, "valueQuantity", "unit") != "{score}" || str(o, "valueQuantity", "system") != ucumSystem {
			t.Errorf("Observation %s: %v", tc.code, o)
		}
		in, _ := path(o, "interpretation", 0)
		text := str(in, "text")
		if str(in, "coding", 0, "system") != bands || !strings.HasPrefix(str(in, "coding", 0, "code"), tc.band) || str(in, "coding", 0, "display") != text || text == "" {
			t.Errorf("Observation %s: interpretation %v, want a band %s… of %s", tc.code, in, tc.band, bands)
		}
		codings, _ := path(in, "coding")
		list, _ := codings.([]any)
		if want := 1 + btoi(tc.loinc) + btoi(tc.hl7); len(list) != want {
			t.Errorf("Observation %s: %d codings in the interpretation, want %d", tc.code, len(list), want)
		}
		if tc.loinc && (str(in, "coding", 1, "system") != loincSystem || !strings.HasPrefix(str(in, "coding", 1, "code"), "LA") || !strings.Contains(str(in, "coding", 1, "display"), " = ")) {
			t.Errorf("Observation %s: no LOINC band in %v", tc.code, in)
		}
		if last := len(list) - 1; tc.hl7 && (str(in, "coding", last, "system") != interpretationSystem ||
			map[string]string{"POS": "Positive", "NEG": "Negative"}[str(in, "coding", last, "code")] != str(in, "coding", last, "display")) {
			t.Errorf("Observation %s: no HL7 interpretation in %v", tc.code, in)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestWriteBundleDeclined(t *testing.T) {
	cat := catalog(t)
	d := screeningDetail(t, cat, 9, "s-declined", 0.5, instruments("phq9"))
	d.Visit.Session.Restore(screening.Answer{Instrument: "phq9", Item: "9", Declined: true, At: day})
	b := generic(t, export(t, cat, d))
	entries, _ := b["entry"].([]any)
	found, flagged, item := false, false, false
	for _, e := range entries {
		r, _ := path(e, "resource")
		// the PHQ-2 (items 1 and 2) is whole; the PHQ-9 total is not
		if code := str(r, "code", "coding", 0, "code"); str(r, "resourceType") == "Observation" && code != "44260-8" && code != "55758-7" {
			t.Errorf("a total with a declined item was exported as an Observation %s", code)
		}
		if str(r, "resourceType") == "Observation" && str(r, "code", "coding", 0, "code") == "44260-8" {
			item = str(r, "dataAbsentReason", "coding", 0, "code") == "asked-declined"
		}
		if str(r, "resourceType") == "Flag" {
			flagged = str(r, "code", "coding", 0, "code") == "phq9.item9_declined" &&
				str(r, "extension", 0, "valueCodeableConcept", "coding", 0, "code") == "PM"
		}
		items, _ := path(r, "item")
		list, _ := items.([]any)
		for _, it := range list {
			if str(r, "resourceType") == "QuestionnaireResponse" && str(it, "linkId") == "/44260-8" {
				found = true
				if str(it, "extension", 0, "valueCode") != "asked-declined" || func() bool { _, ok := path(it, "answer"); return ok }() {
					t.Errorf("declined item 9: %v", it)
				}
			}
		}
	}
	if !found {
		t.Error("declined item 9 left out")
	}
	if !flagged || !item {
		t.Errorf("the decline exported as a needs-attention Flag %v, as an item 9 Observation with asked-declined %v", flagged, item)
	}
}

// An item-9-positive PHQ-9 with total 1 says suicide risk: a Flag of high
// priority about the Patient, and item 9 as LOINC 44260-8 with its LA
// answer code; a press of "I need help now" is a Flag of its own.
func TestWriteBundleFlags(t *testing.T) {
	cat := catalog(t)
	d := screeningDetail(t, cat, 9, "s-item9", 0, instruments("phq9"))
	for _, a := range testkit.ByPoints(t, cat, "phq9", day, 0, 0, 0, 0, 0, 0, 0, 0, 1) {
		d.Visit.Session.Restore(a)
	}
	d.Visit.HelpRequested = true
	b := generic(t, export(t, cat, d))
	entries, _ := b["entry"].([]any)
	flags := map[string]map[string]any{}
	var patient, item9 map[string]any
	for _, e := range entries {
		r, _ := path(e, "resource")
		m, _ := r.(map[string]any)
		switch str(m, "resourceType") {
		case "Flag":
			flags[str(m, "code", "coding", 0, "code")] = m
		case "Patient":
			patient = m
		case "Observation":
			if str(m, "code", "coding", 0, "code") == "44260-8" {
				item9 = m
			}
		}
	}
	if len(flags) != 2 || flags["phq9.suicidal_ideation"] == nil || flags["help"] == nil {
		t.Fatalf("flags %v", flags)
	}
	for code, f := range flags {
		if str(f, "status") != "active" || str(f, "subject", "reference") != "urn:uuid:"+str(patient, "id") ||
			str(f, "period", "start") == "" || str(f, "extension", 0, "valueCodeableConcept", "coding", 0, "code") != "PH" ||
			str(f, "code", "coding", 0, "system") != testBase+"/CodeSystem/flags" {
			t.Errorf("Flag %s: %v", code, f)
		}
	}
	if !strings.Contains(str(flags["phq9.suicidal_ideation"], "code", "text"), "Suicidal thoughts") {
		t.Errorf("the suicide Flag's text: %v", flags["phq9.suicidal_ideation"])
	}
	if str(item9, "valueCodeableConcept", "coding", 0, "code") != "LA6569-3" || str(item9, "valueCodeableConcept", "coding", 0, "system") != loincSystem ||
		str(item9, "code", "coding", 0, "display") != "Thoughts that you would be better off dead, or of hurting yourself in some way in last 2 weeks [Reported.PHQ]" {
		t.Errorf("item 9: %v", item9)
	}
}

// Every answer to an instrument LOINC publishes as a panel leaves as its
// LOINC answer code, displayed as LOINC words it ("2-4 times a month"
// for the kiosk's "2 to 4 times a month"), never in a code system of the
// clinic's own; PHQ-9 item 10 is 69722-7's answer.
func TestWriteBundleAnswerCodes(t *testing.T) {
	cat := catalog(t)
	d := screeningDetail(t, cat, 11, "s-codes", 0.6, nil)
	for _, a := range []screening.Answer{
		{Instrument: "auditc", Item: "1", Choice: "2_4_month", At: day},
		{Instrument: "phq9", Item: "10", Choice: "very_difficult", At: day},
		{Instrument: "gad7", Item: "8", Choice: "somewhat_difficult", At: day},
	} {
		d.Visit.Session.Restore(a)
	}
	b := generic(t, export(t, cat, d))
	entries, _ := b["entry"].([]any)
	want := map[string]string{"auditc/1": "LA18927-6 2-4 times a month", "phq9/10": "LA6575-0 Very difficult", "gad7/8": "LA6573-5 Somewhat difficult"}
	seen := 0
	for _, e := range entries {
		r, _ := path(e, "resource")
		if str(r, "resourceType") != "QuestionnaireResponse" {
			continue
		}
		id := strings.TrimPrefix(strings.Split(str(r, "questionnaire"), "|")[0], testBase+"/Questionnaire/")
		in, _ := cat.Instrument(id)
		items, _ := path(r, "item")
		list, _ := items.([]any)
		for _, it := range list {
			c, ok := path(it, "answer", 0, "valueCoding")
			if !ok {
				continue
			}
			if in.LOINC.Panel != "" && str(c, "system") != loincSystem {
				t.Errorf("%s/%s answered in %s", id, str(it, "linkId"), str(c, "system"))
			}
			item, _ := itemOf(in, str(it, "linkId"))
			if item == nil {
				continue
			}
			if w, ok := want[id+"/"+item.ID]; ok {
				seen++
				if got := str(c, "code") + " " + str(c, "display"); got != w {
					t.Errorf("%s/%s: %s, want %s", id, str(it, "linkId"), got, w)
				}
			}
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d answers exported", seen, len(want))
	}
}

func TestWriterEmptyAndClosed(t *testing.T) {
	cat := catalog(t)
	var buf bytes.Buffer
	w, err := NewWriter(&buf, cat, Options{BaseURL: testBase})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b := generic(t, buf.Bytes())
	if _, ok := b["entry"]; ok || b["timestamp"] != nil {
		t.Errorf("empty bundle: %s", buf.Bytes())
	}
	if err := w.Add(review.Detail{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Add after Close: %v", err)
	}
	if _, err := NewWriter(&buf, nil, Options{BaseURL: testBase}); err == nil {
		t.Error("no catalog accepted")
	}
}

// Without the clinic's canonical base an export writes nothing and says
// which setting is missing: never a base of the kiosk's own choosing.
func TestWriterNeedsBase(t *testing.T) {
	cat := catalog(t)
	for _, base := range []string{"", "/", "//"} {
		var buf bytes.Buffer
		_, err := NewWriter(&buf, cat, Options{BaseURL: base, Now: exportAt})
		e, ok := errors.AsType[*fault.Error](err)
		if !ok || e.Kind != fault.Invalid || e.Field != BaseSetting || !errors.Is(err, ErrNoBase) || !strings.Contains(err.Error(), "fhir_base") {
			t.Errorf("base %q: err = %v; want ErrNoBase, Invalid, naming fhir_base", base, err)
		}
		if buf.Len() != 0 {
			t.Errorf("base %q: wrote %q", base, buf.Bytes())
		}
	}
}

// failing fails every write after n bytes.
type failing struct{ n int }

func (f *failing) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriterReportsWriteErrors(t *testing.T) {
	cat := catalog(t)
	d := screeningDetail(t, cat, 1, "s-1", 0.5, nil)
	list := make([]review.Detail, 200) // well past the 64 KB buffer
	for i := range list {
		list[i] = d
		list[i].Session.ID = strings.Repeat("x", i+1)
	}
	err := WriteBundle(&failing{n: 100 << 10}, list, cat, Options{BaseURL: testBase})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
}
