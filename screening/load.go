package screening

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// FileError is a problem found in one instrument file. It names the file,
// the item (when the problem is in one) and the field.
type FileError struct {
	File  string
	Item  string
	Field string
	Err   error
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Item != "" {
		fmt.Fprintf(&b, ": item %s", quote(e.Item))
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": field %s", clip(e.Field, 80))
	}
	// A file's own words come back quoted and cut short (quote); this
	// keeps what encoding/json echoes short too (an unknown field's name).
	fmt.Fprintf(&b, ": %s", clip(fmt.Sprint(e.Err), 200))
	return b.String()
}

func (e *FileError) Unwrap() error { return e.Err }

// Source is a folder of instrument files (*.json at its top level). Name
// prefixes file names in errors ("built-in", or the folder's path).
type Source struct {
	Name string
	FS   fs.FS
}

// Catalog is a validated set of instruments, in session order.
type Catalog struct {
	list []*Instrument
	byID map[string]*Instrument
}

// Instruments returns the instruments in session order.
func (c *Catalog) Instruments() []*Instrument { return c.list }

// Instrument returns the instrument with the given id.
func (c *Catalog) Instrument(id string) (*Instrument, bool) {
	in, ok := c.byID[id]
	return in, ok
}

// sort puts the instruments in session order: by Order, then id.
func (c *Catalog) sort() {
	slices.SortStableFunc(c.list, func(a, b *Instrument) int {
		return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.ID, b.ID))
	})
}

// Load reads every instrument file of the sources, validates each, and
// returns a catalog of the valid ones with one error per rejected file. A
// file whose id is already taken, or whose rules name an instrument or
// item that is not in the catalog, is rejected too.
func Load(sources ...Source) (*Catalog, []error) {
	var errs []error
	var all []*Instrument
	for _, src := range sources {
		entries, err := fs.ReadDir(src.FS, ".")
		if err != nil {
			errs = append(errs, fmt.Errorf("instrument folder %s: %w", src.Name, err))
			continue
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || path.Ext(name) != ".json" {
				continue
			}
			file := path.Join(src.Name, name)
			data, err := ReadFile(src.FS, name, file)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			in, err := Parse(file, data)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			all = append(all, in)
		}
	}
	c := &Catalog{byID: map[string]*Instrument{}}
	for _, in := range all {
		if prev, ok := c.byID[in.ID]; ok {
			errs = append(errs, &FileError{File: in.Source, Field: "id",
				Err: fmt.Errorf("instrument %q is already defined in %s", in.ID, prev.Source)})
			continue
		}
		c.byID[in.ID] = in
		c.list = append(c.list, in)
	}
	c.sort()
	// Drop instruments whose cross-instrument rules do not resolve, until
	// none is left (dropping one may break another).
	for changed := true; changed; {
		changed = false
		for _, in := range c.list {
			if err := c.checkCrossRefs(in); err != nil {
				errs = append(errs, err)
				c.list = slices.DeleteFunc(c.list, func(x *Instrument) bool { return x == in })
				delete(c.byID, in.ID)
				changed = true
				break
			}
		}
	}
	return c, errs
}

// Parse decodes and validates one instrument file on its own (rules that
// name other instruments are checked by Load). file names it in errors.
func Parse(file string, data []byte) (*Instrument, error) {
	if err := checkText(data); err != nil {
		err.(*FileError).File = file
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var in Instrument
	if err := dec.Decode(&in); err != nil {
		fe := &FileError{File: file}
		desc := describeJSONError(data, err)
		if spot, ok := locateJSON(data); ok {
			fe.Item, fe.Field = spot.item, spot.field
			if desc == err { // no line yet (an unknown field)
				desc = fmt.Errorf("line %d: %w", spot.line, err)
			}
		}
		fe.Err = fmt.Errorf("not a valid instrument file: %w", desc)
		return nil, fe
	}
	if dec.More() {
		return nil, &FileError{File: file, Err: errors.New("not a valid instrument file: text after the closing brace")}
	}
	in.Source = file
	if err := in.checkLimits(); err != nil {
		err.(*FileError).File = file
		return nil, err
	}
	if err := in.validate(); err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.File = file
		}
		return nil, err
	}
	return &in, nil
}

// describeJSONError adds the line number to a syntax error.
func describeJSONError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("line %d: %w", line, err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		line := 1 + bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n"))
		return fmt.Errorf("line %d: field %s: %s is not a %s", line, te.Field, te.Value, te.Type)
	}
	return err
}

// checkCrossRefs resolves the rules of in that name other instruments.
// Branching rules must name an instrument that comes earlier.
func (c *Catalog) checkCrossRefs(in *Instrument) error {
	var err error
	check := func(r *Rule, item, field string, branching bool) {
		walkRules(r, field, func(r *Rule, f string) {
			if err != nil || r.Op == "" || r.Instrument == "" || r.Instrument == in.ID {
				return
			}
			bad := func(sub, format string, args ...any) error {
				return &FileError{File: in.Source, Item: item, Field: f + sub, Err: fmt.Errorf(format, args...)}
			}
			other, ok := c.byID[r.Instrument]
			if !ok {
				err = bad(".instrument", "no instrument %q is loaded", r.Instrument)
				return
			}
			if branching && !c.before(other, in) {
				err = bad(".instrument", "instrument %q does not come before %q", other.ID, in.ID)
				return
			}
			if r.Score != "" {
				if other.Scoring == nil {
					err = bad(".score", "instrument %q has no scoring", other.ID)
				} else if _, ok := other.subscore(r.Score); r.Score != "total" && !ok {
					err = bad(".score", "instrument %q has no subscore %q", other.ID, r.Score)
				}
				return
			}
			it, ok := other.Item(r.Item)
			if !ok {
				err = bad(".item", "instrument %q has no item %q", other.ID, r.Item)
				return
			}
			err = checkOpFits(it, r, bad)
		})
	}
	if in.SkipIf != nil {
		check(in.SkipIf, "", "skip_if", true)
	}
	for i := range in.Items {
		it := &in.Items[i]
		if it.SkipIf != nil {
			check(it.SkipIf, it.ID, "skip_if", true)
		}
		for j := range it.Options {
			if r := it.Options[j].ShowIf; r != nil {
				check(r, it.ID, fmt.Sprintf("options[%d].show_if", j), true)
			}
		}
	}
	for i := range in.Flags {
		check(&in.Flags[i].When, "", fmt.Sprintf("flags[%d].when", i), false)
	}
	if in.Scoring != nil {
		for i := range in.Scoring.BandSets {
			if w := in.Scoring.BandSets[i].When; w != nil {
				check(w, "", fmt.Sprintf("scoring.band_sets[%d].when", i), false)
			}
		}
	}
	return err
}

func (c *Catalog) before(a, b *Instrument) bool {
	return slices.Index(c.list, a) < slices.Index(c.list, b)
}

func walkRules(r *Rule, field string, fn func(*Rule, string)) {
	fn(r, field)
	for j := range r.All {
		walkRules(&r.All[j], fmt.Sprintf("%s.all[%d]", field, j), fn)
	}
	for j := range r.Any {
		walkRules(&r.Any[j], fmt.Sprintf("%s.any[%d]", field, j), fn)
	}
	if r.Not != nil {
		walkRules(r.Not, field+".not", fn)
	}
}
