package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/review"
	"intakekiosk/screening"
)

func TestRoundTrip(t *testing.T) {
	cat := catalog(t)
	tests := []struct {
		name  string
		sev   float64
		keep  keep
		check []string // instruments whose totals must match
	}{
		{"PHQ-9 and GAD-7, mild", 0.2, instruments("phq9", "gad7"), []string{"phq9", "gad7"}},
		{"PHQ-9 and GAD-7, moderate", 0.5, instruments("phq9", "gad7"), []string{"phq9", "gad7"}},
		{"PHQ-9 and GAD-7, severe", 0.97, instruments("phq9", "gad7"), []string{"phq9", "gad7"}},
		{"whole screening", 0.6, nil, []string{"phq9", "gad7", "dast10", "auditc", "sows"}},
		{"whole screening, mild", 0.1, nil, []string{"phq9", "gad7", "dast10", "auditc", "sows"}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := screeningDetail(t, cat, uint64(10+i), fmt.Sprintf("s-%d", i), tc.sev, tc.keep)
			list, err := Read(bytes.NewReader(export(t, cat, d)), cat, readOpts)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 {
				t.Fatalf("%d sessions read back, want 1", len(list))
			}
			im := list[0]
			if im.Identity != d.Identity || !im.Complete || !im.Authored.Equal(d.At().Truncate(time.Second)) {
				t.Errorf("read back %+v at %v, complete %v; want %+v at %v", im.Identity, im.Authored, im.Complete, d.Identity, d.At())
			}
			want, got := results(d.Visit.Session, d.At()), rescore(cat, intakekiosk.Screening, im)
			for _, id := range tc.check {
				w, g := want[id], got[id]
				if !w.Scored && !w.Skipped {
					t.Fatalf("%s was not scored before export", id)
				}
				if g.Scored != w.Scored || g.Total != w.Total || g.Skipped != w.Skipped || bandOf(g) != bandOf(w) {
					t.Errorf("%s: read back %d (%s, scored %v), exported %d (%s, scored %v)",
						id, g.Total, bandOf(g), g.Scored, w.Total, bandOf(w), w.Scored)
				}
			}
			sameAnswers(t, d, im)
		})
	}
}

func bandOf(r screening.Result) string {
	if r.Band == nil {
		return ""
	}
	return r.Band.Label["en"]
}

// sameAnswers checks that every answer exported came back unchanged
// (times to the second).
func sameAnswers(t *testing.T, d review.Detail, im Imported) {
	t.Helper()
	back := screening.Answers{}
	for _, a := range im.Answers {
		back[a.Key()] = a
	}
	n := 0
	for _, st := range d.Visit.Session.Steps(d.At()) {
		a, ok := d.Visit.Session.Answer(st.Key())
		if !ok {
			continue
		}
		n++
		b, ok := back[a.Key()]
		switch {
		case !ok:
			t.Errorf("%s: not read back", a.Key())
		case a.Declined != b.Declined || a.Choice != b.Choice || fmt.Sprint(a.Choices) != fmt.Sprint(b.Choices) ||
			a.Text != b.Text || (a.Number == nil) != (b.Number == nil) || a.Number != nil && *a.Number != *b.Number ||
			(a.Time == nil) != (b.Time == nil) || a.Time != nil && !a.Time.Truncate(time.Second).Equal(*b.Time):
			t.Errorf("%s: exported %+v, read back %+v", a.Key(), a, b)
		}
	}
	if n != len(im.Answers) {
		t.Errorf("%d answers exported, %d read back", n, len(im.Answers))
	}
}

func TestRoundTripCheckinsAndDeclined(t *testing.T) {
	cat := catalog(t)
	scr := screeningDetail(t, cat, 21, "s-21", 0.5, instruments("phq9"))
	scr.Session.PatientID = "patient-21"
	scr.Visit.Session.Restore(screening.Answer{Instrument: "phq9", Item: "9", Declined: true, At: day})
	var list []review.Detail
	for i := range 3 {
		ns, err := generator(cat, uint64(30+i)).Checkin(fmt.Sprintf("c-%d", i), "patient-21",
			day.Add(time.Duration(24*(i+1))*time.Hour), day.Add(20*time.Hour), float64(i)+0.5, 0.6)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, detail(t, cat, ns, nil))
	}
	list = append(list, scr)
	// read once the last check-in is done
	back, err := Read(bytes.NewReader(export(t, cat, list...)), cat, ReadOptions{Now: day.Add(96 * time.Hour), Bases: []string{testBase}})
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(list) {
		t.Fatalf("%d sessions read back, want %d", len(back), len(list))
	}
	for i, d := range list {
		if back[i].Identity != scr.Identity {
			t.Errorf("session %d: identity %+v, want the screening's %+v", i, back[i].Identity, scr.Identity)
		}
		sameAnswers(t, d, back[i])
	}
	got := rescore(cat, intakekiosk.Screening, back[3])["phq9"]
	if got.Scored || len(got.Flags) != 1 || got.Flags[0].ID != "item9_declined" {
		t.Errorf("declined item 9 read back as scored %v, flags %v", got.Scored, got.Flags)
	}
}

