package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"intakekiosk/screening"
)

// A FHIR R4 Questionnaire read as an instrument file (kioskctl
// instruments import). What it carries and how:
//
//   - the title, name (the short title), version, copyright and LOINC
//     code (Questionnaire.code, the panel); its language texts from the
//     translation extension on _title, _text and _display;
//   - items, groups flattened in order (a group's or the first display
//     item's text is the intro; a later display item is refused, but for
//     one under a question, its hint); each
//     linkId becomes the item's id (lower-cased, "/44250-9" as
//     "44250-9"), its LOINC code kept, so responses keyed either way read;
//   - choice (repeats: multiple choice), boolean (Yes/No with their LOINC
//     answers), integer and decimal (with minValue, maxValue and the unit
//     extension, which the kiosk's keypad needs), string and text,
//     dateTime (an instant in the past);
//   - answerOption valueCoding, valueString or valueInteger, the points
//     from the ordinalValue extension (or itemWeight, or the older
//     iso21090-CO-value), whole numbers only; when the form names its
//     score, the items whose every option has points are scored, their
//     sum the total, with the LOINC code of
//     the form's score item (calculated, or a number in {score}) as the
//     total's;
//   - enableWhen (with enableBehavior) as the item's skip_if: exists, =
//     and != on a coding, a boolean or a number, and >, >=, <, <= on a
//     number or on a choice's points;
//   - required: an item the patient may not pass over; the rest may be
//     declined.
//
// What the kiosk cannot express is refused by name (an ImportError of
// Type "Questionnaire" naming the linkId and field): open-choice answers,
// answerValueSet, FHIRPath expressions other than a total's (enableWhen
// expression, initial or answer expressions), a display item between
// questions, nested items under a question, item types without a kiosk
// kind (date, time, url, attachment, reference, quantity), a non-whole
// ordinal value, a number item without its range or unit. Severity bands
// are not in a Questionnaire: the file has none, and Converted.Notes says
// so.

// InstrumentOptions says what a converted file is called and where it
// goes in the session.
type InstrumentOptions struct {
	// ID is the instrument's id; empty, the Questionnaire's id or name,
	// lower-cased.
	ID string
	// Order places it in the session (0: 100, after the built-in ones).
	Order int
}

// Converted is an instrument file made from a Questionnaire.
type Converted struct {
	// File is the instrument file's JSON, which screening.Check and the
	// kiosk's loader then judge as any clinic file.
	File []byte
	// Instrument is what the file holds, as the kiosk's loader reads it.
	Instrument *screening.Instrument
	// Notes say what the Questionnaire did not carry (bands, for one).
	Notes []string
}

type questionnaireIn struct {
	ResourceType string          `json:"resourceType"`
	ID           string          `json:"id"`
	URL          string          `json:"url"`
	Version      string          `json:"version"`
	Name         string          `json:"name"`
	Title        string          `json:"title"`
	TitleExt     *primitiveIn    `json:"_title"`
	Publisher    string          `json:"publisher"`
	Copyright    string          `json:"copyright"`
	Code         []coding        `json:"code"`
	Item         []qItemIn       `json:"item"`
	Extension    []extensionIn   `json:"extension"`
	Contained    json.RawMessage `json:"contained"`
}

type qItemIn struct {
	LinkID         string         `json:"linkId"`
	Type           string         `json:"type"`
	Text           string         `json:"text"`
	TextExt        *primitiveIn   `json:"_text"`
	Code           []coding       `json:"code"`
	Required       bool           `json:"required"`
	Repeats        bool           `json:"repeats"`
	ReadOnly       bool           `json:"readOnly"`
	MaxLength      int            `json:"maxLength"`
	AnswerOption   []qOptionIn    `json:"answerOption"`
	AnswerValueSet string         `json:"answerValueSet"`
	EnableWhen     []enableWhenIn `json:"enableWhen"`
	EnableBehavior string         `json:"enableBehavior"`
	Extension      []extensionIn  `json:"extension"`
	Item           []qItemIn      `json:"item"`
}

