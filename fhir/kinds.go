package fhir

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"intakekiosk/screening"
)

// answerType is how a QuestionnaireResponse carries one kind of item's
// answer. answerTypeOf is the package's whole knowledge of item kinds: a
// new kind is one case there.
type answerType struct {
	// name is how an error names the kind ("single choice").
	name string
	// takes are the value[x] types it reads ("Coding"); many: it takes
	// several answers.
	takes []string
	many  bool
	// write gives the answer's values (none when there is nothing to
	// write); read sets the answer from one value of a type it takes.
	write func(w *Writer, in *screening.Instrument, it *screening.Item, a screening.Answer) []responseAnswer
	read  func(a *screening.Answer, in *screening.Instrument, it *screening.Item, v answerValue) error
	// question is the Questionnaire item type ("choice"; "": the kind is
	// not exported) and define sets the item's kind-specific parts;
	// compares is what a rule's gt, ge, lt and le compare (enableWhen).
	question string
	define   func(w *Writer, in *screening.Instrument, it *screening.Item, q *questionItem)
	compares string
}

// What a rule's comparison of an item compares: the number answered, or
// the points of the option chosen.
const (
	comparesValue  = "value"
	comparesPoints = "points"
)

// expects names the value[x] elements the kind takes.
func (t answerType) expects() string {
	names := make([]string, len(t.takes))
	for i, k := range t.takes {
		names[i] = "value" + k
	}
	return strings.Join(names, " or ")
}

// answerTypeOf is the answer type of an item kind; one the exporter does
// not know writes nothing and cannot be imported.
func answerTypeOf(kind screening.Kind) answerType {
	switch kind {
	case screening.Single:
		return answerType{name: "single choice", takes: []string{"Coding"}, question: "choice", compares: comparesPoints,
			define: func(w *Writer, in *screening.Instrument, it *screening.Item, q *questionItem) {
				q.AnswerOption = w.options(in, it)
				q.Extension = append(q.Extension, control("radio-button", "Radio Button"))
			},
			write: func(w *Writer, in *screening.Instrument, it *screening.Item, a screening.Answer) []responseAnswer {
				return []responseAnswer{{ValueCoding: w.coding(in, it, a.Choice)}}
			},
			read: func(a *screening.Answer, in *screening.Instrument, it *screening.Item, v answerValue) (err error) {
				a.Choice, err = optionOf(in, it, v.raw)
				return err
			}}
	case screening.Multi:
		return answerType{name: "multiple choice", takes: []string{"Coding"}, many: true, question: "choice",
			define: func(w *Writer, in *screening.Instrument, it *screening.Item, q *questionItem) {
				q.Repeats, q.AnswerOption = true, w.options(in, it)
				q.Extension = append(q.Extension, control("check-box", "Check-box"))
			},
			write: func(w *Writer, in *screening.Instrument, it *screening.Item, a screening.Answer) []responseAnswer {
				var out []responseAnswer
				for _, c := range a.Choices {
					out = append(out, responseAnswer{ValueCoding: w.coding(in, it, c)})
				}
				return out
			},
			read: func(a *screening.Answer, in *screening.Instrument, it *screening.Item, v answerValue) error {
				choice, err := optionOf(in, it, v.raw)
				if err == nil {
					a.Choices = append(a.Choices, choice)
				}
				return err
			}}
	case screening.Number:
		return answerType{name: "number", takes: []string{"Decimal", "Integer"}, question: "decimal", compares: comparesValue,
			define: func(_ *Writer, _ *screening.Instrument, it *screening.Item, q *questionItem) {
				if it.Min != nil {
					q.Extension = append(q.Extension, valueExt{URL: minValueURL, ValueDecimal: it.Min})
				}
				if it.Max != nil {
					q.Extension = append(q.Extension, valueExt{URL: maxValueURL, ValueDecimal: it.Max})
				}
				places := it.Decimals
				q.Extension = append(q.Extension, valueExt{URL: maxDecimalsURL, ValueInteger: &places})
				if u := it.Unit["en"]; u != "" {
					q.Extension = append(q.Extension, valueExt{URL: unitURL, ValueCoding: &coding{Display: u}})
				}
			},
			write: func(_ *Writer, _ *screening.Instrument, _ *screening.Item, a screening.Answer) []responseAnswer {
				if a.Number == nil {
					return nil
				}
				return []responseAnswer{{ValueDecimal: a.Number}}
			},
			read: func(a *screening.Answer, _ *screening.Instrument, _ *screening.Item, v answerValue) error {
				var n float64
				if err := json.Unmarshal(v.raw, &n); err != nil {
					return fmt.Errorf("value%s is not a number in range", v.kind)
				}
				a.Number = &n
				return nil
			}}
	case screening.When:
		return answerType{name: "date and time", takes: []string{"DateTime"}, question: "dateTime",
			write: func(_ *Writer, _ *screening.Instrument, _ *screening.Item, a screening.Answer) []responseAnswer {
				if a.Time == nil {
					return nil
				}
				return []responseAnswer{{ValueDateTime: fhirTime(*a.Time)}}
			},
			read: func(a *screening.Answer, _ *screening.Instrument, _ *screening.Item, v answerValue) error {
				var s string
				if json.Unmarshal(v.raw, &s) != nil {
					return errors.New("valueDateTime is not a string")
				}
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					return fmt.Errorf("valueDateTime is not a date and time with its zone (YYYY-MM-DDThh:mm:ss+hh:mm)")
				}
				t = t.UTC()
				a.Time, a.Given = &t, "datetime"
				return nil
			}}
	case screening.Free:
		return answerType{name: "text", takes: []string{"String"}, question: "string",
			define: func(_ *Writer, _ *screening.Instrument, it *screening.Item, q *questionItem) {
				q.MaxLength = it.MaxChars()
			},
			write: func(_ *Writer, _ *screening.Instrument, _ *screening.Item, a screening.Answer) []responseAnswer {
				if a.Text == "" {
					return nil
				}
				text := a.Text
				return []responseAnswer{{ValueString: &text}}
			},
			read: func(a *screening.Answer, _ *screening.Instrument, _ *screening.Item, v answerValue) error {
				if json.Unmarshal(v.raw, &a.Text) != nil {
					return errors.New("valueString is not a string")
				}
				return nil
			}}
	}
	return answerType{name: string(kind),
		write: func(*Writer, *screening.Instrument, *screening.Item, screening.Answer) []responseAnswer { return nil }}
}
