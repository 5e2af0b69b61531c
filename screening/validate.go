package screening

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// IsID reports whether s is a valid instrument, item, flag or option set
// id: lower-case letters, digits, - and _, starting with a letter or digit.
func IsID(s string) bool { return idPattern.MatchString(s) }

var (
	idPattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	loincPattern = regexp.MustCompile(`^[0-9]{1,7}-[0-9]$`)
	laPattern    = regexp.MustCompile(`^LA[0-9]{1,6}-[0-9]$`)
)

const maxOptionPoints = 20

// validate checks an instrument on its own and resolves option sets.
func (in *Instrument) validate() error {
	bad := func(item, field, format string, args ...any) error {
		return &FileError{Item: item, Field: field, Err: fmt.Errorf(format, args...)}
	}
	if !idPattern.MatchString(in.ID) {
		return bad("", "id", "%q is not a valid id (lower-case letters, digits, - and _)", in.ID)
	}
	if in.Version == "" {
		return bad("", "version", "missing")
	}
	for field, t := range map[string]Text{"title": in.Title, "short_title": in.ShortTitle} {
		if t["en"] == "" {
			return bad("", field+".en", "missing English text")
		}
	}
	if len(in.Instructions) > 0 && in.Instructions["en"] == "" {
		return bad("", "instructions.en", "missing English text")
	}
	if in.Attribution == "" {
		return bad("", "attribution", "missing (every instrument names its source)")
	}
	if err := in.LOINC.check("loinc"); err != nil {
		return err
	}
	for i, k := range in.For {
		if k != ForScreening && k != ForCheckin && k != ForSchedule && k != ForStaff {
			return bad("", fmt.Sprintf("for[%d]", i), "%q is not a kind of visit (screening, checkin, schedule) nor staff", k)
		}
		if k == ForStaff && len(in.For) > 1 {
			return bad("", fmt.Sprintf("for[%d]", i), "an instrument staff rate is never asked at a patient's visit: give \"staff\" alone")
		}
	}
	if in.RatedByStaff() {
		if in.Scoring == nil {
			return bad("", "scoring", "an instrument staff rate needs a scoring block (its total is what it records)")
		}
		declines := slices.ContainsFunc(in.Items, func(it Item) bool { return it.AllowDecline != nil && *it.AllowDecline })
		if in.AllowDecline || declines || in.SkipIf != nil || len(in.Flags) > 0 {
			return bad("", "for", "an instrument staff rate takes every item rated: no allow_decline, skip_if or flags")
		}
	}
	if len(in.Items) == 0 {
		return bad("", "items", "no items")
	}
	in.index = make(map[string]int, len(in.Items))
	for i := range in.Items {
		it := &in.Items[i]
		field := fmt.Sprintf("items[%d]", i)
		if !idPattern.MatchString(it.ID) {
			return bad(it.ID, field+".id", "%q is not a valid id", it.ID)
		}
		if _, dup := in.index[it.ID]; dup {
			return bad(it.ID, field+".id", "duplicate item id")
		}
		if err := in.validateItem(it); err != nil {
			return err
		}
		if err := in.answerCodes(it); err != nil {
			return err
		}
		if it.SkipIf != nil {
			if err := in.validateRule(it.SkipIf, it.ID, "skip_if", i); err != nil {
				return err
			}
		}
		for j, o := range it.Options {
			if o.ShowIf != nil {
				if err := in.validateRule(o.ShowIf, it.ID, fmt.Sprintf("options[%d].show_if", j), i); err != nil {
					return err
				}
			}
		}
		in.index[it.ID] = i
	}
	if in.SkipIf != nil {
		if err := in.validateRule(in.SkipIf, "", "skip_if", -1); err != nil {
			return err
		}
	}
	if in.Scoring != nil {
		if err := in.validateScoring(); err != nil {
			return err
		}
	}
	ids := map[string]bool{}
	for i := range in.Flags {
		f := &in.Flags[i]
		field := fmt.Sprintf("flags[%d]", i)
		if !idPattern.MatchString(f.ID) || ids[f.ID] {
			return bad("", field+".id", "%q is missing, invalid or used twice", f.ID)
		}
		ids[f.ID] = true
		if f.Label["en"] == "" {
			return bad("", field+".label.en", "missing English text")
		}
		if f.Urgent && f.Attention {
			return bad("", field+".attention", "an urgent flag already pins the session: set urgent or attention, not both")
		}
		if err := in.validateRule(&f.When, "", field+".when", len(in.Items)); err != nil {
			return err
		}
	}
	return nil
}

