package fhir

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"intakekiosk/screening"
)

type responseIn struct {
	ID            string            `json:"id"`
	Questionnaire string            `json:"questionnaire"`
	Status        string            `json:"status"`
	Subject       *reference        `json:"subject"`
	Authored      string            `json:"authored"`
	Item          []itemIn          `json:"item"`
	Contained     []json.RawMessage `json:"contained"`
}

type itemIn struct {
	LinkID    string                       `json:"linkId"`
	Extension []extension                  `json:"extension"`
	Answer    []map[string]json.RawMessage `json:"answer"`
	Item      []json.RawMessage            `json:"item"`
}

// response reads one resource of the input if it is a
// QuestionnaireResponse, and adds its answers to its group.
func (rd *reader) response(res rawResource) error {
	var h head
	if err := json.Unmarshal(res.data, &h); err != nil {
		return fmt.Errorf("%s: %w", res.name, err)
	}
	if h.ResourceType != "QuestionnaireResponse" {
		return nil
	}
	name := h.ID
	if name == "" {
		name = res.name
		if res.fullURL != "" {
			name = res.fullURL
		}
	}
	fail := func(linkID string, format string, args ...any) error {
		return &ImportError{Response: name, LinkID: linkID, Err: fmt.Errorf(format, args...)}
	}
	var qr responseIn
	if err := json.Unmarshal(res.data, &qr); err != nil {
		return fail("", "%w", err)
	}
	in, err := rd.instrument(qr.Questionnaire)
	if err != nil {
		return fail("", "%w", err)
	}
	p := part{in: in, response: name}
	switch qr.Status {
	case "completed", "amended":
		p.complete = true
	case "in-progress", "stopped":
	default:
		return fail("", "status %q is not imported (completed, amended, in-progress or stopped)", qr.Status)
	}
	if qr.Authored == "" {
		return fail("", "no authored time")
	}
	authored, err := time.Parse(time.RFC3339, qr.Authored)
	if err != nil {
		return fail("", "authored is not a date and time with its zone (YYYY-MM-DDThh:mm:ss+hh:mm)")
	}
	authored = authored.UTC()
	var who screening.Identity
	subject := ""
	if qr.Subject != nil && qr.Subject.Reference != "" {
		subject = qr.Subject.Reference
		who, _ = rd.subject(subject, qr.Contained)
		if err := checkIdentity(who, authored); err != nil {
			return fail("", "patient %s: %w", subject, err)
		}
	}
	seen := map[string]bool{}
	var answers []screening.Answer
	for _, item := range qr.Item {
		if item.LinkID == "" {
			return fail("", "an item has no linkId")
		}
		if seen[item.LinkID] {
			return fail(item.LinkID, "the item appears twice")
		}
		seen[item.LinkID] = true
		it, ok := in.Item(item.LinkID)
		if !ok {
			return fail(item.LinkID, "%s has no such item", in.ID)
		}
		a, ok, err := answerOf(in, it, item, authored)
		if err != nil {
			return &ImportError{Response: name, LinkID: item.LinkID, Err: err}
		}
		if ok {
			answers = append(answers, a)
		}
	}
	return rd.add(subject, who, authored, p, answers)
}

// instrument finds the instrument of a questionnaire canonical URL: the
// last path segment is its id, the part after "|" its version.
func (rd *reader) instrument(canonical string) (*screening.Instrument, error) {
	if canonical == "" {
		return nil, errors.New("no questionnaire")
	}
	url, version, _ := strings.Cut(canonical, "|")
	id := url[strings.LastIndex(url, "/")+1:]
	in, ok := rd.cat.Instrument(id)
	if !ok {
		return nil, fmt.Errorf("questionnaire %q is not an instrument of this kiosk", canonical)
	}
	if version != "" && version != in.Version {
		return nil, fmt.Errorf("questionnaire %q is version %s; this kiosk has %s version %s", canonical, version, in.ID, in.Version)
	}
	return in, nil
}