type qOptionIn struct {
	ValueCoding  *codingIn    `json:"valueCoding"`
	ValueString  *string      `json:"valueString"`
	StringExt    *primitiveIn `json:"_valueString"`
	ValueInteger *json.Number `json:"valueInteger"`
	Extension    []extensionIn
}

type codingIn struct {
	System     string        `json:"system"`
	Code       string        `json:"code"`
	Display    string        `json:"display"`
	DisplayExt *primitiveIn  `json:"_display"`
	Extension  []extensionIn `json:"extension"`
}

type enableWhenIn struct {
	Question      string       `json:"question"`
	Operator      string       `json:"operator"`
	AnswerBoolean *bool        `json:"answerBoolean"`
	AnswerCoding  *codingIn    `json:"answerCoding"`
	AnswerInteger *json.Number `json:"answerInteger"`
	AnswerDecimal *json.Number `json:"answerDecimal"`
	AnswerString  *string      `json:"answerString"`
}

// primitiveIn is a primitive's element as read: its translations.
type primitiveIn struct {
	Extension []extensionIn `json:"extension"`
}

type extensionIn struct {
	URL                  string          `json:"url"`
	ValueDecimal         *json.Number    `json:"valueDecimal"`
	ValueInteger         *json.Number    `json:"valueInteger"`
	ValueString          *string         `json:"valueString"`
	ValueCode            string          `json:"valueCode"`
	ValueCoding          *codingIn       `json:"valueCoding"`
	ValueExpression      json.RawMessage `json:"valueExpression"`
	Extension            []extensionIn   `json:"extension"`
	ValueCodeableConcept json.RawMessage `json:"valueCodeableConcept"`
}

// The extensions read.
const (
	extTranslation = "http://hl7.org/fhir/StructureDefinition/translation"
	extOrdinal     = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
	extItemWeight  = "http://hl7.org/fhir/StructureDefinition/itemWeight"
	extCOValue     = "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value"
	extMinValue    = "http://hl7.org/fhir/StructureDefinition/minValue"
	extMaxValue    = "http://hl7.org/fhir/StructureDefinition/maxValue"
	extUnit        = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
	extCalculated  = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
	sdcPrefix      = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-"
)

// The LOINC answers of a boolean item.
const (
	loincYes = "LA33-6"
	loincNo  = "LA32-8"
)

// InstrumentOf turns a FHIR R4 Questionnaire into an instrument file, or
// refuses, naming what the kiosk cannot express.
func InstrumentOf(data []byte, opts InstrumentOptions) (*Converted, error) {
	if len(data) > MaxResource {
		return nil, &ImportError{Type: "Questionnaire", Response: "the input", Err: fmt.Errorf("over %d bytes", MaxResource)}
	}
	var q questionnaireIn
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&q); err != nil {
		return nil, &ImportError{Type: "Questionnaire", Response: "the input", Err: err}
	}
	if q.ResourceType != "Questionnaire" {
		return nil, &ImportError{Type: "Questionnaire", Response: "the input", Field: "resourceType",
			Err: fmt.Errorf("%q is not a Questionnaire", clip(q.ResourceType, 40))}
	}
	c := converter{q: &q, name: q.ID, ids: map[string]string{}}
	if c.name == "" {
		c.name = "the input"
	}
	in, err := c.instrument(opts)
	if err != nil {
		return nil, err
	}
	file, err := json.MarshalIndent(in, "", "  ")
	if err != nil {
		return nil, err
	}
	file = append(file, '\n')
	// read back as the kiosk reads a file: what the kiosk's loader would
	// refuse (a text too long, a rule too deep) is refused here, by it
	parsed, err := screening.Parse(in.ID+".json", file)
	if err != nil {
		return nil, err
	}
	return &Converted{File: file, Instrument: parsed, Notes: c.notes}, nil
}