func (in *Instrument) validateItem(it *Item) error {
	bad := func(field, format string, args ...any) error {
		return &FileError{Item: it.ID, Field: field, Err: fmt.Errorf(format, args...)}
	}
	if it.Text["en"] == "" {
		return bad("text.en", "missing English text")
	}
	if it.LOINC != "" && !loincPattern.MatchString(it.LOINC) {
		return bad("loinc", "%q is not a LOINC code", it.LOINC)
	}
	if it.LOINCDisplay != "" && it.LOINC == "" {
		return bad("loinc_display", "a display without a LOINC code")
	}
	spec, ok := kinds[it.Kind]
	it.kindSpec = spec
	if !ok {
		return bad("kind", "%q is not one of %s", it.Kind, kindNames())
	}
	if !spec.choice {
		if len(it.Options) > 0 || it.OptionSet != "" {
			return bad("options", "only choice items have options")
		}
	} else if it.OptionSet != "" {
		if len(it.Options) > 0 {
			return bad("option_set", "give options or option_set, not both")
		}
		set, ok := in.OptionSets[it.OptionSet]
		if !ok {
			return bad("option_set", "no option set %q in option_sets", it.OptionSet)
		}
		it.Options = set
	}
	if it.StepSet != "" {
		set, ok := in.StepSets[it.StepSet]
		switch {
		case it.Kind != Number:
			return bad("step_set", "only number items have steps")
		case len(it.Steps) > 0:
			return bad("step_set", "give steps or step_set, not both")
		case !ok:
			return bad("step_set", "no step set %q in step_sets", it.StepSet)
		}
		it.Steps = set
	} else if len(it.Steps) > 0 && it.Kind != Number {
		return bad("steps", "only number items have steps")
	}
	if field, err := spec.define(it); err != nil {
		return &FileError{Item: it.ID, Field: field, Err: err}
	}
	return nil
}