// qr is a QuestionnaireResponse for tests.
func qr(questionnaire, status string, items ...any) map[string]any {
	return map[string]any{
		"resourceType": "QuestionnaireResponse", "id": "qr-1", "questionnaire": questionnaire,
		"status": status, "authored": "2026-11-25T10:00:00Z", "subject": map[string]any{"reference": "#p"},
		"contained": []any{map[string]any{"resourceType": "Patient", "id": "p",
			"name": []any{map[string]any{"family": "Núñez", "given": []any{"María", "José"}}}, "birthDate": "1990-02-03"}},
		"item": items,
	}
}

func item(linkID string, answers ...any) map[string]any {
	return map[string]any{"linkId": linkID, "answer": answers}
}

func coded(system, code string) map[string]any {
	return map[string]any{"valueCoding": map[string]any{"system": system, "code": code}}
}

func value(kind string, v any) map[string]any { return map[string]any{"value" + kind: v} }

// phq9 is a completed PHQ-9 answered "not at all" throughout, with the
// given items replaced.
func phq9(replace ...map[string]any) map[string]any {
	var items []any
	for i := 1; i <= 9; i++ {
		it := item(fmt.Sprint(i), coded(loincSystem, "LA6568-5"))
		for _, r := range replace {
			if r["linkId"] == it["linkId"] {
				it = r
			}
		}
		items = append(items, it)
	}
	return qr(testBase+"/Questionnaire/phq9|1", "completed", items...)
}

// plus adds items to a response.
func plus(m map[string]any, items ...any) map[string]any {
	m["item"] = append(m["item"].([]any), items...)
	return m
}

func kratom(items ...any) map[string]any {
	return qr("https://fhir.northside-clinic.org/fhir/Questionnaire/kratom|2", "in-progress", items...)
}

func TestReadSingleResponse(t *testing.T) {
	cat := catalog(t)
	list, err := Read(bytes.NewReader(mustJSON(t, phq9(item("3", coded(testBase+"/CodeSystem/phq9", "nearly_every_day"))))), cat, readOpts)
	if err != nil {
		t.Fatal(err)
	}
	want := screening.Identity{First: "María José", Last: "Núñez", Birth: "1990-02-03"}
	if len(list) != 1 || list[0].Identity != want || list[0].Source != "qr-1" || !list[0].Complete || len(list[0].Answers) != 9 {
		t.Fatalf("read %+v", list)
	}
	if r := rescore(cat, intakekiosk.Screening, list[0])["phq9"]; !r.Scored || r.Total != 3 {
		t.Errorf("scored %v, total %d, want 3", r.Scored, r.Total)
	}
}

