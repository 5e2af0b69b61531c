package fhir

import (
	"maps"
	"slices"
	"strings"

	"github.com/google/uuid"

	"intakekiosk/screening"
)

// The Questionnaire of an instrument, written once in an export before the
// first QuestionnaireResponse that answers it (Writer.questionnaire):
//
//   - url BASE/Questionnaire/ID and version (the instrument file's), status
//     active, the LOINC panel as code, title, copyright the file's
//     attribution, licence and the source of each translation;
//   - the instrument's intro as a display item (linkId "intro.text");
//   - an item per question, its linkId that of the answers (linkID), its
//     code the LOINC item code where the file has one (no display: the
//     file holds the instrument's wording, not LOINC's name), its hint a
//     help item; choices as answerOption valueCoding (the LOINC answer code
//     where the file has one, else the instrument's own code system) with,
//     for a scored item, the points it scores as the ordinalValue
//     extension (reverse-scored items with their reversed points), which
//     LHC-Forms reads for R4 and FHIRPath's ordinal() returns; numbers as
//     decimal with minValue, maxValue, maxDecimalPlaces and the unit;
//     times as dateTime, text as string with maxLength;
//   - for a scored instrument, its total as a readOnly decimal item
//     (totalLinkID) whose sdc calculatedExpression sums the ordinal values
//     of the answers to the scored items, the LOINC total code as code;
//   - the translation extension on every text, title and option display,
//     for each language besides English.
//
// Branching goes into enableWhen where FHIR can say it (Writer.enabling,
// in enablewhen.go). What it cannot say is exported without it, the item always
// enabled: an instrument's own skip_if (SOWS is skipped after a month
// without kratom: a rule on other instruments' answers), an option's
// show_if (every option is listed), a rule on a when item's hours ago (the
// check-in's grams and doses follow the last dose's), a rule on a declined
// answer, and a combination FHIR's one level of enableWhen cannot hold. The
// responses themselves carry only the questions the kiosk asked, so what
// the patient saw is never in doubt.

// The Questionnaire's extensions and code systems.
const (
	ordinalValueURL  = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
	translationURL   = "http://hl7.org/fhir/StructureDefinition/translation"
	itemControlURL   = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
	itemControlCodes = "http://hl7.org/fhir/questionnaire-item-control"
	unitURL          = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
	minValueURL      = "http://hl7.org/fhir/StructureDefinition/minValue"
	maxValueURL      = "http://hl7.org/fhir/StructureDefinition/maxValue"
	maxDecimalsURL   = "http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces"
	optionExclusive  = "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
	calculatedURL    = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
	fhirPathLanguage = "text/fhirpath"
	// introLinkID and scoreLinkID name the items the Questionnaire adds:
	// the intro, and the total of an instrument without a LOINC total
	// code. A kiosk item id holds no "." and a LOINC linkId begins with
	// "/", so neither can meet an item's.
	introLinkID = "intro.text"
	scoreLinkID = "score.total"
)

type (
	questionnaireResource struct {
		ResourceType string         `json:"resourceType"`
		ID           string         `json:"id"`
		Meta         *meta          `json:"meta,omitempty"`
		Language     string         `json:"language"`
		URL          string         `json:"url"`
		Version      string         `json:"version"`
		Title        string         `json:"title"`
		TitleExt     *element       `json:"_title,omitempty"`
		Status       string         `json:"status"`
		SubjectType  []string       `json:"subjectType"`
		Copyright    string         `json:"copyright,omitempty"`
		Code         []coding       `json:"code,omitempty"`
		Item         []questionItem `json:"item"`
	}
	questionItem struct {
		LinkID         string         `json:"linkId"`
		Code           []coding       `json:"code,omitempty"`
		Text           string         `json:"text,omitempty"`
		TextExt        *element       `json:"_text,omitempty"`
		Type           string         `json:"type"`
		Extension      []valueExt     `json:"extension,omitempty"`
		EnableWhen     []enableWhen   `json:"enableWhen,omitempty"`
		EnableBehavior string         `json:"enableBehavior,omitempty"`
		Repeats        bool           `json:"repeats,omitempty"`
		ReadOnly       bool           `json:"readOnly,omitempty"`
		MaxLength      int            `json:"maxLength,omitempty"`
		AnswerOption   []answerOption `json:"answerOption,omitempty"`
		Item           []questionItem `json:"item,omitempty"`
	}
	answerOption struct {
		Extension   []valueExt   `json:"extension,omitempty"`
		ValueCoding optionCoding `json:"valueCoding"`
	}
	optionCoding struct {
		System     string   `json:"system"`
		Code       string   `json:"code"`
		Display    string   `json:"display,omitempty"`
		DisplayExt *element `json:"_display,omitempty"`
	}
	// element is a primitive's extensions (_text, _title, _display).
	element struct {
		Extension []translationExt `json:"extension"`
	}
	translationExt struct {
		URL       string     `json:"url"`
		Extension []valueExt `json:"extension"`
	}
	// valueExt is an extension with one value.
	valueExt struct {
		URL                  string           `json:"url"`
		ValueCode            string           `json:"valueCode,omitempty"`
		ValueString          string           `json:"valueString,omitempty"`
		ValueDecimal         *float64         `json:"valueDecimal,omitempty"`
		ValueInteger         *int             `json:"valueInteger,omitempty"`
		ValueBoolean         *bool            `json:"valueBoolean,omitempty"`
		ValueCoding          *coding          `json:"valueCoding,omitempty"`
		ValueCodeableConcept *codeableConcept `json:"valueCodeableConcept,omitempty"`
		ValueExpression      *expression      `json:"valueExpression,omitempty"`
	}
	expression struct {
		Language   string `json:"language"`
		Expression string `json:"expression"`
	}
	enableWhen struct {
		Question      string   `json:"question"`
		Operator      string   `json:"operator"`
		AnswerBoolean *bool    `json:"answerBoolean,omitempty"`
		AnswerDecimal *float64 `json:"answerDecimal,omitempty"`
		AnswerCoding  *coding  `json:"answerCoding,omitempty"`
	}
)