// converter holds a Questionnaire being converted.
type converter struct {
	q     *questionnaireIn
	name  string
	ids   map[string]string // linkId -> item id
	items []screening.Item
	intro screening.Text
	// calculated: the form calculates a total, total its LOINC code.
	calculated bool
	total      string
	// totals are the linkIds of calculated items, which an enableWhen may
	// name before they appear (a rule on the total so far).
	totals map[string]bool
	// scored are the items whose every option has an ordinal value.
	scored []string
	notes  []string
}

func (c *converter) fail(linkID, field string, format string, args ...any) error {
	return &ImportError{Type: "Questionnaire", Response: c.name, LinkID: linkID, Field: field, Err: fmt.Errorf(format, args...)}
}

var notID = regexp.MustCompile(`[^a-z0-9_-]+`)

// idOf makes a kiosk id of a linkId or name: lower-cased, other
// characters as "_", a leading "/" or "_" dropped.
func idOf(s string) string {
	id := strings.Trim(notID.ReplaceAllString(strings.ToLower(s), "_"), "_-")
	if len(id) > screening.MaxID {
		id = id[:screening.MaxID]
	}
	return id
}

func (c *converter) instrument(opts InstrumentOptions) (*screening.Instrument, error) {
	q := c.q
	id := opts.ID
	if id == "" {
		id = idOf(q.ID)
	}
	if id == "" {
		id = idOf(q.Name)
	}
	if !screening.IsID(id) {
		return nil, c.fail("", "id", "no id to give the instrument: name one (--id)")
	}
	title := textOf(q.Title, q.TitleExt)
	if title["en"] == "" {
		title = textOf(q.Name, nil)
	}
	if title["en"] == "" {
		return nil, c.fail("", "title", "the Questionnaire has no title or name")
	}
	short := screening.Text{"en": q.Name}
	if q.Name == "" || len(q.Name) > 40 {
		short = title
	}
	in := &screening.Instrument{ID: id, Version: q.Version, Order: opts.Order, Title: title, ShortTitle: short,
		Licence: oneLine(q.Copyright), AllowDecline: true}
	if in.Version == "" {
		in.Version = "1"
	}
	if in.Order == 0 {
		in.Order = 100
	}
	in.Attribution = c.attribution()
	for _, cd := range q.Code {
		if cd.System == loincSystem {
			in.LOINC.Panel = cd.Code
		}
	}
	c.totals = map[string]bool{}
	c.findTotals(q.Item)
	if err := c.walk(q.Item); err != nil {
		return nil, err
	}
	if len(c.items) == 0 {
		return nil, c.fail("", "item", "no questions the kiosk can ask")
	}
	in.Items, in.Intro, in.LOINC.Total = c.items, c.intro, c.total
	switch {
	case len(c.scored) > 0 && !c.calculated:
		// points without a score the form names (the BAM's, read in
		// subscores): kept on the options, the file not scored
		c.notes = append(c.notes, "the answer options have ordinal values but the form names no score item, so the file is not scored: add its scoring by hand if it has a published one")
	case len(c.scored) > 0:
		in.Scoring = &screening.Scoring{Items: c.scored}
		for i := range in.Items {
			if slices.Contains(c.scored, in.Items[i].ID) {
				lo, hi := pointSpan(&in.Items[i])
				in.Scoring.Min += lo
				in.Scoring.Max += hi
			}
		}
		c.notes = append(c.notes, "scored as the sum of the options' ordinal values; a Questionnaire carries no severity bands, so the file has none: add them by hand if the instrument has published ones")
	case c.calculated:
		return nil, c.fail("", "item", "a total is calculated but no answer option has an ordinal value to add up")
	}
	return in, nil
}

