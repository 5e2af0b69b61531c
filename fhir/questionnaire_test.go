package fhir

import (
	"io"
	"slices"
	"strings"
	"testing"

	"intakekiosk/screening"
)

// writer is a Writer of the tests' base, for its Questionnaires.
func writer(tb testing.TB, cat *screening.Catalog) *Writer {
	tb.Helper()
	w, err := NewWriter(io.Discard, cat, Options{BaseURL: testBase})
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

// Every instrument's Questionnaire carries its canonical URL and version,
// its attribution, an item per question under the linkId its answers
// use, each choice coded as the responses code it with the points it
// scores as its ordinal value, the translations, and for a scored
// instrument a calculated total.
func TestQuestionnaires(t *testing.T) {
	cat := catalog(t)
	w := writer(t, cat)
	for _, in := range cat.Instruments() {
		t.Run(in.ID, func(t *testing.T) {
			q := w.define(questionnaireID(in), in)
			if q.URL != testBase+"/Questionnaire/"+in.ID || q.Version != in.Version || q.Status != "active" || q.Title != in.Title["en"] {
				t.Errorf("url %q version %q status %q title %q", q.URL, q.Version, q.Status, q.Title)
			}
			if !strings.Contains(q.Copyright, in.Attribution) || !strings.Contains(q.Copyright, in.Licence) {
				t.Errorf("copyright %q lacks the attribution or the licence", q.Copyright)
			}
			if in.Title["es"] != "" && !hasTranslation(q.TitleExt, in.Title["es"]) {
				t.Errorf("no Spanish title")
			}
			if (in.LOINC.Panel != "") != (len(q.Code) == 1 && q.Code[0].Code == in.LOINC.Panel) {
				t.Errorf("code %v, panel %q", q.Code, in.LOINC.Panel)
			}
			byLink := map[string]questionItem{}
			for _, qi := range q.Item {
				if _, dup := byLink[qi.LinkID]; dup {
					t.Errorf("linkId %s twice", qi.LinkID)
				}
				byLink[qi.LinkID] = qi
			}
			for i := range in.Items {
				it := &in.Items[i]
				qi, ok := byLink[linkID(in, it)]
				if !ok {
					t.Errorf("no item %s (linkId %s)", it.ID, linkID(in, it))
					continue
				}
				checkQuestion(t, w, in, it, qi)
			}
			tot, ok := byLink[totalLinkID(in)]
			if ok != hasTotal(in) {
				t.Fatalf("a total item %v, scored %v", ok, hasTotal(in))
			}
			if !ok {
				return
			}
			if !tot.ReadOnly || tot.Type != "decimal" || len(tot.Extension) != 1 || tot.Extension[0].URL != calculatedURL {
				t.Errorf("total %+v", tot)
			}
			for _, id := range in.Scoring.Items {
				it, _ := in.Item(id)
				if !strings.Contains(tot.Extension[0].ValueExpression.Expression, "'"+linkID(in, it)+"'") {
					t.Errorf("the total's expression leaves out item %s", id)
				}
			}
		})
	}
}

// checkQuestion checks one question of a Questionnaire against its item.
func checkQuestion(t *testing.T, w *Writer, in *screening.Instrument, it *screening.Item, qi questionItem) {
	t.Helper()
	want := map[screening.Kind]string{screening.Single: "choice", screening.Multi: "choice", screening.Number: "decimal",
		screening.When: "dateTime", screening.Free: "string"}[it.Kind]
	if qi.Type != want || qi.Repeats != (it.Kind == screening.Multi) || qi.Text != it.Text["en"] {
		t.Errorf("%s: type %q repeats %v text %q", it.ID, qi.Type, qi.Repeats, qi.Text)
	}
	if it.Text["es"] != "" && !hasTranslation(qi.TextExt, it.Text["es"]) {
		t.Errorf("%s: no Spanish text", it.ID)
	}
	if (it.LOINC != "") != (len(qi.Code) == 1 && qi.Code[0].Code == it.LOINC && qi.Code[0].System == loincSystem) {
		t.Errorf("%s: code %v, LOINC %q", it.ID, qi.Code, it.LOINC)
	}
	if len(qi.AnswerOption) != len(it.Options) {
		t.Fatalf("%s: %d answer options, %d options", it.ID, len(qi.AnswerOption), len(it.Options))
	}
	scored := in.Scoring != nil && slices.Contains(in.Scoring.Items, it.ID)
	lo, hi := it.PointRange()
	for i, o := range it.Options {
		a := qi.AnswerOption[i]
		if c := w.coding(in, it, o.Value); a.ValueCoding.System != c.System || a.ValueCoding.Code != c.Code || a.ValueCoding.Display != c.Display || a.ValueCoding.Display == "" {
			t.Errorf("%s/%s: coded %+v, the responses %+v", it.ID, o.Value, a.ValueCoding, c)
		}
		if o.Label["es"] != "" && !hasTranslation(a.ValueCoding.DisplayExt, o.Label["es"]) {
			t.Errorf("%s/%s: no Spanish label", it.ID, o.Value)
		}
		var ordinal *float64
		for _, e := range a.Extension {
			if e.URL == ordinalValueURL {
				ordinal = e.ValueDecimal
			}
		}
		points := o.Points
		if scored && slices.Contains(in.Scoring.Reverse, it.ID) {
			points = lo + hi - o.Points
		}
		switch {
		case !scored && ordinal != nil:
			t.Errorf("%s/%s: an ordinal value on an item the total leaves out", it.ID, o.Value)
		case scored && (ordinal == nil || *ordinal != float64(points)):
			t.Errorf("%s/%s: ordinal %v, the item scores %d", it.ID, o.Value, ordinal, points)
		}
	}
}

// hasTranslation says whether e holds the translation s.
func hasTranslation(e *element, s string) bool {
	if e == nil {
		return false
	}
	for _, x := range e.Extension {
		if x.URL == translationURL && len(x.Extension) == 2 && x.Extension[1].ValueString == s {
			return true
		}
	}
	return false
}