// linkID is an item's linkId in the instrument's Questionnaire and
// responses: "/" and its LOINC code where the file gives it one no other
// item of the instrument shares (as LOINC's forms name their items, so
// that a response fits the LOINC form of the panel too: LHC-Forms matches
// answers to a form's items by linkId alone), else its id.
func linkID(in *screening.Instrument, it *screening.Item) string {
	if it.LOINC == "" {
		return it.ID
	}
	for i := range in.Items {
		if o := &in.Items[i]; o.ID != it.ID && o.LOINC == it.LOINC {
			return it.ID
		}
	}
	return "/" + it.LOINC
}

// itemOf is the item a response's linkId names: by its id or its linkID.
func itemOf(in *screening.Instrument, id string) (*screening.Item, bool) {
	if it, ok := in.Item(id); ok {
		return it, true
	}
	if !strings.HasPrefix(id, "/") {
		return nil, false
	}
	for i := range in.Items {
		if it := &in.Items[i]; linkID(in, it) == id {
			return it, true
		}
	}
	return nil, false
}

// hasTotal says whether the instrument is scored: it has a total.
func hasTotal(in *screening.Instrument) bool {
	return in.Scoring != nil && !in.Scoring.NoTotal && len(in.Scoring.Items) > 0
}

// totalLinkID is the linkId of a scored instrument's total: "/" and its
// LOINC total code, else scoreLinkID.
func totalLinkID(in *screening.Instrument) string {
	if in.LOINC.Total != "" {
		return "/" + in.LOINC.Total
	}
	return scoreLinkID
}

// questionnaireID is the stable id of an instrument version's
// Questionnaire.
func questionnaireID(in *screening.Instrument) uuid.UUID {
	return nameID("questionnaire", in.ID+"|"+in.Version)
}

// questionnaire writes the instrument's Questionnaire the first time an
// export meets it.
func (w *Writer) questionnaire(in *screening.Instrument) error {
	key := in.ID + "|" + in.Version
	if _, ok := w.defined[key]; ok {
		return nil
	}
	w.defined[key] = struct{}{}
	id := questionnaireID(in)
	return w.entry(id, w.define(id, in))
}

// define is an instrument's Questionnaire.
func (w *Writer) define(id uuid.UUID, in *screening.Instrument) *questionnaireResource {
	q := &questionnaireResource{
		ResourceType: "Questionnaire", ID: id.String(), Meta: securityLabels, Language: "en",
		URL: w.base + questionnairePath + in.ID, Version: in.Version,
		Title: in.Title["en"], TitleExt: translations(in.Title), Status: "active",
		SubjectType: []string{"Patient"}, Copyright: copyright(in),
	}
	if in.LOINC.Panel != "" {
		q.Code = []coding{{System: loincSystem, Code: in.LOINC.Panel}}
	}
	if in.Intro["en"] != "" {
		q.Item = append(q.Item, questionItem{LinkID: introLinkID, Type: "display", Text: in.Intro["en"], TextExt: translations(in.Intro)})
	}
	for i := range in.Items {
		q.Item = append(q.Item, w.question(in, &in.Items[i]))
	}
	if hasTotal(in) {
		q.Item = append(q.Item, total(in))
	}
	return q
}