func TestReadRefuses(t *testing.T) {
	cat := catalog(t)
	tests := []struct {
		name   string
		in     map[string]any
		linkID string // the item named, "" for the response as a whole
		want   string
	}{
		{"unknown linkId", plus(phq9(), item("11", coded(loincSystem, "LA6568-5"))), "11", "no such item"},
		{"unknown instrument", qr(testBase+"/Questionnaire/bdi2|1", "completed"), "", "not an instrument of this kiosk"},
		{"other version", qr(testBase+"/Questionnaire/phq9|2", "completed"), "", "version 2"},
		{"option not in item (LOINC)", phq9(item("4", coded(loincSystem, "LA33-6"))), "4", "not one of the item's options"},
		{"option not in item (value)", phq9(item("4", coded("", "sometimes"))), "4", "not one of the item's options"},
		{"foreign code system", phq9(item("4", coded("http://snomed.info/sct", "not_at_all"))), "4", "neither LOINC"},
		{"wrong type for a choice", phq9(item("2", value("String", "not_at_all"))), "2", "valueString given"},
		{"wrong type for a number", kratom(item("grams_per_day", value("String", "12"))), "grams_per_day", "valueString given"},
		{"number above range", kratom(item("grams_per_day", value("Decimal", 301))), "grams_per_day", "outside 0 to 300"},
		{"number below range", kratom(item("doses_per_day", value("Integer", -1))), "doses_per_day", "outside 0 to 50"},
		{"number too large for JSON", kratom(item("doses_per_day", value("Decimal", json.Number("1e999")))), "doses_per_day", "not a number"},
		{"time in the future", kratom(item("last_dose", value("DateTime", "2026-11-26T10:00:00Z"))), "last_dose", "in the future"},
		{"date without time", kratom(item("last_dose", value("DateTime", "2026-11-20"))), "last_dose", "not a date and time"},
		{"two answers to a single choice", phq9(item("1", coded(loincSystem, "LA6568-5"), coded(loincSystem, "LA6569-3"))), "1", "2 answers"},
		{"repeated choice", kratom(item("forms", coded("", "leaf"), coded("", "leaf"))), "forms", "chosen twice"},
		{"two values in one answer", phq9(item("1", map[string]any{"valueString": "x", "valueInteger": 1})), "1", "more than one value"},
		{"answer without value", phq9(item("1", map[string]any{"extension": []any{}})), "1", "no value"},
		{"nested items", phq9(map[string]any{"linkId": "1", "item": []any{item("1a")}}), "1", "nested"},
		{"repeated linkId", qr(testBase+"/Questionnaire/gad7|1", "in-progress", item("1", coded(loincSystem, "LA6568-5")), item("1", coded(loincSystem, "LA6568-5"))), "1", "appears twice"},
		{"completed with a scored item missing", qr(testBase+"/Questionnaire/gad7|1", "completed", item("1", coded(loincSystem, "LA6568-5"))), "2", "no answer"},
		{"declined and answered", phq9(map[string]any{"linkId": "9", "extension": []any{map[string]any{"url": dataAbsentReason, "valueCode": askedDeclined}}, "answer": []any{coded(loincSystem, "LA6568-5")}}), "9", "declined but answered"},
		{"entered in error", qr(testBase+"/Questionnaire/phq9|1", "entered-in-error"), "", "status"},
		{"no authored", func() map[string]any { m := phq9(); delete(m, "authored"); return m }(), "", "no authored"},
		{"bad patient name", func() map[string]any {
			m := phq9()
			m["contained"] = []any{map[string]any{"resourceType": "Patient", "id": "p", "name": []any{map[string]any{"family": "R2D2"}}}}
			return m
		}(), "", "family name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, form := range []string{"response", "bundle"} {
				data := mustJSON(t, tc.in)
				if form == "bundle" {
					data = mustJSON(t, map[string]any{"resourceType": "Bundle", "type": "transaction",
						"entry": []any{map[string]any{"fullUrl": "urn:uuid:x", "resource": tc.in}}})
				}
				_, err := Read(bytes.NewReader(data), cat, readOpts)
				var ie *ImportError
				if !errors.As(err, &ie) {
					t.Fatalf("%s: err = %v, want an ImportError", form, err)
				}
				if ie.Response != "qr-1" || ie.LinkID != tc.linkID || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: err = %v (response %q, item %q); want item %q and %q", form, err, ie.Response, ie.LinkID, tc.linkID, tc.want)
				}
				if tc.linkID != "" && !strings.Contains(err.Error(), "item "+tc.linkID) {
					t.Errorf("%s: %v does not name item %s", form, err, tc.linkID)
				}
				// an error names the field, never what the patient answered
				for _, secret := range []string{"2026-11-26T10", "2026-11-20", "1e999", "301", "R2D2", "LA33-6", "sometimes"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("%s: %v repeats the value %q", form, err, secret)
					}
				}
			}
		})
	}
}

