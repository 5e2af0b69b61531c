package fhir

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"intakekiosk/assets"
	"intakekiosk/screening"
)

// load loads the built-in instruments with a converted file beside them,
// as the kiosk loads a clinic's folder.
func load(t *testing.T, id string, file []byte) *screening.Catalog {
	t.Helper()
	cat, errs := screening.Load(screening.Source{Name: "built-in", FS: assets.Instruments()},
		screening.Source{Name: "clinic", FS: fstest.MapFS{id + ".json": {Data: file}}})
	if len(errs) > 0 {
		t.Fatalf("the converted file does not load: %v", errs)
	}
	return cat
}

// TestInstrumentOfLOINCForm: the LOINC GAD-7 form, as LHC-Forms writes
// it, becomes an instrument file the kiosk loads, scored from the
// answers' ordinal values exactly as the built-in GAD-7.
func TestInstrumentOfLOINCForm(t *testing.T) {
	data, err := os.ReadFile("testdata/loinc-gad7.questionnaire.json")
	if err != nil {
		t.Fatal(err)
	}
	conv, err := InstrumentOf(data, InstrumentOptions{ID: "gad7_loinc"})
	if err != nil {
		t.Fatal(err)
	}
	if err := screening.Check("gad7_loinc.json", conv.File, catalog(t)); err != nil {
		t.Fatalf("the converted file fails the kiosk's check: %v", err)
	}
	cat := load(t, "gad7_loinc", conv.File)
	got, _ := cat.Instrument("gad7_loinc")
	want, _ := cat.Instrument("gad7")
	if len(got.Items) != 7 || got.LOINC.Panel != "69737-5" || got.LOINC.Total != "70274-6" ||
		got.Scoring == nil || got.Scoring.Min != 0 || got.Scoring.Max != 21 || len(got.Scoring.Bands) != 0 {
		t.Fatalf("converted: %d items, LOINC %+v, scoring %+v", len(got.Items), got.LOINC, got.Scoring)
	}
	if got.Items[0].ID != "69725-0" || got.Items[0].LOINC != "69725-0" || got.Items[0].Options[3].LOINC != "LA6571-9" {
		t.Errorf("item 1 as %+v", got.Items[0])
	}
	if !strings.Contains(got.Attribution, "http://loinc.org/q/69737-5") || !strings.Contains(got.Licence, "Pfizer") || len(conv.Notes) == 0 {
		t.Errorf("attribution %q licence %q notes %v", got.Attribution, got.Licence, conv.Notes)
	}
	// every way of answering scores as the built-in GAD-7 does
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, points := range [][]int{{0, 0, 0, 0, 0, 0, 0}, {1, 2, 3, 0, 1, 2, 3}, {3, 3, 3, 3, 3, 3, 3}, {2, 2, 1, 0, 0, 0, 0}} {
		as := screening.Answers{}
		for i, p := range points {
			for _, in := range []*screening.Instrument{got, want} {
				a := screening.Answer{Instrument: in.ID, Item: in.Items[i].ID, Choice: in.Items[i].Options[p].Value, At: at}
				as[a.Key()] = a
			}
		}
		g, w := cat.Score(got, as, at), cat.Score(want, as, at)
		if !g.Scored || g.Total != w.Total {
			t.Errorf("points %v: converted scores %d (scored %v), built-in %d", points, g.Total, g.Scored, w.Total)
		}
	}
}

// TestInstrumentOfLOINCPHQ9: the LOINC PHQ-9 form (its total a number
// in {score}, uncalculated) converts with its ten items, the difficulty
// question unscored, and the total's code.
func TestInstrumentOfLOINCPHQ9(t *testing.T) {
	data, err := os.ReadFile("testdata/loinc/44249-1.json")
	if err != nil {
		t.Fatal(err)
	}
	conv, err := InstrumentOf(data, InstrumentOptions{ID: "phq9_loinc"})
	if err != nil {
		t.Fatal(err)
	}
	got := conv.Instrument
	if len(got.Items) != 10 || got.LOINC.Total != "44261-6" || got.Scoring == nil || len(got.Scoring.Items) != 9 || got.Scoring.Max != 27 {
		t.Fatalf("%d items, total %q, scoring %+v", len(got.Items), got.LOINC.Total, got.Scoring)
	}
	if it := got.Items[9]; it.LOINC != "69722-7" || it.Options[3].LOINC != "LA6574-3" {
		t.Errorf("the difficulty question as %+v", it)
	}
}