// attribution names where the instrument came from.
func (c *converter) attribution() string {
	src := c.q.Title
	if c.q.Publisher != "" {
		src += ", " + c.q.Publisher
	}
	if c.q.URL != "" {
		src += " (" + c.q.URL
		if c.q.Version != "" {
			src += "|" + c.q.Version
		}
		src += ")"
	}
	return oneLine("Imported from the FHIR Questionnaire " + strings.TrimPrefix(src, ", ") + ".")
}

// walk converts items in order, groups flattened.
func (c *converter) walk(items []qItemIn) error {
	for i := range items {
		it := &items[i]
		for _, e := range it.Extension {
			if strings.HasPrefix(e.URL, sdcPrefix) && e.URL != extCalculated && !strings.HasSuffix(e.URL, "-itemControl") {
				return c.fail(it.LinkID, "extension", "%s is not expressed by the kiosk", strings.TrimPrefix(e.URL, sdcPrefix))
			}
		}
		switch it.Type {
		case "group":
			if len(c.items) == 0 && c.intro == nil && it.Text != "" {
				c.intro = textOf(it.Text, it.TextExt)
			}
			if err := c.walk(it.Item); err != nil {
				return err
			}
			continue
		case "display":
			if len(c.items) > 0 {
				return c.fail(it.LinkID, "type", "a display item between questions cannot be shown: the kiosk asks one question a screen")
			}
			if c.intro == nil {
				c.intro = textOf(it.Text, it.TextExt)
			}
			continue
		}
		for _, sub := range it.Item {
			if sub.Type != "display" || len(it.Item) > 1 {
				return c.fail(it.LinkID, "item", "questions nested under a question are not expressed (one display item, its hint, is)")
			}
		}
		if calculated(it) {
			if c.calculated {
				return c.fail(it.LinkID, "extension", "a second calculated score: the kiosk scores one total")
			}
			c.calculated, c.total = true, loincOf(it.Code)
			continue
		}
		if err := c.question(it); err != nil {
			return err
		}
	}
	return nil
}

// findTotals notes the linkIds of the calculated items.
func (c *converter) findTotals(items []qItemIn) {
	for i := range items {
		if calculated(&items[i]) {
			c.totals[items[i].LinkID] = true
		}
		c.findTotals(items[i].Item)
	}
}

// calculated says whether an item is the form's score: one it
// calculates, or a number in UCUM's {score} (LOINC's forms give their
// total score so, uncalculated: LHC-Forms shows the one a response holds).
func calculated(it *qItemIn) bool {
	for _, e := range it.Extension {
		if e.URL == extCalculated {
			return true
		}
		if e.URL == extUnit && e.ValueCoding != nil && e.ValueCoding.Code == scoreUnit && (it.Type == "decimal" || it.Type == "integer") {
			return true
		}
	}
	return false
}

func loincOf(cs []coding) string {
	for _, cd := range cs {
		if cd.System == loincSystem {
			return cd.Code
		}
	}
	return ""
}