func TestReadRefusesInput(t *testing.T) {
	cat := catalog(t)
	many := `{"resourceType":"Bundle","type":"collection","entry":[` + strings.Repeat(`{},`, MaxResources) + `{}]}`
	huge := `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Basic","text":"` +
		strings.Repeat("x", MaxResource) + `"}}]}`
	tests := []struct {
		name string
		in   io.Reader
		want string
	}{
		{"not JSON", strings.NewReader("<Bundle/>"), "not a FHIR JSON resource"},
		{"truncated", strings.NewReader(`{"resourceType":"Bundle","type":"collection","entry":[{"res`), "not a FHIR JSON resource"},
		{"no resourceType", strings.NewReader(`{"type":"collection"}`), "no resourceType"},
		{"a Patient", strings.NewReader(`{"resourceType":"Patient"}`), "a Patient"},
		{"a searchset", strings.NewReader(`{"resourceType":"Bundle","type":"searchset"}`), "searchset"},
		{"entry not a list", strings.NewReader(`{"resourceType":"Bundle","type":"collection","entry":{}}`), "not a list"},
		{"too many entries", strings.NewReader(many), "more than 100000 entries"},
		{"resource too large", strings.NewReader(huge), "larger than 1024 KB"},
		{"input too large", io.MultiReader(strings.NewReader(`{"resourceType":"Bundle",`), endless{}), "larger than 50 MB"},
		{"no catalog", strings.NewReader(`{}`), "no instrument catalog"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cat
			if tc.name == "no catalog" {
				c = nil
			}
			_, err := Read(tc.in, c, readOpts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// endless is spaces without end.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadBundleShapes(t *testing.T) {
	cat := catalog(t)
	patient := map[string]any{"fullUrl": "http://ehr.example/fhir/Patient/123", "request": map[string]any{"method": "PUT", "url": "Patient/123"},
		"resource": map[string]any{"resourceType": "Patient", "id": "123", "birthDate": "1970-01-30",
			"name": []any{map[string]any{"use": "nickname", "given": []any{"Bo"}}, map[string]any{"use": "official", "family": "Lee", "given": []any{"Robert"}}}}}
	robert := screening.Identity{First: "Robert", Last: "Lee", Birth: "1970-01-30"}
	response := func(id, subject, authored string, in map[string]any) map[string]any {
		in["id"], in["authored"], in["subject"] = id, authored, map[string]any{"reference": subject}
		delete(in, "contained")
		return map[string]any{"resource": in, "request": map[string]any{"method": "POST", "url": "QuestionnaireResponse"}}
	}
	gad7 := func() map[string]any {
		var items []any
		for i := 1; i <= 7; i++ {
			items = append(items, item(fmt.Sprint(i), coded(loincSystem, "LA6570-1")))
		}
		return qr(testBase+"/Questionnaire/gad7|1", "completed", items...)
	}
	const at = "2026-11-25T10:00:00-05:00"
	tests := []struct {
		name    string
		entries []any
		want    []Imported // Identity, Source, Complete and the number of answers
		answers []int
	}{
		{"relative reference", []any{patient, response("qr-a", "Patient/123", at, phq9())},
			[]Imported{{Identity: robert, Source: "qr-a", Complete: true}}, []int{9}},
		{"absolute reference", []any{response("qr-a", "http://ehr.example/fhir/Patient/123", at, phq9()), patient},
			[]Imported{{Identity: robert, Source: "qr-a", Complete: true}}, []int{9}},
		{"patient not in the bundle", []any{response("qr-a", "Patient/999", at, phq9())},
			[]Imported{{Source: "qr-a", Complete: true}}, []int{9}},
		{"one session, two instruments", []any{patient, response("qr-a", "Patient/123", at, phq9()),
			response("qr-b", "Patient/123", "2026-11-25T15:00:00Z", gad7())},
			[]Imported{{Identity: robert, Source: "qr-a,qr-b", Complete: true}}, []int{16}},
		{"two sessions", []any{patient, response("qr-a", "Patient/123", at, phq9()),
			response("qr-b", "Patient/123", "2026-11-26T15:00:00Z", kratom(item("forms", coded("", "leaf"))))},
			[]Imported{{Identity: robert, Source: "qr-a", Complete: true}, {Identity: robert, Source: "qr-b"}}, []int{9, 1}},
		{"same instrument twice", []any{response("qr-a", "Patient/123", at, phq9()), response("qr-b", "Patient/123", at, phq9())},
			nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := mustJSON(t, map[string]any{"resourceType": "Bundle", "type": "transaction", "entry": tc.entries})
			list, err := Read(bytes.NewReader(data), cat, readOpts)
			if tc.want == nil {
				if err == nil || !strings.Contains(err.Error(), "second response to phq9") {
					t.Errorf("err = %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != len(tc.want) {
				t.Fatalf("%d sessions, want %d", len(list), len(tc.want))
			}
			for i, w := range tc.want {
				g := list[i]
				if g.Identity != w.Identity || g.Source != w.Source || g.Complete != w.Complete || len(g.Answers) != tc.answers[i] {
					t.Errorf("session %d: %+v %q complete %v, %d answers; want %+v %q complete %v, %d answers",
						i, g.Identity, g.Source, g.Complete, len(g.Answers), w.Identity, w.Source, w.Complete, tc.answers[i])
				}
			}
			if !list[0].Authored.Equal(time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)) || list[0].Authored.Location() != time.UTC {
				t.Errorf("authored %v", list[0].Authored)
			}
		})
	}
}

// What the kiosk could not have produced is refused, naming the field:
// a response authored in the future (beyond the clock skew), a number
// with more decimals than its item takes, a questionnaire that is not a
// canonical URL of an allowed base or LOINC's forms.
func TestReadRefusesHostile(t *testing.T) {
	cat := catalog(t)
	authored := func(m map[string]any, at string) map[string]any { m["authored"] = at; return m }
	own := func(url string) map[string]any { m := phq9(); m["questionnaire"] = url; return m }
	tests := []struct {
		name   string
		in     map[string]any
		linkID string
		field  string
		want   string
	}{
		{"authored in 2099", authored(phq9(), "2099-01-01T00:00:00Z"), "", "QuestionnaireResponse.authored", "after the time of import"},
		{"authored a day and an hour ahead", authored(phq9(), exportAt.Add(25*time.Hour).Format(time.RFC3339)), "", "QuestionnaireResponse.authored", "after the time of import"},
		{"half a dose", kratom(item("doses_per_day", value("Decimal", 2.5))), "doses_per_day", "item[0].answer[0].valueDecimal", "not a whole number"},
		{"grams to two decimals", kratom(item("last_dose", value("DateTime", "2026-11-25T08:00:00Z")), item("grams_per_day", value("Decimal", 12.34))), "grams_per_day", "item[1].answer[0].valueDecimal", "more than 1 decimals"},
		{"option not in item names its answer", phq9(item("4", coded(loincSystem, "LA33-6"))), "4", "item[3].answer[0].valueCoding", "not one of the item's options"},
		{"another domain", own("https://evil.example/fhir/Questionnaire/phq9|1"), "", "QuestionnaireResponse.questionnaire", "not a canonical URL"},
		{"a domain that starts like ours", own(testBase + ".evil.example/Questionnaire/phq9|1"), "", "QuestionnaireResponse.questionnaire", "not a canonical URL"},
		{"a deeper path", own(testBase + "/Questionnaire/x/phq9|1"), "", "QuestionnaireResponse.questionnaire", "not a canonical URL"},
		{"relative", own("Questionnaire/phq9|1"), "", "QuestionnaireResponse.questionnaire", "not a canonical URL"},
		{"a urn", own("urn:uuid:6d1f5a8e-3b2c-4e7a-9f10-2a4b6c8d0e1f"), "", "QuestionnaireResponse.questionnaire", "not a canonical URL"},
		{"http for https", own(strings.Replace(testBase, "https:", "http:", 1) + "/Questionnaire/phq9|1"), "", "QuestionnaireResponse.questionnaire", "not a canonical URL"},
		{"a LOINC form not ours", own("http://loinc.org/q/00000-0"), "", "QuestionnaireResponse.questionnaire", "not an instrument of this kiosk"},
		{"the COWS, which staff rate", own(testBase + "/Questionnaire/cows|1"), "", "QuestionnaireResponse.questionnaire", "rated by staff at the desk"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(mustJSON(t, tc.in)), cat, readOpts)
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an ImportError", err)
			}
			if ie.LinkID != tc.linkID || ie.Field != tc.field || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v (item %q, field %q); want item %q, field %q and %q", err, ie.LinkID, ie.Field, tc.linkID, tc.field, tc.want)
			}
			if !strings.Contains(err.Error(), "field "+tc.field+": ") {
				t.Errorf("%v does not name the field", err)
			}
			for _, secret := range []string{"2099", "2.5", "12.34"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("%v repeats the value %q", err, secret)
				}
			}
		})
	}
}