// TestInstrumentOfBranching: enableWhen becomes skip_if, and the kiosk
// asks the follow-up only when the form would show it.
func TestInstrumentOfBranching(t *testing.T) {
	q := `{"resourceType":"Questionnaire","id":"Craving-Check","title":"Craving check","version":"2",
	 "_title":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/translation","extension":[{"url":"lang","valueCode":"es-US"},{"url":"content","valueString":"Control de antojos"}]}]},
	 "item":[
	  {"linkId":"crave","type":"boolean","text":"Any cravings today?","required":true},
	  {"linkId":"howmuch","type":"integer","text":"How strong, 0 to 10?","enableWhen":[{"question":"crave","operator":"=","answerBoolean":true}],
	   "extension":[{"url":"http://hl7.org/fhir/StructureDefinition/minValue","valueInteger":0},{"url":"http://hl7.org/fhir/StructureDefinition/maxValue","valueInteger":10},
	    {"url":"http://hl7.org/fhir/StructureDefinition/questionnaire-unit","valueCoding":{"display":"points"}}]},
	  {"linkId":"plan","type":"string","text":"What will you do?","enableWhen":[{"question":"howmuch","operator":">=","answerInteger":7},{"question":"crave","operator":"exists","answerBoolean":true}],"enableBehavior":"all"}]}`
	conv, err := InstrumentOf([]byte(q), InstrumentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in := conv.Instrument
	if in.ID != "craving-check" || in.Version != "2" || in.Title["es"] != "Control de antojos" || in.Scoring != nil {
		t.Fatalf("converted %s v%s %v, scoring %v", in.ID, in.Version, in.Title, in.Scoring)
	}
	cat := load(t, in.ID, conv.File)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	n := func(f float64) *float64 { return &f }
	for _, tt := range []struct {
		name  string
		given []screening.Answer
		asked []string
	}{
		{"no craving", []screening.Answer{{Item: "crave", Choice: "no"}}, []string{"crave"}},
		{"a mild craving", []screening.Answer{{Item: "crave", Choice: "yes"}, {Item: "howmuch", Number: n(3)}}, []string{"crave", "howmuch"}},
		{"a strong craving", []screening.Answer{{Item: "crave", Choice: "yes"}, {Item: "howmuch", Number: n(7)}}, []string{"crave", "howmuch", "plan"}},
	} {
		s := screening.NewSession(cat, []string{in.ID})
		for _, a := range tt.given {
			a.Instrument, a.At = in.ID, at
			s.Restore(a)
		}
		var asked []string
		for _, st := range s.Steps(at) {
			asked = append(asked, st.Item.ID)
		}
		if strings.Join(asked, ",") != strings.Join(tt.asked, ",") {
			t.Errorf("%s: asked %v, want %v", tt.name, asked, tt.asked)
		}
	}
	if it, _ := in.Item("crave"); it.AllowDecline == nil || *it.AllowDecline {
		t.Error("a required item may be declined")
	}
}

// TestInstrumentOfRefuses: what the kiosk cannot express is refused,
// naming the item and field.
func TestInstrumentOfRefuses(t *testing.T) {
	const head = `{"resourceType":"Questionnaire","id":"x","title":"X","item":[`
	choice := `{"linkId":"a","type":"choice","text":"A?","answerOption":[{"valueCoding":{"code":"y","display":"Yes"}},{"valueCoding":{"code":"n","display":"No"}}]}`
	tests := []struct {
		name, in, linkID, field, says string
	}{
		{"not JSON", `{"resourceType":`, "", "", "unexpected EOF"},
		{"not a Questionnaire", `{"resourceType":"Patient"}`, "", "resourceType", "not a Questionnaire"},
		{"no title", `{"resourceType":"Questionnaire","id":"x","item":[` + choice + `]}`, "", "title", "no title"},
		{"no questions", head + `]}`, "", "item", "no questions"},
		{"open-choice", head + `{"linkId":"a","type":"open-choice","text":"A?"}]}`, "a", "type", "open-choice"},
		{"a date", head + `{"linkId":"a","type":"date","text":"When?"}]}`, "a", "type", `"date" item has no kiosk kind`},
		{"a ValueSet", head + `{"linkId":"a","type":"choice","text":"A?","answerValueSet":"http://x/vs"}]}`, "a", "answerValueSet", "ValueSet"},
		{"a display between questions", head + choice + `,{"linkId":"d","type":"display","text":"Now:"}]}`, "d", "type", "display item between questions"},
		{"nested under a question", head + `{"linkId":"a","type":"string","text":"A?","item":[{"linkId":"b","type":"string","text":"B?"}]}]}`, "a", "item", "nested"},
		{"a fractional score", head + `{"linkId":"a","type":"choice","text":"A?","answerOption":[{"valueCoding":{"code":"y"},"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/ordinalValue","valueDecimal":0.5}]},{"valueCoding":{"code":"n"}}]}]}`, "a", "answerOption[0].extension", "whole number"},
		{"a number without its range", head + `{"linkId":"a","type":"integer","text":"How many?"}]}`, "a", "extension", "minValue and maxValue"},
		{"an enableWhen expression", head + `{"linkId":"a","type":"string","text":"A?","extension":[{"url":"http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression","valueExpression":{"language":"text/fhirpath","expression":"true"}}]}]}`, "a", "extension", "enableWhenExpression is not expressed"},
		{"a later question", head + `{"linkId":"b","type":"string","text":"B?","enableWhen":[{"question":"a","operator":"exists","answerBoolean":true}]},` + choice + `]}`, "b", "enableWhen[0]", "not an earlier question"},
		{"two conditions without a behaviour", head + choice + `,{"linkId":"b","type":"string","text":"B?","enableWhen":[{"question":"a","operator":"=","answerCoding":{"code":"y"}},{"question":"a","operator":"exists","answerBoolean":true}]}]}`, "b", "enableBehavior", "all or any"},
		{"an answer not offered", head + choice + `,{"linkId":"b","type":"string","text":"B?","enableWhen":[{"question":"a","operator":"=","answerCoding":{"code":"maybe"}}]}]}`, "b", "enableWhen[0]", "not one of the question's options"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := InstrumentOf([]byte(tt.in), InstrumentOptions{})
			var ie *ImportError
			if !errors.As(err, &ie) || ie.Type != "Questionnaire" || ie.LinkID != tt.linkID || ie.Field != tt.field || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("got %v; want an ImportError at item %q field %q saying %q", err, tt.linkID, tt.field, tt.says)
			}
		})
	}
}