func (in *Instrument) validateScoring() error {
	s := in.Scoring
	bad := func(item, field, format string, args ...any) error {
		return &FileError{Item: item, Field: "scoring." + field, Err: fmt.Errorf(format, args...)}
	}
	if len(s.Items) == 0 {
		return bad("", "items", "no items to score")
	}
	lo, hi := 0, 0
	seen := map[string]bool{}
	for j, id := range s.Items {
		it, ok := in.itemByID(id)
		if !ok {
			return bad(id, fmt.Sprintf("items[%d]", j), "no item %q", id)
		}
		if seen[id] {
			return bad(id, fmt.Sprintf("items[%d]", j), "item scored twice")
		}
		seen[id] = true
		spec := it.spec()
		if !it.scorable() {
			if spec.span != nil {
				return bad(id, fmt.Sprintf("items[%d]", j), "a %s item without steps cannot be scored", it.Kind)
			}
			return bad(id, fmt.Sprintf("items[%d]", j), "a %s item cannot be scored", it.Kind)
		}
		l, h := spec.span(it)
		lo, hi = lo+l, hi+h
	}
	for j, id := range s.Reverse {
		if !seen[id] {
			return bad(id, fmt.Sprintf("reverse[%d]", j), "reverse-scored item %q is not scored", id)
		}
		if it, _ := in.itemByID(id); !it.spec().reversible {
			return bad(id, fmt.Sprintf("reverse[%d]", j), "only a single choice item can be reverse-scored")
		}
	}
	switch {
	case s.NoTotal && (s.Min != 0 || s.Max != 0 || len(s.Bands) > 0 || len(s.BandSets) > 0):
		return bad("", "no_total", "an instrument without a total gives no min, max or bands")
	case s.NoTotal && len(s.Subscores) == 0:
		return bad("", "no_total", "an instrument without a total needs subscores")
	case !s.NoTotal && (s.Min != lo || s.Max != hi):
		return bad("", "max", "the items add up to %d-%d, the file says %d-%d", lo, hi, s.Min, s.Max)
	}
	if len(s.Bands) > 0 && len(s.BandSets) > 0 {
		return bad("", "bands", "give bands or band_sets, not both")
	}
	if err := checkBands(s.Bands, s.Min, s.Max, "scoring.bands"); err != nil {
		return err
	}
	defaults := 0
	for j := range s.BandSets {
		bs := &s.BandSets[j]
		field := fmt.Sprintf("band_sets[%d]", j)
		if bs.When == nil {
			defaults++
		} else if err := in.validateRule(bs.When, "", "scoring."+field+".when", len(in.Items)); err != nil {
			return err
		}
		if len(bs.Bands) == 0 {
			return bad("", field+".bands", "no bands")
		}
		if err := checkBands(bs.Bands, s.Min, s.Max, "scoring."+field+".bands"); err != nil {
			return err
		}
	}
	if len(s.BandSets) > 0 && defaults != 1 {
		return bad("", "band_sets", "exactly one band set must have no rule (the default), found %d", defaults)
	}
	for j := range s.Subscores {
		sub := &s.Subscores[j]
		field := fmt.Sprintf("subscores[%d]", j)
		if !idPattern.MatchString(sub.ID) || sub.ID == "total" {
			return bad("", field+".id", "%q is not a valid subscore id", sub.ID)
		}
		if err := sub.LOINC.check("scoring." + field + ".loinc"); err != nil {
			return err
		}
		smin, smax := 0, 0
		for k, id := range sub.Items {
			if !seen[id] {
				return bad(id, fmt.Sprintf("%s.items[%d]", field, k), "item %q is not scored", id)
			}
			it, _ := in.itemByID(id)
			l, h := it.spec().span(it)
			smin, smax = smin+l, smax+h
		}
		if len(sub.Bands) > 0 {
			if err := checkBands(sub.Bands, smin, smax, "scoring."+field+".bands"); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkBands requires bands in order, each Min <= Max, covering lo..hi
// with no gap and no overlap.
func checkBands(bands []Band, lo, hi int, field string) error {
	if len(bands) == 0 {
		return nil
	}
	next := lo
	for j, b := range bands {
		f := fmt.Sprintf("%s[%d]", field, j)
		switch {
		case b.Label["en"] == "":
			return &FileError{Field: f + ".label.en", Err: errors.New("missing English text")}
		case b.Min > b.Max:
			return &FileError{Field: f, Err: fmt.Errorf("min %d is above max %d", b.Min, b.Max)}
		case b.Min > next:
			return &FileError{Field: f + ".min", Err: fmt.Errorf("gap: no band covers %d to %d", next, b.Min-1)}
		case b.Min < next:
			return &FileError{Field: f + ".min", Err: fmt.Errorf("overlap: %d is already covered by the band before", b.Min)}
		case b.Level < 0 || b.Level > 4:
			return &FileError{Field: f + ".level", Err: fmt.Errorf("%d is out of range (0 to 4)", b.Level)}
		case b.Code != "" && !idPattern.MatchString(b.Code):
			return &FileError{Field: f + ".code", Err: fmt.Errorf("%q is not a valid code (lower-case letters, digits, - and _)", b.Code)}
		case b.Code != "" && slices.ContainsFunc(bands[:j], func(o Band) bool { return o.Code == b.Code }):
			return &FileError{Field: f + ".code", Err: fmt.Errorf("%q names another band of the score too", b.Code)}
		case b.LOINC != "" && !laPattern.MatchString(b.LOINC):
			return &FileError{Field: f + ".loinc", Err: fmt.Errorf("%q is not a LOINC answer code", b.LOINC)}
		case (b.LOINC == "") != (b.LOINCDisplay == ""):
			return &FileError{Field: f + ".loinc_display", Err: errors.New("a LOINC answer code and its display go together")}
		case b.Interpretation != "" && Interpretations[b.Interpretation] == "":
			return &FileError{Field: f + ".interpretation", Err: fmt.Errorf("%q is not an HL7 ObservationInterpretation code this kiosk writes (%s)", b.Interpretation, interpretationNames())}
		}
		next = b.Max + 1
	}
	if next != hi+1 {
		return &FileError{Field: field, Err: fmt.Errorf("the bands end at %d, the score goes to %d", next-1, hi)}
	}
	return nil
}

// interpretationNames lists the HL7 interpretation codes a band may name.
func interpretationNames() string {
	names := slices.Sorted(maps.Keys(Interpretations))
	return strings.Join(names, ", ")
}

// check requires LOINC codes of the right form, and a display only with
// its code (a code without one is written without a display).
func (l LOINC) check(field string) error {
	for _, c := range []struct{ name, code, display string }{{"panel", l.Panel, l.PanelDisplay}, {"total", l.Total, l.TotalDisplay}} {
		switch {
		case c.code != "" && !loincPattern.MatchString(c.code):
			return &FileError{Field: field + "." + c.name, Err: fmt.Errorf("%q is not a LOINC code", c.code)}
		case c.code == "" && c.display != "":
			return &FileError{Field: field + "." + c.name + "_display", Err: errors.New("a long common name without its LOINC code")}
		}
	}
	return nil
}

// answerCodes requires, in an instrument LOINC publishes as a panel, a
// LOINC answer code on every option of every choice item, so that no
// answer of it leaves the kiosk in a code system of the clinic's own.
func (in *Instrument) answerCodes(it *Item) error {
	if in.LOINC.Panel == "" {
		return nil
	}
	for j, o := range it.Options {
		if o.LOINC == "" {
			return &FileError{Item: it.ID, Field: fmt.Sprintf("options[%d].loinc", j), Err: fmt.Errorf("missing: instrument %s is LOINC panel %s, so each answer needs its LOINC answer code", in.ID, in.LOINC.Panel)}
		}
	}
	return nil
}

// itemByID finds an item while the index is still being built.
func (in *Instrument) itemByID(id string) (*Item, bool) {
	for i := range in.Items {
		if in.Items[i].ID == id {
			return &in.Items[i], true
		}
	}
	return nil, false
}

// validateRule checks a rule's shape and its references to this
// instrument's items; before limits them to items earlier than that index
// (branching may only look back), -1 meaning none of this instrument's
// items. References to other instruments are checked by the catalog.
func (in *Instrument) validateRule(r *Rule, item, field string, before int) error {
	bad := func(f, format string, args ...any) error {
		return &FileError{Item: item, Field: field + f, Err: fmt.Errorf(format, args...)}
	}
	parts := 0
	for _, set := range []bool{len(r.All) > 0, len(r.Any) > 0, r.Not != nil, r.Op != ""} {
		if set {
			parts++
		}
	}
	if parts != 1 {
		return bad("", "a rule needs exactly one of all, any, not or op")
	}
	for name, list := range map[string][]Rule{"all": r.All, "any": r.Any} {
		for j := range list {
			if err := in.validateRule(&list[j], item, fmt.Sprintf("%s.%s[%d]", field, name, j), before); err != nil {
				return err
			}
		}
	}
	if r.Not != nil {
		return in.validateRule(r.Not, item, field+".not", before)
	}
	if r.Op == "" {
		return nil
	}
	if (r.Item == "") == (r.Score == "") {
		return bad("", "a test names exactly one of item or score")
	}
	if !knownOp(r.Op) {
		return bad(".op", "%q is not a known operator", r.Op)
	}
	needNumber := slices.Contains([]string{"gt", "ge", "lt", "le"}, r.Op)
	needValues := slices.Contains([]string{"eq", "ne", "in", "includes", "excludes"}, r.Op)
	if r.Score != "" {
		if !needNumber && r.Op != "eq" {
			return bad(".op", "a score is compared with gt, ge, lt, le or eq")
		}
		if r.Number == nil {
			return bad(".number", "missing")
		}
	} else {
		switch {
		case needNumber && r.Number == nil:
			return bad(".number", "missing")
		case needValues && len(r.Values) == 0:
			return bad(".values", "missing")
		}
	}
	if r.Instrument != "" && r.Instrument != in.ID {
		return nil // checked by the catalog
	}
	if r.Score != "" {
		if in.Scoring == nil {
			return bad(".score", "the instrument has no scoring")
		}
		items := in.Scoring.Items
		if r.Score != "total" {
			sub, ok := in.subscore(r.Score)
			if !ok {
				return bad(".score", "no subscore %q", r.Score)
			}
			items = sub.Items
		}
		// Branching may only look back here too: a skip_if that tests a
		// score counting its own item (or a later one) would recurse
		// forever when evaluated.
		for _, id := range items {
			pos := slices.IndexFunc(in.Items, func(it Item) bool { return it.ID == id })
			if pos >= 0 && (before < 0 || pos >= before) {
				return bad(".score", "score %q counts item %q, which does not come before this one", r.Score, id)
			}
		}
		return nil
	}
	pos := slices.IndexFunc(in.Items, func(it Item) bool { return it.ID == r.Item })
	switch {
	case before < 0:
		return bad(".item", "an instrument's own skip_if cannot test its items")
	case pos < 0:
		return bad(".item", "no item %q", r.Item)
	case pos >= before:
		return bad(".item", "item %q does not come before this one", r.Item)
	}
	return checkOpFits(&in.Items[pos], r, func(f, format string, args ...any) error { return bad(f, format, args...) })
}

// checkOpFits checks that the operator suits the item's kind and that the
// values name its options.
func checkOpFits(it *Item, r *Rule, bad func(f, format string, args ...any) error) error {
	if !it.Kind.testedBy(r.Op) {
		return bad(".op", "%q cannot test a %s item", r.Op, it.Kind)
	}
	for j, v := range r.Values {
		if _, ok := it.Option(v); !ok {
			return bad(fmt.Sprintf(".values[%d]", j), "%q is not an option of item %q", v, it.ID)
		}
	}
	return nil
}