// What the kiosk or a clinic may send is taken: a response authored
// within the clock skew ahead, a number of the item's decimals, LOINC's
// form of an instrument, a base given by the caller (with or without its
// slash), with or without a version.
func TestReadAccepts(t *testing.T) {
	cat := catalog(t)
	tests := []struct {
		name string
		in   map[string]any
		opts ReadOptions
	}{
		{"authored 23 hours ahead", func() map[string]any {
			m := phq9()
			m["authored"] = exportAt.Add(23 * time.Hour).Format(time.RFC3339)
			return m
		}(), readOpts},
		{"LOINC's PHQ-9", func() map[string]any { m := phq9(); m["questionnaire"] = "http://loinc.org/q/44249-1"; return m }(), readOpts},
		{"this clinic's base", qr("https://fhir.clinicaesperanza.org/r4/Questionnaire/gad7|1", "in-progress"), ReadOptions{Now: exportAt, Bases: []string{"https://fhir.clinicaesperanza.org/r4/"}}},
		{"this clinic's base without a version", qr(testBase+"/Questionnaire/gad7", "in-progress"), readOpts},
		{"whole doses and grams to one decimal", kratom(item("doses_per_day", value("Decimal", 3.0)), item("grams_per_day", value("Decimal", 12.3))), readOpts},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Read(bytes.NewReader(mustJSON(t, tc.in)), cat, tc.opts); err != nil {
				t.Error(err)
			}
		})
	}
	if _, err := Read(bytes.NewReader(mustJSON(t, phq9())), cat, ReadOptions{}); err == nil {
		t.Error("read without a time of import")
	}
	// no base is taken that the caller does not give: not the reserved
	// one releases before wrote, nor this clinic's when not given
	for _, opts := range []ReadOptions{{Now: exportAt}, {Now: exportAt, Bases: []string{"https://fhir.northside-clinic.org/fhir"}}} {
		for _, url := range []string{"https://intake-kiosk.example/fhir/Questionnaire/gad7|1", testBase + "/Questionnaire/gad7|1"} {
			if _, err := Read(bytes.NewReader(mustJSON(t, qr(url, "in-progress"))), cat, opts); err == nil {
				t.Errorf("%s read with the bases %v", url, opts.Bases)
			}
		}
	}
}