// question converts one question.
func (c *converter) question(it *qItemIn) error {
	id := idOf(it.LinkID)
	if it.LinkID == "" || !screening.IsID(id) {
		return c.fail(it.LinkID, "linkId", "no linkId to name the question by")
	}
	for _, other := range c.ids {
		if other == id {
			return c.fail(it.LinkID, "linkId", "two linkIds name the same kiosk item %q", id)
		}
	}
	item := screening.Item{ID: id, Text: textOf(it.Text, it.TextExt), LOINC: loincOf(it.Code)}
	if len(it.Item) == 1 {
		item.Hint = textOf(it.Item[0].Text, it.Item[0].TextExt)
	}
	if item.Text["en"] == "" {
		return c.fail(it.LinkID, "text", "the question has no text")
	}
	if it.Required {
		no := false
		item.AllowDecline = &no
	}
	if it.AnswerValueSet != "" {
		return c.fail(it.LinkID, "answerValueSet", "answers from a ValueSet are not expressed: list them as answerOption")
	}
	switch it.Type {
	case "choice":
		item.Kind = screening.Single
		if it.Repeats {
			item.Kind = screening.Multi
		}
		opts, scored, err := c.options(it)
		if err != nil {
			return err
		}
		item.Options = opts
		if scored {
			c.scored = append(c.scored, id)
		}
	case "boolean":
		item.Kind = screening.Single
		item.Options = []screening.Option{
			{Value: "yes", Label: screening.Text{"en": "Yes"}, LOINC: loincYes},
			{Value: "no", Label: screening.Text{"en": "No"}, LOINC: loincNo},
		}
	case "integer", "decimal":
		if err := c.number(it, &item); err != nil {
			return err
		}
	case "string", "text":
		item.Kind = screening.Free
		item.MaxLength = min(max(it.MaxLength, 0), screening.MaxShortText)
	case "dateTime":
		item.Kind = screening.When
	case "open-choice":
		return c.fail(it.LinkID, "type", "open-choice lets a patient type an answer of their own: the kiosk's choices are closed")
	default:
		return c.fail(it.LinkID, "type", "a %q item has no kiosk kind (choice, boolean, integer, decimal, string, text, dateTime)", clip(it.Type, 20))
	}
	if len(it.EnableWhen) > 0 {
		rule, err := c.enableWhen(it)
		if err != nil {
			return err
		}
		item.SkipIf = &screening.Rule{Not: rule}
	}
	c.ids[it.LinkID] = id
	c.items = append(c.items, item)
	return nil
}

// options converts a choice item's answerOptions; scored says that
// every option has an ordinal value.
func (c *converter) options(it *qItemIn) (out []screening.Option, scored bool, err error) {
	if len(it.AnswerOption) == 0 {
		return nil, false, c.fail(it.LinkID, "answerOption", "a choice item without answer options")
	}
	scored = true
	seen := map[string]bool{}
	for j, ao := range it.AnswerOption {
		field := fmt.Sprintf("answerOption[%d]", j)
		var o screening.Option
		exts := ao.Extension
		switch {
		case ao.ValueCoding != nil:
			cd := ao.ValueCoding
			o.Value = idOf(cd.Code)
			o.Label = textOf(cd.Display, cd.DisplayExt)
			if o.Label["en"] == "" {
				o.Label = screening.Text{"en": cd.Code}
			}
			if cd.System == loincSystem {
				o.LOINC = cd.Code
			}
			exts = append(exts, cd.Extension...)
		case ao.ValueString != nil:
			o.Value, o.Label = idOf(*ao.ValueString), textOf(*ao.ValueString, ao.StringExt)
		case ao.ValueInteger != nil:
			o.Value, o.Label = ao.ValueInteger.String(), screening.Text{"en": ao.ValueInteger.String()}
		default:
			return nil, false, c.fail(it.LinkID, field, "an answer option that is not a coding, string or integer")
		}
		if !screening.IsID(o.Value) || seen[o.Value] {
			return nil, false, c.fail(it.LinkID, field, "the option's code does not make a distinct kiosk value")
		}
		seen[o.Value] = true
		p, ok, err := ordinal(exts)
		if err != nil {
			return nil, false, c.fail(it.LinkID, field+".extension", "%w", err)
		}
		o.Points, scored = p, scored && ok
		out = append(out, o)
	}
	return out, scored, nil
}

