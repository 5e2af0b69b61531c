package screening

import "fmt"

// Check parses one instrument file and checks it as Load would next to the
// instruments of base: its id must be new (unless base loaded it from this
// very file) and its rules naming other instruments must resolve.
func Check(file string, data []byte, base *Catalog) error {
	in, err := Parse(file, data)
	if err != nil {
		return err
	}
	if prev, ok := base.byID[in.ID]; ok && prev.Source != file {
		return &FileError{File: file, Field: "id", Err: fmt.Errorf("instrument %q is already defined in %s", in.ID, prev.Source)}
	}
	c := &Catalog{byID: map[string]*Instrument{in.ID: in}, list: []*Instrument{in}}
	for _, x := range base.list {
		if x.ID != in.ID {
			c.list = append(c.list, x)
			c.byID[x.ID] = x
		}
	}
	c.sort()
	return c.checkCrossRefs(in)
}