// answerOf turns a response item into an answer checked against its item;
// false when the item has no answer (nor a declined mark).
func answerOf(in *screening.Instrument, it *screening.Item, item itemIn, at time.Time) (screening.Answer, bool, error) {
	a := screening.Answer{Instrument: in.ID, Item: it.ID, At: at}
	if len(item.Item) > 0 {
		return a, false, errors.New("nested items are not part of this instrument")
	}
	declined := false
	for _, e := range item.Extension {
		if e.URL == dataAbsentReason && e.ValueCode == askedDeclined {
			declined = true
		}
	}
	values := make([]answerValue, 0, len(item.Answer))
	for _, raw := range item.Answer {
		v, err := valueOf(raw)
		if err != nil {
			return a, false, err
		}
		values = append(values, v)
	}
	switch {
	case declined && len(values) > 0:
		return a, false, errors.New("marked declined but answered")
	case declined:
		if !in.CanDecline(it) {
			return a, false, errors.New("this item cannot be declined")
		}
		a.Declined = true
		return a, true, nil
	case len(values) == 0:
		return a, false, nil
	case !answerTypeOf(it.Kind).many && len(values) > 1:
		return a, false, fmt.Errorf("%d answers to a %s item, which takes one", len(values), answerTypeOf(it.Kind).name)
	}
	if err := setValue(&a, in, it, values); err != nil {
		return a, false, err
	}
	if err := it.Validate(a, at); err != nil {
		if ae, ok := errors.AsType[*screening.AnswerError](err); ok {
			return a, false, ae.Err // the caller names the item
		}
		return a, false, err
	}
	return a, true, nil
}

// answerValue is an answer's one value[x] element.
type answerValue struct {
	kind string // "Coding", "Decimal", ...
	raw  json.RawMessage
}

// valueOf finds an answer's value: exactly one value[x] element (other
// elements, such as extension, are ignored; nested items are refused).
func valueOf(answer map[string]json.RawMessage) (answerValue, error) {
	var v answerValue
	for k, raw := range answer {
		if k == "item" {
			return v, errors.New("nested items in an answer are not part of this instrument")
		}
		kind, ok := strings.CutPrefix(k, "value")
		if !ok || kind == "" {
			continue
		}
		if v.kind != "" {
			return v, errors.New("an answer has more than one value")
		}
		v = answerValue{kind: kind, raw: raw}
	}
	if v.kind == "" {
		return v, errors.New("an answer has no value")
	}
	return v, nil
}

// setValue fills the answer's field for its item's kind from the values.
func setValue(a *screening.Answer, in *screening.Instrument, it *screening.Item, values []answerValue) error {
	t := answerTypeOf(it.Kind)
	if t.read == nil {
		return fmt.Errorf("a %s item cannot be imported", it.Kind)
	}
	for _, v := range values {
		if !slices.Contains(t.takes, v.kind) {
			return fmt.Errorf("value%s given, a %s item takes %s", v.kind, t.name, t.expects())
		}
		if err := t.read(a, in, it, v); err != nil {
			return err
		}
	}
	return nil
}

// optionOf finds the option a valueCoding names: by its LOINC answer code
// (system http://loinc.org), or by its value (the instrument's own code
// system, or no system).
func optionOf(in *screening.Instrument, it *screening.Item, raw json.RawMessage) (string, error) {
	var c coding
	if err := json.Unmarshal(raw, &c); err != nil {
		return "", errors.New("valueCoding is not a Coding")
	}
	switch {
	case c.System == loincSystem:
		for _, o := range it.Options {
			if o.LOINC != "" && o.LOINC == c.Code {
				return o.Value, nil
			}
		}
	case c.System == "" || strings.HasSuffix(c.System, codeSystemPath+in.ID):
		if _, ok := it.Option(c.Code); ok {
			return c.Code, nil
		}
	default:
		return "", fmt.Errorf("code system %q is neither LOINC nor %s's own", c.System, in.ID)
	}
	// the code is what the patient answered: not repeated (an error may
	// reach a log)
	if c.System == loincSystem {
		return "", errors.New("the LOINC answer code is not one of the item's options")
	}
	return "", errors.New("the answer code is not one of the item's options")
}
