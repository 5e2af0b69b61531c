package fhir

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"intakekiosk/screening"
)

type responseIn struct {
	ID            string            `json:"id"`
	Identifier    *identifier       `json:"identifier"`
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
	failAt := func(field string, format string, args ...any) error {
		return &ImportError{Response: name, Field: field, Err: fmt.Errorf(format, args...)}
	}
	var qr responseIn
	if err := json.Unmarshal(res.data, &qr); err != nil {
		return fail("", "%w", err)
	}
	in, err := rd.instrument(qr.Questionnaire)
	if err != nil {
		return failAt("QuestionnaireResponse.questionnaire", "%w", err)
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
		return failAt("QuestionnaireResponse.authored", "no authored time")
	}
	authored, err := time.Parse(time.RFC3339, qr.Authored)
	if err != nil {
		return failAt("QuestionnaireResponse.authored", "authored is not a date and time with its zone (YYYY-MM-DDThh:mm:ss+hh:mm)")
	}
	authored = authored.UTC()
	if authored.After(rd.opts.Now.Add(MaxClockSkew)) {
		// the time is not repeated: an error may reach a log
		return failAt("QuestionnaireResponse.authored", "authored after the time of import (more than %v ahead)", MaxClockSkew)
	}
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
	for i, item := range qr.Item {
		if item.LinkID == "" {
			return fail("", "an item has no linkId")
		}
		it, total := itemFor(in, item.LinkID)
		switch {
		case total:
			continue // the form's own total: the kiosk scores the answers
		case it == nil:
			return fail(item.LinkID, "%s has no such item", in.ID)
		case seen[it.ID]:
			return fail(item.LinkID, "the item appears twice")
		}
		seen[it.ID] = true
		a, ok, field, err := answerOf(in, it, item, authored)
		if err != nil {
			if field != "" {
				field = fmt.Sprintf("item[%d]", i) + field
			}
			return &ImportError{Response: name, LinkID: item.LinkID, Field: field, Err: err}
		}
		if ok {
			answers = append(answers, a)
		}
	}
	session := ""
	if qr.Identifier != nil && rd.ours(qr.Identifier.System, sessionIDPath) {
		session = qr.Identifier.Value
	}
	return rd.add(subject, session, who, authored, p, answers)
}

// instrument finds the instrument of a questionnaire canonical URL,
// the part after "|" its version: BASE/Questionnaire/ID on an allowed
// base (ReadOptions.Bases), or http://loinc.org/q/CODE,
// the instrument of that LOINC panel. Any other URL is refused.
func (rd *reader) instrument(canonical string) (*screening.Instrument, error) {
	if canonical == "" {
		return nil, errors.New("no questionnaire")
	}
	url, version, _ := strings.Cut(canonical, "|")
	shown := strconv.Quote(clip(canonical, 80))
	var in *screening.Instrument
	if code, ok := strings.CutPrefix(url, loincForms); ok {
		for _, x := range rd.cat.Instruments() {
			if code != "" && x.LOINC.Panel == code {
				in = x
				break
			}
		}
	} else {
		id, ok := rd.questionnaireID(url)
		if !ok {
			return nil, fmt.Errorf("questionnaire %s is not a canonical URL of this clinic or its sites (BASE%sID)", shown, questionnairePath)
		}
		in, _ = rd.cat.Instrument(id)
	}
	if in == nil {
		return nil, fmt.Errorf("questionnaire %s is not an instrument of this kiosk", shown)
	}
	if in.RatedByStaff() {
		// a clinician's rating is recorded at the desk, never a patient's form
		return nil, fmt.Errorf("questionnaire %s is rated by staff at the desk, not answered by a patient", shown)
	}
	if version != "" && version != in.Version {
		return nil, fmt.Errorf("questionnaire %s is version %s; this kiosk has %s version %s", shown, clip(version, 20), in.ID, in.Version)
	}
	return in, nil
}