// TestInstrumentOfOwnExport: the kiosk's own exported Questionnaire of
// each scored instrument comes back as an instrument that scores every
// answer as the original does; every other instrument's converts or is
// refused by name.
func TestInstrumentOfOwnExport(t *testing.T) {
	cat := catalog(t)
	w := writer(t, cat)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, in := range cat.Instruments() {
		t.Run(in.ID, func(t *testing.T) {
			data, err := json.Marshal(w.define(questionnaireID(in), in))
			if err != nil {
				t.Fatal(err)
			}
			conv, err := InstrumentOf(data, InstrumentOptions{ID: in.ID + "_fhir"})
			var ie *ImportError
			switch {
			case err != nil && errors.As(err, &ie) && ie.Type == "Questionnaire":
				if in.Scoring != nil && len(in.Scoring.Bands)+len(in.Scoring.BandSets) > 0 && in.Scoring.Subscores == nil {
					t.Errorf("a scored instrument's own Questionnaire is refused: %v", err)
				}
				t.Logf("refused by name: %v", err)
				return
			case err != nil:
				t.Fatalf("refused without naming the Questionnaire's item: %v", err)
			}
			got := conv.Instrument
			if len(got.Items) != len(in.Items) || got.Version != in.Version || got.LOINC.Panel != in.LOINC.Panel {
				t.Fatalf("%d items, version %s, panel %q; want %d, %s, %q", len(got.Items), got.Version, got.LOINC.Panel, len(in.Items), in.Version, in.LOINC.Panel)
			}
			if in.Scoring == nil || len(in.Scoring.Items) == 0 {
				return
			}
			if in.Scoring.NoTotal {
				// no total (the BAM: its subscores and its day counts'
				// steps are no Questionnaire's): the file is not scored,
				// and each option keeps the points of the original
				if got.Scoring != nil {
					t.Errorf("an instrument without a total converted with scoring %+v", got.Scoring)
				}
				for i := range in.Items {
					if !slices.Contains(in.Scoring.Items, in.Items[i].ID) {
						continue
					}
					for j, o := range in.Items[i].Options {
						a := screening.Answer{Choice: o.Value}
						w, wok := in.ItemPoints(&in.Items[i], a)
						g, gok := got.ItemPoints(&got.Items[i], screening.Answer{Choice: got.Items[i].Options[j].Value})
						if w != g || wok != gok {
							t.Errorf("item %s option %d: converted scores %d (%v), the original %d (%v)", in.Items[i].ID, j, g, gok, w, wok)
						}
					}
				}
				return
			}
			both := load(t, got.ID, conv.File)
			got, _ = both.Instrument(got.ID)
			// each option of each scored item in turn, the others at their first
			for i := range in.Items {
				for j := range in.Items[i].Options {
					as := screening.Answers{}
					for k := range in.Items {
						o := 0
						if k == i {
							o = j
						}
						if len(in.Items[k].Options) == 0 {
							continue
						}
						for _, x := range []*screening.Instrument{in, got} {
							a := screening.Answer{Instrument: x.ID, Item: x.Items[k].ID, Choice: x.Items[k].Options[o].Value, At: at}
							if x.Items[k].Kind == screening.Multi {
								a.Choice, a.Choices = "", []string{x.Items[k].Options[o].Value}
							}
							as[a.Key()] = a
						}
					}
					g, want := both.ScoreAsWritten(got, as, at), both.ScoreAsWritten(in, as, at)
					if g.Total != want.Total || g.Scored != want.Scored {
						t.Fatalf("item %s option %d: converted scores %d (scored %v), the original %d (%v)", in.Items[i].ID, j, g.Total, g.Scored, want.Total, want.Scored)
					}
				}
			}
		})
	}
}
