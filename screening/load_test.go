package screening_test

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

// baseInstrument is a small valid instrument file; each loader test breaks
// it in one place.
const baseInstrument = `{
  "id": "test",
  "version": "1",
  "order": 100,
  "title": {"en": "Test instrument"},
  "short_title": {"en": "Test"},
  "attribution": "Written for the tests.",
  "option_sets": {
    "freq": [
      {"value": "no", "label": {"en": "No"}, "points": 0},
      {"value": "some", "label": {"en": "Some"}, "points": 1},
      {"value": "lots", "label": {"en": "Lots"}, "points": 2}
    ]
  },
  "items": [
    {"id": "a", "kind": "single", "text": {"en": "A?"}, "option_set": "freq"},
    {
      "id": "b", "kind": "single",
      "text": {"en": "B?"},
      "options": [
        {"value": "no", "label": {"en": "No"}, "points": 0},
        {"value": "yes", "label": {"en": "Yes"}, "points": 2}
      ]
    },
    {"id": "n", "kind": "number", "text": {"en": "N?"}, "unit": {"en": "units"}, "min": 0, "max": 10},
    {"id": "c", "kind": "single", "text": {"en": "C?"}, "option_set": "freq", "skip_if": {"item": "a", "op": "eq", "values": ["no"]}}
  ],
  "scoring": {
    "items": ["a", "b", "c"],
    "min": 0,
    "max": 6,
    "bands": [
      {"min": 0, "max": 1, "label": {"en": "Low"}, "level": 0, "code": "low"},
      {"min": 2, "max": 4, "label": {"en": "Middle"}, "level": 1},
      {"min": 5, "max": 6, "label": {"en": "High"}, "level": 2}
    ]
  },
  "flags": [
    {"id": "high_n", "label": {"en": "N is high"}, "when": {"item": "n", "op": "gt", "number": 5}}
  ]
}
`

// mutate replaces old, which must occur exactly once, with new.
func mutate(tb testing.TB, s, old, new string) string {
	tb.Helper()
	if n := strings.Count(s, old); n != 1 {
		tb.Fatalf("%q occurs %d times in the base file", old, n)
	}
	return strings.Replace(s, old, new, 1)
}

// lineOf is the line of the first occurrence of marker in s.
func lineOf(s, marker string) int {
	return 1 + strings.Count(s[:strings.Index(s, marker)], "\n")
}

func mapFS(files ...string) fstest.MapFS {
	m := fstest.MapFS{}
	for i := 0; i < len(files); i += 2 {
		m[files[i]] = &fstest.MapFile{Data: []byte(files[i+1])}
	}
	return m
}

func fileError(t *testing.T, err error) *screening.FileError {
	t.Helper()
	var fe *screening.FileError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *FileError", err, err)
	}
	return fe
}