// questionnaireID is the instrument id of BASE/Questionnaire/ID, on one
// of the allowed bases.
func (rd *reader) questionnaireID(url string) (string, bool) {
	for _, base := range rd.bases() {
		if id, ok := strings.CutPrefix(url, base+questionnairePath); ok && screening.IsID(id) {
			return id, true
		}
	}
	return "", false
}

// bases are the allowed canonical bases, without their final slash.
func (rd *reader) bases() []string {
	var out []string
	for _, base := range rd.opts.Bases {
		if base = strings.TrimRight(base, "/"); base != "" {
			out = append(out, base)
		}
	}
	return out
}

// ours says a URL is BASE+path on an allowed base: one of the kiosk's
// identifier systems.
func (rd *reader) ours(url, path string) bool {
	for _, base := range rd.bases() {
		if url == base+path {
			return true
		}
	}
	return false
}

// clip cuts s to at most n bytes, marking a cut: what a file says comes
// back short.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// itemFor finds the instrument's item a response item answers, by its
// linkId: the kiosk's own item id, the linkId the kiosk's Questionnaire
// gives it ("/" and its LOINC code, itemOf), or its LOINC code bare
// ("44250-9"). total is true for the instrument's total (the kiosk's
// total item, or a LOINC form's calculated one, bare or pathed), which is
// read past: the kiosk scores the answers themselves, as written.
func itemFor(in *screening.Instrument, linkID string) (it *screening.Item, total bool) {
	if it, ok := itemOf(in, linkID); ok {
		return it, false
	}
	code := strings.TrimPrefix(linkID, "/")
	if hasTotal(in) && (linkID == totalLinkID(in) || in.LOINC.Total != "" && code == in.LOINC.Total) {
		return nil, true
	}
	var found *screening.Item
	for i := range in.Items {
		if in.Items[i].LOINC == code && code != "" {
			if found != nil {
				return nil, false // two items share the code: only their ids name them
			}
			found = &in.Items[i]
		}
	}
	return found, false
}

// answerOf turns a response item into an answer checked against its item;
// false when the item has no answer (nor a declined mark). field is where
// a problem lies in the item, when in one answer (".answer[0].valueDecimal").
func answerOf(in *screening.Instrument, it *screening.Item, item itemIn, at time.Time) (a screening.Answer, ok bool, field string, err error) {
	a, ok, err = answerIn(in, it, item, at, &field)
	return a, ok, field, err
}

// answerIn is answerOf, setting *field where it can.
func answerIn(in *screening.Instrument, it *screening.Item, item itemIn, at time.Time, field *string) (screening.Answer, bool, error) {
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
	for j, raw := range item.Answer {
		v, err := valueOf(raw)
		if err != nil {
			*field = fmt.Sprintf(".answer[%d]", j)
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
	if j, err := setValue(&a, in, it, values); err != nil {
		*field = fmt.Sprintf(".answer[%d].value%s", j, values[j].kind)
		return a, false, err
	}
	if len(values) == 1 {
		*field = ".answer[0].value" + values[0].kind
	} else {
		*field = ".answer"
	}
	if err := it.Validate(a, at); err != nil {
		if ae, ok := errors.AsType[*screening.AnswerError](err); ok {
			return a, false, ae.Err // the caller names the item
		}
		return a, false, err
	}
	*field = ""
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

// setValue fills the answer's field for its item's kind from the values;
// on an error, the index of the value at fault.
func setValue(a *screening.Answer, in *screening.Instrument, it *screening.Item, values []answerValue) (int, error) {
	t := answerTypeOf(it.Kind)
	if t.read == nil {
		return 0, fmt.Errorf("a %s item cannot be imported", it.Kind)
	}
	for j, v := range values {
		if !slices.Contains(t.takes, v.kind) {
			return j, fmt.Errorf("value%s given, a %s item takes %s", v.kind, t.name, t.expects())
		}
		if err := t.read(a, in, it, v); err != nil {
			return j, err
		}
	}
	return 0, nil
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