// number converts an integer or decimal item: its range and unit are
// what the kiosk's keypad checks, so both must be there.
func (c *converter) number(it *qItemIn, item *screening.Item) error {
	item.Kind = screening.Number
	if it.Type == "decimal" {
		item.Decimals = 2
	}
	for _, e := range it.Extension {
		switch e.URL {
		case extMinValue, extMaxValue:
			n, ok := numberOf(e)
			if !ok {
				return c.fail(it.LinkID, "extension", "%s is not a number", extName(e.URL))
			}
			if e.URL == extMinValue {
				item.Min = &n
			} else {
				item.Max = &n
			}
		case extUnit:
			if e.ValueCoding != nil {
				u := e.ValueCoding.Display
				if u == "" {
					u = e.ValueCoding.Code
				}
				item.Unit = textOf(u, e.ValueCoding.DisplayExt)
			}
		case "http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces":
			if n, ok := numberOf(e); ok && n >= 0 && n <= 6 && n == math.Trunc(n) && it.Type == "decimal" {
				item.Decimals = int(n)
			}
		}
	}
	switch {
	case item.Min == nil || item.Max == nil:
		return c.fail(it.LinkID, "extension", "a number item needs its minValue and maxValue: the kiosk's keypad checks the range")
	case item.Unit["en"] == "":
		return c.fail(it.LinkID, "extension", "a number item needs its unit (questionnaire-unit): the kiosk shows it beside the number")
	}
	return nil
}

// extName is the last part of an extension's URL, to name it.
func extName(url string) string { return url[strings.LastIndexByte(url, '/')+1:] }