// question is an item of the instrument as a Questionnaire item.
func (w *Writer) question(in *screening.Instrument, it *screening.Item) questionItem {
	q := questionItem{LinkID: linkID(in, it), Text: it.Text["en"], TextExt: translations(it.Text)}
	if it.LOINC != "" {
		q.Code = []coding{{System: loincSystem, Code: it.LOINC}}
	}
	t := answerTypeOf(it.Kind)
	q.Type = t.question
	if q.Type == "" {
		q.Type = "display" // a kind the exporter does not know: its words only
	} else if t.define != nil {
		t.define(w, in, it, &q)
	}
	if it.SkipIf != nil {
		q.EnableWhen, q.EnableBehavior, _ = w.enabling(in, it.SkipIf)
	}
	if it.Hint["en"] != "" {
		q.Item = []questionItem{{LinkID: q.LinkID + ".hint", Type: "display", Text: it.Hint["en"], TextExt: translations(it.Hint),
			Extension: []valueExt{control("help", "Help-Button")}}}
	}
	return q
}

// options are a choice item's answerOptions: each option's coding as the
// responses write it, its label's translations, the points it scores
// where the item counts towards the total, and "None of these" exclusive.
func (w *Writer) options(in *screening.Instrument, it *screening.Item) []answerOption {
	scored := in.Scoring != nil && slices.Contains(in.Scoring.Items, it.ID)
	reverse := scored && slices.Contains(in.Scoring.Reverse, it.ID)
	lo, hi := it.PointRange()
	out := make([]answerOption, 0, len(it.Options))
	for _, o := range it.Options {
		c := w.coding(in, it, o.Value)
		a := answerOption{ValueCoding: optionCoding{System: c.System, Code: c.Code, Display: c.Display, DisplayExt: translations(o.Label)}}
		if scored {
			p := float64(o.Points)
			if reverse {
				p = float64(lo + hi - o.Points)
			}
			a.Extension = append(a.Extension, valueExt{URL: ordinalValueURL, ValueDecimal: &p})
		}
		if o.Exclusive {
			yes := true
			a.Extension = append(a.Extension, valueExt{URL: optionExclusive, ValueBoolean: &yes})
		}
		out = append(out, a)
	}
	return out
}

// total is the calculated item of an instrument's total score.
func total(in *screening.Instrument) questionItem {
	var ids []string
	for _, id := range in.Scoring.Items {
		if it, ok := in.Item(id); ok {
			ids = append(ids, "'"+linkID(in, it)+"'")
		}
	}
	q := questionItem{LinkID: totalLinkID(in), Type: "decimal", ReadOnly: true, Text: in.Title["en"] + " total score",
		Extension: []valueExt{{URL: calculatedURL, ValueExpression: &expression{Language: fhirPathLanguage,
			Expression: "%resource.item.where(linkId in (" + strings.Join(ids, " | ") + ")).answer.value.ordinal().combine(0).sum()"}}}}
	if in.LOINC.Total != "" {
		q.Code = []coding{{System: loincSystem, Code: in.LOINC.Total}}
	}
	return q
}

// copyright is the instrument's attribution, licence and the source of
// each translation, as the file gives them.
func copyright(in *screening.Instrument) string {
	parts := []string{in.Attribution}
	if in.Licence != "" {
		parts = append(parts, in.Licence)
	}
	for _, lang := range slices.Sorted(maps.Keys(in.Translations)) {
		parts = append(parts, "Translation ("+lang+"): "+in.Translations[lang])
	}
	return strings.TrimSpace(strings.Join(parts, "\n\n"))
}

// translations is the translation extension of wording in each language
// besides English; nil when there is none.
func translations(t screening.Text) *element {
	var e element
	for _, lang := range slices.Sorted(maps.Keys(t)) {
		if lang == "en" || t[lang] == "" {
			continue
		}
		e.Extension = append(e.Extension, translationExt{URL: translationURL, Extension: []valueExt{
			{URL: "lang", ValueCode: lang}, {URL: "content", ValueString: t[lang]}}})
	}
	if len(e.Extension) == 0 {
		return nil
	}
	return &e
}

// control is the itemControl extension of a code.
func control(code, display string) valueExt {
	return valueExt{URL: itemControlURL, ValueCodeableConcept: &codeableConcept{
		Coding: []coding{{System: itemControlCodes, Code: code, Display: display}}}}
}