func TestParseBaseInstrument(t *testing.T) {
	in, err := screening.Parse("test.json", []byte(baseInstrument))
	if err != nil {
		t.Fatal(err)
	}
	if it, _ := in.Item("c"); len(it.Options) != 3 {
		t.Errorf("option set not resolved: %+v", it.Options)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		item     string
		field    string
		errHas   []string
		// lineAt is text of the broken file on the line the error names.
		lineAt string
	}{
		{
			name: "syntax error", old: `"text": {"en": "B?"},`, new: `"text": {"en": "B?"}`,
			item: "b", field: "items[1]",
			errHas: []string{"invalid character"}, lineAt: `"options": [`, // the line after the missing comma
		},
		{
			name: "truncated file", old: "  ]\n}\n", new: "  ]\n",
			field:  "",
			errHas: []string{"unexpected EOF"},
		},
		{
			name: "unknown field", old: `"id": "b", "kind": "single",`, new: `"id": "b", "kind": "single", "colour": "red",`,
			item: "b", field: "items[1].colour",
			errHas: []string{`unknown field "colour"`}, lineAt: `"colour"`,
		},
		{
			name: "unknown field before the item's id", old: `{"id": "n", "kind": "number",`, new: `{"units": "mg", "id": "n", "kind": "number",`,
			item: "n", field: "items[2].units",
			errHas: []string{`unknown field "units"`}, lineAt: `"units"`,
		},
		{
			name: "unknown field in a rule", old: `"op": "eq", "values": ["no"]`, new: `"op": "eq", "value": ["no"]`,
			item: "c", field: "items[3].skip_if.value",
			errHas: []string{`unknown field "value"`},
		},
		{
			name: "unknown top-level field", old: `"order": 100,`, new: `"order": 100, "author": "me",`,
			field:  "author",
			errHas: []string{`unknown field "author"`}, lineAt: `"author"`,
		},
		{
			name: "value of the wrong type", old: `"min": 0, "max": 10}`, new: `"min": 0, "max": "ten"}`,
			item: "n", field: "items[2].max",
			errHas: []string{"not a float64"}, lineAt: `"ten"`,
		},
		{
			name: "duplicate item id", old: `"id": "b", "kind": "single",`, new: `"id": "a", "kind": "single",`,
			item: "a", field: "items[1].id",
			errHas: []string{"duplicate item id"},
		},
		{
			name: "invalid item id", old: `"id": "b", "kind": "single",`, new: `"id": "B 2", "kind": "single",`,
			item: "B 2", field: "items[1].id",
			errHas: []string{"not a valid id"},
		},
		{
			name: "unknown kind", old: `"id": "b", "kind": "single",`, new: `"id": "b", "kind": "scale",`,
			item: "b", field: "kind",
			errHas: []string{`"scale" is not one of`},
		},
		{
			name: "band gap", old: `{"min": 2, "max": 4,`, new: `{"min": 3, "max": 4,`,
			field:  "scoring.bands[1].min",
			errHas: []string{"gap: no band covers 2 to 2"},
		},
		{
			name: "band overlap", old: `{"min": 2, "max": 4,`, new: `{"min": 1, "max": 4,`,
			field:  "scoring.bands[1].min",
			errHas: []string{"overlap: 1 is already covered"},
		},
		{
			name: "bands not reaching the max", old: `{"min": 5, "max": 6,`, new: `{"min": 5, "max": 5,`,
			field:  "scoring.bands",
			errHas: []string{"the bands end at 5, the score goes to 6"},
		},
		{
			name: "band level out of range", old: `"label": {"en": "High"}, "level": 2`, new: `"label": {"en": "High"}, "level": 5`,
			field:  "scoring.bands[2].level",
			errHas: []string{"5 is out of range"},
		},
		{
			name: "option points above range", old: `{"value": "yes", "label": {"en": "Yes"}, "points": 2}`, new: `{"value": "yes", "label": {"en": "Yes"}, "points": 21}`,
			item: "b", field: "options[1].points",
			errHas: []string{"21 is out of range (0 to 20)"},
		},
		{
			name: "option points below range", old: `{"value": "no", "label": {"en": "No"}, "points": 0},` + "\n        ", new: `{"value": "no", "label": {"en": "No"}, "points": -1},` + "\n        ",
			item: "b", field: "options[0].points",
			errHas: []string{"-1 is out of range"},
		},
		{
			name: "option set missing", old: `{"id": "a", "kind": "single", "text": {"en": "A?"}, "option_set": "freq"}`, new: `{"id": "a", "kind": "single", "text": {"en": "A?"}, "option_set": "frequency"}`,
			item: "a", field: "option_set",
			errHas: []string{`no option set "frequency"`},
		},
		{
			name: "number item without a unit", old: `"unit": {"en": "units"}, `, new: ``,
			item: "n", field: "unit.en",
			errHas: []string{"needs a unit"},
		},
		{
			name: "scoring max not matching the items", old: "\"min\": 0,\n    \"max\": 6,", new: "\"min\": 0,\n    \"max\": 7,",
			field:  "scoring.max",
			errHas: []string{"the items add up to 0-6, the file says 0-7"},
		},
		{
			name: "scoring a number item", old: `"items": ["a", "b", "c"],`, new: `"items": ["a", "b", "c", "n"],`,
			item: "n", field: "scoring.items[3]",
			errHas: []string{"a number item without steps cannot be scored"},
		},
		{
			name: "steps not rising", old: `"unit": {"en": "units"}, "min": 0, "max": 10}`, new: `"unit": {"en": "units"}, "min": 0, "max": 10, "steps": [{"up_to": 3, "points": 0}, {"up_to": 3, "points": 1}, {"up_to": 10, "points": 2}]}`,
			item: "n", field: "steps[1].up_to",
			errHas: []string{"does not rise above the step before"},
		},
		{
			name: "steps ending before the item's max", old: `"unit": {"en": "units"}, "min": 0, "max": 10}`, new: `"unit": {"en": "units"}, "min": 0, "max": 10, "steps": [{"up_to": 3, "points": 0}, {"up_to": 9.5, "points": 1}]}`,
			item: "n", field: "steps[1].up_to",
			errHas: []string{"the last step ends at 9.5, the item goes to 10"},
		},
		{
			name: "a step below the item's min", old: `"unit": {"en": "units"}, "min": 0, "max": 10}`, new: `"unit": {"en": "units"}, "min": 0, "max": 10, "steps": [{"up_to": -1, "points": 0}, {"up_to": 10, "points": 1}]}`,
			item: "n", field: "steps[0].up_to",
			errHas: []string{"outside the item's 0 to 10"},
		},
		{
			name: "step points out of range", old: `"unit": {"en": "units"}, "min": 0, "max": 10}`, new: `"unit": {"en": "units"}, "min": 0, "max": 10, "steps": [{"up_to": 10, "points": 21}]}`,
			item: "n", field: "steps[0].points",
			errHas: []string{"21 is out of range (0 to 20)"},
		},
		{
			name: "steps on a choice item", old: `{"id": "a", "kind": "single", "text": {"en": "A?"}, "option_set": "freq"}`,
			new:  `{"id": "a", "kind": "single", "text": {"en": "A?"}, "option_set": "freq", "steps": [{"up_to": 1, "points": 1}]}`,
			item: "a", field: "steps",
			errHas: []string{"only number items have steps"},
		},
		{
			name: "step set missing", old: `"unit": {"en": "units"}, "min": 0, "max": 10}`, new: `"unit": {"en": "units"}, "min": 0, "max": 10, "step_set": "days"}`,
			item: "n", field: "step_set",
			errHas: []string{`no step set "days" in step_sets`},
		},
		{
			name: "steps and a step set", old: `"unit": {"en": "units"}, "min": 0, "max": 10}`, new: `"unit": {"en": "units"}, "min": 0, "max": 10, "step_set": "days", "steps": [{"up_to": 10, "points": 1}]}`,
			item: "n", field: "step_set",
			errHas: []string{"give steps or step_set, not both"},
		},
		{
			name: "no total with a range", old: `"items": ["a", "b", "c"],`, new: `"items": ["a", "b", "c"], "no_total": true,`,
			field:  "scoring.no_total",
			errHas: []string{"an instrument without a total gives no min, max or bands"},
		},
		{
			name: "no total without subscores", old: "\"items\": [\"a\", \"b\", \"c\"],\n    \"min\": 0,\n    \"max\": 6,\n    \"bands\": [\n      {\"min\": 0, \"max\": 1, \"label\": {\"en\": \"Low\"}, \"level\": 0, \"code\": \"low\"},\n      {\"min\": 2, \"max\": 4, \"label\": {\"en\": \"Middle\"}, \"level\": 1},\n      {\"min\": 5, \"max\": 6, \"label\": {\"en\": \"High\"}, \"level\": 2}\n    ]",
			new:    `"items": ["a", "b", "c"], "no_total": true`,
			field:  "scoring.no_total",
			errHas: []string{"an instrument without a total needs subscores"},
		},
		{
			name: "skip_if naming a missing item", old: `"skip_if": {"item": "a",`, new: `"skip_if": {"item": "z",`,
			item: "c", field: "skip_if.item",
			errHas: []string{`no item "z"`},
		},
		{
			name: "skip_if naming a later item", old: `"id": "b", "kind": "single",`, new: `"id": "b", "kind": "single", "skip_if": {"item": "c", "op": "eq", "values": ["no"]},`,
			item: "b", field: "skip_if.item",
			errHas: []string{`item "c" does not come before this one`},
		},
		{
			name: "skip_if naming its own item", old: `"skip_if": {"item": "a",`, new: `"skip_if": {"item": "c",`,
			item: "c", field: "skip_if.item",
			errHas: []string{"does not come before"},
		},
		{
			name: "operator that does not fit the item kind", old: `"skip_if": {"item": "a", "op": "eq", "values": ["no"]}`, new: `"skip_if": {"item": "n", "op": "eq", "values": ["no"]}`,
			item: "c", field: "skip_if.op",
			errHas: []string{`"eq" cannot test a number item`},
		},
		{
			name: "multi operator on a single item", old: `"when": {"item": "n", "op": "gt", "number": 5}`, new: `"when": {"item": "a", "op": "includes", "values": ["no"]}`,
			field:  "flags[0].when.op",
			errHas: []string{`"includes" cannot test a single item`},
		},
		{
			name: "unknown operator", old: `"op": "gt", "number": 5`, new: `"op": "over", "number": 5`,
			field:  "flags[0].when.op",
			errHas: []string{`"over" is not a known operator`},
		},
		{
			name: "rule value that is not an option", old: `"op": "eq", "values": ["no"]`, new: `"op": "eq", "values": ["never"]`,
			item: "c", field: "skip_if.values[0]",
			errHas: []string{`"never" is not an option of item "a"`},
		},
		{
			name: "comparison without a number", old: `"op": "gt", "number": 5`, new: `"op": "gt"`,
			field:  "flags[0].when.number",
			errHas: []string{"missing"},
		},
		{
			name: "rule with two parts", old: `"when": {"item": "n", "op": "gt", "number": 5}`, new: `"when": {"item": "n", "op": "gt", "number": 5, "not": {"item": "a", "op": "answered"}}`,
			field:  "flags[0].when",
			errHas: []string{"exactly one of all, any, not or op"},
		},
		{
			// Evaluating this rule would recurse forever (the score counts c).
			name: "skip_if testing a score that counts the item", old: `"skip_if": {"item": "a", "op": "eq", "values": ["no"]}`, new: `"skip_if": {"score": "total", "op": "gt", "number": 0}`,
			item: "c", field: "skip_if.score",
			errHas: []string{`counts item "c", which does not come before this one`},
		},
		{
			name: "instrument skip_if testing its own score", old: `"order": 100,`, new: `"order": 100, "skip_if": {"score": "total", "op": "eq", "number": 0},`,
			field:  "skip_if.score",
			errHas: []string{"does not come before"},
		},
		{
			name: "instrument skip_if testing its own item", old: `"order": 100,`, new: `"order": 100, "skip_if": {"item": "a", "op": "answered"},`,
			field:  "skip_if.item",
			errHas: []string{"cannot test its items"},
		},
		{
			name: "show_if naming a later item", old: `{"value": "yes", "label": {"en": "Yes"}, "points": 2}`, new: `{"value": "yes", "label": {"en": "Yes"}, "points": 2, "show_if": {"item": "c", "op": "eq", "values": ["no"]}}`,
			item: "b", field: "options[1].show_if.item",
			errHas: []string{`item "c" does not come before this one`},
		},
		{
			name: "show_if naming its own item", old: `{"value": "yes", "label": {"en": "Yes"}, "points": 2}`, new: `{"value": "yes", "label": {"en": "Yes"}, "points": 2, "show_if": {"item": "b", "op": "answered"}}`,
			item: "b", field: "options[1].show_if.item",
			errHas: []string{`item "b" does not come before this one`},
		},
		{
			name: "show_if naming a missing item", old: `{"value": "yes", "label": {"en": "Yes"}, "points": 2}`, new: `{"value": "yes", "label": {"en": "Yes"}, "points": 2, "show_if": {"item": "z", "op": "answered"}}`,
			item: "b", field: "options[1].show_if.item",
			errHas: []string{`no item "z"`},
		},
		{
			name: "show_if value that is not an option", old: `{"value": "yes", "label": {"en": "Yes"}, "points": 2}`, new: `{"value": "yes", "label": {"en": "Yes"}, "points": 2, "show_if": {"item": "a", "op": "in", "values": ["some", "never"]}}`,
			item: "b", field: "options[1].show_if.values[1]",
			errHas: []string{`"never" is not an option of item "a"`},
		},
		{
			name: "show_if operator that does not fit", old: `{"value": "yes", "label": {"en": "Yes"}, "points": 2}`, new: `{"value": "yes", "label": {"en": "Yes"}, "points": 2, "show_if": {"any": [{"item": "a", "op": "answered"}, {"item": "a", "op": "includes", "values": ["no"]}]}}`,
			item: "b", field: "options[1].show_if.any[1].op",
			errHas: []string{`"includes" cannot test a single item`},
		},
		{
			name: "show_if with two parts", old: `{"value": "yes", "label": {"en": "Yes"}, "points": 2}`, new: `{"value": "yes", "label": {"en": "Yes"}, "points": 2, "show_if": {"item": "a", "op": "answered", "not": {"item": "a", "op": "declined"}}}`,
			item: "b", field: "options[1].show_if",
			errHas: []string{"exactly one of all, any, not or op"},
		},
		{
			name: "unknown field in a show_if", old: `{"value": "yes", "label": {"en": "Yes"}, "points": 2}`, new: `{"value": "yes", "label": {"en": "Yes"}, "points": 2, "show_if": {"item": "a", "op": "eq", "value": ["no"]}}`,
			item: "b", field: "items[1].options[1].show_if.value",
			errHas: []string{`unknown field "value"`},
		},
		{
			name: "show_if in an option set testing a later item", old: `{"value": "lots", "label": {"en": "Lots"}, "points": 2}`, new: `{"value": "lots", "label": {"en": "Lots"}, "points": 2, "show_if": {"item": "b", "op": "answered"}}`,
			item: "a", field: "options[2].show_if.item",
			errHas: []string{`item "b" does not come before this one`},
		},
		{
			name: "duplicate flag id", old: `"when": {"item": "n", "op": "gt", "number": 5}}`, new: `"when": {"item": "n", "op": "gt", "number": 5}}, {"id": "high_n", "label": {"en": "Again"}, "when": {"item": "n", "op": "gt", "number": 8}}`,
			field:  "flags[1].id",
			errHas: []string{"used twice"},
		},
		{
			name: "flag both urgent and attention", old: `"when": {"item": "n", "op": "gt", "number": 5}}`, new: `"urgent": true, "attention": true, "when": {"item": "n", "op": "gt", "number": 5}}`,
			field:  "flags[0].attention",
			errHas: []string{"not both"},
		},
		{
			name: "missing attribution", old: `"attribution": "Written for the tests.",`, new: ``,
			field:  "attribution",
			errHas: []string{"every instrument names its source"},
		},
		{
			name: "bad LOINC code", old: `{"id": "a", "kind": "single",`, new: `{"id": "a", "loinc": "44250", "kind": "single",`,
			item: "a", field: "loinc",
			errHas: []string{`"44250" is not a LOINC code`},
		},
		{
			name: "instructions without English", old: `"order": 100,`, new: `"order": 100, "instructions": {"es": "Lea esto."},`,
			field:  "instructions.en",
			errHas: []string{"missing English text"},
		},
		{
			name: "LOINC name without its code", old: `"order": 100,`, new: `"order": 100, "loinc": {"total_display": "A total"},`,
			field:  "loinc.total_display",
			errHas: []string{"a long common name without its LOINC code"},
		},
		{
			// a panel's answers leave the kiosk as LOINC codes, never in a
			// code system of the clinic's own
			name: "LOINC panel with an answer lacking its code", old: `"order": 100,`, new: `"order": 100, "loinc": {"panel": "44249-1", "panel_display": "A panel"},`,
			item: "a", field: "options[0].loinc",
			errHas: []string{"missing: instrument test is LOINC panel 44249-1"},
		},
		{
			name: "answer display without a code", old: `{"value": "yes", "label": {"en": "Yes"}, "points": 2}`, new: `{"value": "yes", "label": {"en": "Yes"}, "points": 2, "loinc_display": "Yes"}`,
			item: "b", field: "options[1].loinc_display",
			errHas: []string{"a display without a LOINC answer code"},
		},
		{
			name: "subscore LOINC total not a code", old: `"bands": [
      {"min": 0, "max": 1,`, new: `"subscores": [{"id": "ab", "label": {"en": "AB"}, "items": ["a", "b"], "loinc": {"total": "55758", "total_display": "AB total"}}],
    "bands": [
      {"min": 0, "max": 1,`,
			field:  "scoring.subscores[0].loinc.total",
			errHas: []string{`"55758" is not a LOINC code`},
		},
		{
			name: "two bands with one code", old: `"label": {"en": "Middle"}, "level": 1}`, new: `"label": {"en": "Middle"}, "level": 1, "code": "low"}`,
			field:  "scoring.bands[1].code",
			errHas: []string{`"low" names another band of the score too`},
		},
		{
			name: "band's LOINC answer code without its words", old: `"label": {"en": "High"}, "level": 2}`, new: `"label": {"en": "High"}, "level": 2, "loinc": "LA6712-9"}`,
			field:  "scoring.bands[2].loinc_display",
			errHas: []string{"go together"},
		},
		{
			name: "band interpretation HL7 does not have", old: `"label": {"en": "High"}, "level": 2}`, new: `"label": {"en": "High"}, "level": 2, "interpretation": "HIGH"}`,
			field:  "scoring.bands[2].interpretation",
			errHas: []string{`"HIGH" is not an HL7 ObservationInterpretation code this kiosk writes (NEG, POS)`},
		},
		{
			name: "unknown kind of visit", old: `"order": 100,`, new: `"order": 100, "for": ["daily"],`,
			field:  "for[0]",
			errHas: []string{`"daily" is not a kind of visit (screening, checkin, schedule)`},
		},
		{
			// kinds of visit are matched exactly, as ids are
			name: "kind of visit in the wrong case", old: `"order": 100,`, new: `"order": 100, "for": ["checkin", "Screening"],`,
			field:  "for[1]",
			errHas: []string{`"Screening" is not a kind of visit`},
		},
		{
			// a staff-rated instrument is never asked at a patient's visit
			name: "staff with a kind of visit", old: `"order": 100,`, new: `"order": 100, "for": ["staff", "checkin"],`,
			field:  "for[0]",
			errHas: []string{`give "staff" alone`},
		},
		{
			// the base file has a flag; a staff-rated instrument takes none
			name: "staff with a flag", old: `"order": 100,`, new: `"order": 100, "for": ["staff"],`,
			field:  "for",
			errHas: []string{"no allow_decline, skip_if or flags"},
		},
		{
			name: "kinds of visit not a list", old: `"order": 100,`, new: `"order": 100, "for": "checkin",`,
			field:  "for",
			errHas: []string{"not a []string"}, lineAt: `"for"`,
		},
		{
			name: "text after the closing brace", old: "  ]\n}\n", new: "  ]\n}\n{}\n",
			errHas: []string{"text after the closing brace"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := mutate(t, baseInstrument, tt.old, tt.new)
			_, err := screening.Parse("clinic/test.json", []byte(data))
			if err == nil {
				t.Fatal("no error")
			}
			fe := fileError(t, err)
			if fe.File != "clinic/test.json" || fe.Item != tt.item || fe.Field != tt.field {
				t.Errorf("file %q item %q field %q, want %q %q %q", fe.File, fe.Item, fe.Field, "clinic/test.json", tt.item, tt.field)
			}
			msg := err.Error()
			want := append([]string{"clinic/test.json"}, tt.errHas...)
			if tt.lineAt != "" {
				want = append(want, fmt.Sprintf("line %d:", lineOf(data, tt.lineAt)))
			}
			for _, s := range want {
				if !strings.Contains(msg, s) {
					t.Errorf("error %q lacks %q", msg, s)
				}
			}
			if tt.item != "" && !strings.Contains(msg, fmt.Sprintf("item %q", tt.item)) {
				t.Errorf("error %q does not name item %q", msg, tt.item)
			}
			if tt.field != "" && !strings.Contains(msg, "field "+tt.field) {
				t.Errorf("error %q does not name field %s", msg, tt.field)
			}
		})
	}
}