// TestReadLOINCKeyed: a response to a LOINC form keyed by LOINC item
// codes (bare, or as LHC-Forms paths them, "/44250-9") with LOINC answer
// codes reads as one keyed by the kiosk's linkIds; the form's own total
// is read past; an item named twice, once each way, is refused.
func TestReadLOINCKeyed(t *testing.T) {
	cat := catalog(t)
	in, _ := cat.Instrument("phq9")
	answerCodes := []string{"LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9", "LA6569-3", "LA6568-5", "LA6570-1", "LA6568-5", "LA6569-3"}
	var byLink, byCode, bare []any
	for i, code := range answerCodes {
		it := &in.Items[i]
		byLink = append(byLink, item(it.ID, coded(loincSystem, code)))
		byCode = append(byCode, item("/"+it.LOINC, coded(loincSystem, code)))
		bare = append(bare, item(it.LOINC, coded(loincSystem, code)))
	}
	total := item("/"+in.LOINC.Total, value("Integer", 10))
	form := "http://loinc.org/q/44249-1"
	want := rescoreOne(t, cat, qr(form, "completed", byLink...))
	if want.Total != 10 || !want.Scored {
		t.Fatalf("keyed by linkId: total %d scored %v, want 10", want.Total, want.Scored)
	}
	for name, items := range map[string][]any{"LHC-Forms paths": append(byCode, total), "bare codes": bare} {
		got := rescoreOne(t, cat, qr(form, "completed", items...))
		if got.Total != want.Total || got.Scored != want.Scored || bandOf(got) != bandOf(want) {
			t.Errorf("%s: total %d (%s), want %d (%s)", name, got.Total, bandOf(got), want.Total, bandOf(want))
		}
	}
	twice := qr(form, "completed", append(byLink, item("/"+in.Items[0].LOINC, coded(loincSystem, "LA6568-5")))...)
	var ie *ImportError
	if _, err := Read(bytes.NewReader(mustJSON(t, twice)), cat, readOpts); !errors.As(err, &ie) || !strings.Contains(ie.Err.Error(), "twice") {
		t.Errorf("an item named by linkId and by code: %v, want refused as appearing twice", err)
	}
	unknown := qr(form, "completed", append(byLink, item("/12345-6", value("Integer", 1)))...)
	if _, err := Read(bytes.NewReader(mustJSON(t, unknown)), cat, readOpts); !errors.As(err, &ie) || ie.LinkID != "/12345-6" {
		t.Errorf("an unknown LOINC code: %v, want refused naming it", err)
	}
}

// rescoreOne reads one response and scores its PHQ-9 as an import does.
func rescoreOne(t *testing.T, cat *screening.Catalog, m map[string]any) screening.Result {
	t.Helper()
	list, err := Read(bytes.NewReader(mustJSON(t, m)), cat, readOpts)
	if err != nil || len(list) != 1 {
		t.Fatalf("read: %v (%d sessions)", err, len(list))
	}
	return rescore(cat, intakekiosk.Screening, list[0])["phq9"]
}