func numberOf(e extensionIn) (float64, bool) {
	n := e.ValueDecimal
	if n == nil {
		n = e.ValueInteger
	}
	if n == nil {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil && !math.IsInf(f, 0)
}

// ordinal is an answer option's points: its ordinalValue (itemWeight,
// iso21090-CO-value), which must be a whole number.
func ordinal(exts []extensionIn) (int, bool, error) {
	for _, e := range exts {
		if e.URL != extOrdinal && e.URL != extItemWeight && e.URL != extCOValue {
			continue
		}
		f, ok := numberOf(e)
		if !ok || f != math.Trunc(f) || math.Abs(f) > 1000 {
			return 0, false, fmt.Errorf("%s must be a whole number: the kiosk scores whole points", extName(e.URL))
		}
		return int(f), true, nil
	}
	return 0, false, nil
}

// pointSpan is the lowest and highest an item scores.
func pointSpan(it *screening.Item) (lo, hi int) {
	for i, o := range it.Options {
		if it.Kind == screening.Multi {
			hi += max(o.Points, 0)
			lo += min(o.Points, 0)
			continue
		}
		if i == 0 || o.Points < lo {
			lo = o.Points
		}
		if i == 0 || o.Points > hi {
			hi = o.Points
		}
	}
	return lo, hi
}

// oneLine is a text on one line: the kiosk lays its texts out itself,
// and an instrument file holds no line break.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// textOf is a text with its translations (the translation extension's
// lang and content; "es-US" is "es").
func textOf(s string, el *primitiveIn) screening.Text {
	s = oneLine(s)
	t := screening.Text{}
	if s != "" {
		t["en"] = s
	}
	if el == nil {
		return t
	}
	for _, e := range el.Extension {
		if e.URL != extTranslation {
			continue
		}
		var lang, content string
		for _, part := range e.Extension {
			switch {
			case part.URL == "lang":
				lang = part.ValueCode
			case part.URL == "content" && part.ValueString != nil:
				content = *part.ValueString
			}
		}
		lang, _, _ = strings.Cut(strings.ToLower(lang), "-")
		if content = oneLine(content); lang != "" && lang != "en" && content != "" {
			t[lang] = content
		}
	}
	return t
}

// enableWhen turns an item's enableWhen into the rule under which it is
// asked (its skip_if is the rule's Not).
func (c *converter) enableWhen(it *qItemIn) (*screening.Rule, error) {
	var rules []screening.Rule
	for j, ew := range it.EnableWhen {
		field := fmt.Sprintf("enableWhen[%d]", j)
		r, err := c.condition(ew)
		if err != nil {
			return nil, c.fail(it.LinkID, field, "%w", err)
		}
		rules = append(rules, r)
	}
	switch {
	case len(rules) == 1:
		return &rules[0], nil
	case it.EnableBehavior == "all":
		return &screening.Rule{All: rules}, nil
	case it.EnableBehavior == "any":
		return &screening.Rule{Any: rules}, nil
	}
	return nil, c.fail(it.LinkID, "enableBehavior", "several enableWhen conditions need enableBehavior all or any")
}

// condition is one enableWhen as a kiosk rule.
func (c *converter) condition(ew enableWhenIn) (screening.Rule, error) {
	if c.totals[ew.Question] {
		return totalCondition(ew)
	}
	id, ok := c.ids[ew.Question]
	if !ok {
		return screening.Rule{}, fmt.Errorf("question %q is not an earlier question of the form: the kiosk decides from answers already given", clip(ew.Question, 40))
	}
	var on *screening.Item
	for i := range c.items {
		if c.items[i].ID == id {
			on = &c.items[i]
		}
	}
	test := func(op string) screening.Rule { return screening.Rule{Item: id, Op: op} }
	number := func() (float64, bool) {
		n := ew.AnswerDecimal
		if n == nil {
			n = ew.AnswerInteger
		}
		if n == nil {
			return 0, false
		}
		f, err := n.Float64()
		return f, err == nil
	}
	switch op := ew.Operator; {
	case op == "exists" && ew.AnswerBoolean != nil:
		r := test("answered")
		if !*ew.AnswerBoolean {
			return screening.Rule{Not: &r}, nil
		}
		return r, nil
	case (op == "=" || op == "!=") && on.Kind.HasOptions():
		value, ok := "", false
		switch {
		case ew.AnswerCoding != nil:
			for _, o := range on.Options {
				if o.Value == idOf(ew.AnswerCoding.Code) || o.LOINC != "" && o.LOINC == ew.AnswerCoding.Code {
					value, ok = o.Value, true
				}
			}
		case ew.AnswerBoolean != nil && on.Options[0].Value == "yes":
			value, ok = map[bool]string{true: "yes", false: "no"}[*ew.AnswerBoolean], true
		}
		if !ok {
			return screening.Rule{}, errors.New("the answer compared is not one of the question's options")
		}
		r := test(map[string]string{"=": "eq", "!=": "ne"}[op])
		if on.Kind == screening.Multi {
			r.Op = map[string]string{"=": "includes", "!=": "excludes"}[op]
		}
		r.Values = []string{value}
		return r, nil
	case on.Kind == screening.Number:
		n, ok := number()
		if !ok {
			break
		}
		cmp := func(op string) screening.Rule { r := test(op); r.Number = &n; return r }
		switch op {
		case ">":
			return cmp("gt"), nil
		case ">=":
			return cmp("ge"), nil
		case "<":
			return cmp("lt"), nil
		case "<=":
			return cmp("le"), nil
		case "=", "!=":
			r := screening.Rule{All: []screening.Rule{cmp("ge"), cmp("le")}}
			if op == "!=" {
				return screening.Rule{Not: &r}, nil
			}
			return r, nil
		}
	}
	return screening.Rule{}, fmt.Errorf("operator %q with that answer is not expressed for a %s question", clip(ew.Operator, 10), on.Kind)
}

// totalCondition is an enableWhen on the calculated total as a rule on
// the instrument's total so far (PHQ-9's tenth question, asked when a
// problem was checked).
func totalCondition(ew enableWhenIn) (screening.Rule, error) {
	n := ew.AnswerDecimal
	if n == nil {
		n = ew.AnswerInteger
	}
	var f float64
	var err error
	if n != nil {
		f, err = n.Float64()
	}
	if n == nil || err != nil {
		return screening.Rule{}, errors.New("a condition on the total compares it with a number")
	}
	op, ok := map[string]string{"=": "eq", "!=": "eq", ">": "gt", ">=": "ge", "<": "lt", "<=": "le"}[ew.Operator]
	if !ok {
		return screening.Rule{}, fmt.Errorf("operator %q on the total is not expressed", clip(ew.Operator, 10))
	}
	r := screening.Rule{Score: "total", Op: op, Number: &f}
	if ew.Operator == "!=" {
		return screening.Rule{Not: &r}, nil
	}
	return r, nil
}