// otherInstrument is a second valid file whose item skip_if names the
// test instrument (order 100), through the given rule.
func otherInstrument(id string, order int, rule string) string {
	return fmt.Sprintf(`{
  "id": %q, "version": "1", "order": %d,
  "title": {"en": "Other"}, "short_title": {"en": "Other"},
  "attribution": "Written for the tests.",
  "items": [
    {"id": "x", "kind": "text", "text": {"en": "X?"}},
    {"id": "y", "kind": "text", "text": {"en": "Y?"}, "skip_if": %s}
  ]
}`, id, order, rule)
}

func TestLoadCrossInstrumentRules(t *testing.T) {
	tests := []struct {
		name   string
		rule   string
		order  int
		field  string
		errHas string
	}{
		{"missing instrument", `{"instrument": "ghost", "item": "x", "op": "answered"}`, 200, "skip_if.instrument", `no instrument "ghost" is loaded`},
		{"missing item", `{"instrument": "test", "item": "zz", "op": "answered"}`, 200, "skip_if.item", `instrument "test" has no item "zz"`},
		{"later instrument", `{"instrument": "test", "item": "a", "op": "answered"}`, 50, "skip_if.instrument", `instrument "test" does not come before "other"`},
		{"operator that does not fit", `{"instrument": "test", "item": "n", "op": "includes", "values": ["no"]}`, 200, "skip_if.op", `"includes" cannot test a number item`},
		{"value that is not an option", `{"instrument": "test", "item": "a", "op": "eq", "values": ["maybe"]}`, 200, "skip_if.values[0]", `"maybe" is not an option`},
		{"missing subscore", `{"instrument": "test", "score": "part", "op": "gt", "number": 1}`, 200, "skip_if.score", `no subscore "part"`},
		{"nested in not", `{"not": {"instrument": "ghost", "item": "x", "op": "answered"}}`, 200, "skip_if.not.instrument", `no instrument "ghost"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, errs := screening.Load(
				screening.Source{Name: "built-in", FS: mapFS("test.json", baseInstrument)},
				screening.Source{Name: "clinic", FS: mapFS("other.json", otherInstrument("other", tt.order, tt.rule))},
			)
			if len(errs) != 1 {
				t.Fatalf("errors %v, want one", errs)
			}
			fe := fileError(t, errs[0])
			if fe.File != "clinic/other.json" || fe.Item != "y" || fe.Field != tt.field || !strings.Contains(fe.Error(), tt.errHas) {
				t.Errorf("got %q (file %q item %q field %q), want item y field %s and %q", fe.Error(), fe.File, fe.Item, fe.Field, tt.field, tt.errHas)
			}
			if _, ok := c.Instrument("other"); ok {
				t.Error("the bad file was kept")
			}
			if _, ok := c.Instrument("test"); !ok || len(c.Instruments()) != 1 {
				t.Error("the good file was not kept")
			}
		})
	}
	// A valid cross-instrument rule loads, and is evaluated.
	c, errs := screening.Load(screening.Source{Name: "x", FS: mapFS(
		"test.json", baseInstrument,
		"other.json", otherInstrument("other", 200, `{"instrument": "test", "item": "a", "op": "eq", "values": ["lots"]}`),
	)})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	s := screening.NewSession(c, nil)
	set(t, s, pick("test", "a", "lots"))
	if _, ok := s.Step(key("other", "y"), now); ok {
		t.Error("other/y asked although test/a is lots")
	}
}

// Dropping a file whose rules fail can break a file that names it in turn.
func TestLoadDropsDependentsOfRejectedFiles(t *testing.T) {
	broken := mutate(t, baseInstrument, "\"min\": 0,\n    \"max\": 6,", "\"min\": 0,\n    \"max\": 7,")
	c, errs := screening.Load(screening.Source{Name: "clinic", FS: mapFS(
		"test.json", broken,
		"mid.json", otherInstrument("mid", 200, `{"instrument": "test", "item": "a", "op": "answered"}`),
		"top.json", otherInstrument("top", 300, `{"instrument": "mid", "item": "x", "op": "answered"}`),
	)})
	if len(errs) != 3 || len(c.Instruments()) != 0 {
		t.Errorf("errors %v, instruments %d", errs, len(c.Instruments()))
	}
}

func TestLoadDuplicateInstrumentID(t *testing.T) {
	copied := mutate(t, baseInstrument, `"title": {"en": "Test instrument"}`, `"title": {"en": "Copy"}`)
	c, errs := screening.Load(
		screening.Source{Name: "built-in", FS: mapFS("test.json", baseInstrument)},
		screening.Source{Name: "/var/lib/kiosk/instruments", FS: mapFS("copy.json", copied)},
	)
	if len(errs) != 1 {
		t.Fatalf("errors %v, want one", errs)
	}
	fe := fileError(t, errs[0])
	if fe.File != "/var/lib/kiosk/instruments/copy.json" || fe.Field != "id" || fe.Item != "" ||
		!strings.Contains(fe.Error(), `instrument "test" is already defined in built-in/test.json`) {
		t.Errorf("got %q (file %q field %q)", fe.Error(), fe.File, fe.Field)
	}
	if in, ok := c.Instrument("test"); !ok || in.Title["en"] != "Test instrument" {
		t.Error("the first definition was not kept")
	}
}

func TestLoadKeepsValidFiles(t *testing.T) {
	// The real files beside two broken ones: a syntax error and a band gap.
	files := fstest.MapFS{}
	builtinFS := builtinFiles(t)
	for name, f := range builtinFS {
		files[name] = f
	}
	files["zz-broken.json"] = &fstest.MapFile{Data: []byte(`{"id": "broken",`)}
	files["zz-gap.json"] = &fstest.MapFile{Data: []byte(mutate(t, baseInstrument, `{"min": 2, "max": 4,`, `{"min": 3, "max": 4,`))}
	files["notes.txt"] = &fstest.MapFile{Data: []byte("not an instrument")}
	c, errs := screening.Load(screening.Source{Name: "clinic", FS: files})
	var bad []string
	for _, err := range errs {
		bad = append(bad, fileError(t, err).File)
	}
	slices.Sort(bad)
	if !slices.Equal(bad, []string{"clinic/zz-broken.json", "clinic/zz-gap.json"}) {
		t.Errorf("rejected %v", bad)
	}
	if n := len(c.Instruments()); n != len(builtinFS) {
		t.Errorf("%d instruments kept, want the %d valid ones", n, len(builtinFS))
	}
	// The catalog still works: both kinds of session ask what the built-in
	// catalog asks.
	for _, kind := range []string{screening.ForScreening, screening.ForCheckin} {
		got := stepKeys(screening.NewSessionFor(c, kind, nil).Steps(now))
		want := stepKeys(screening.NewSessionFor(testkit.Catalog(t), kind, nil).Steps(now))
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s steps %v\nwant %v", kind, got, want)
		}
	}
}

// builtinFiles copies the embedded instrument files into a MapFS.
func builtinFiles(t *testing.T) fstest.MapFS {
	t.Helper()
	src := assetsFS()
	m := fstest.MapFS{}
	names, err := fs.Glob(src, "*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("built-in files %v: %v", names, err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(src, name)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: data}
	}
	return m
}
