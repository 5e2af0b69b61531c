package screening

import "slices"

// Check parses one instrument file and checks it as Load would next to the
// instruments of base (an instrument of base with the same id gives way to
// it), so that rules naming other instruments are resolved too.
func Check(file string, data []byte, base *Catalog) error {
	in, err := Parse(file, data)
	if err != nil {
		return err
	}
	c := &Catalog{byID: map[string]*Instrument{in.ID: in}, list: []*Instrument{in}}
	for _, x := range base.list {
		if x.ID != in.ID {
			c.list = append(c.list, x)
			c.byID[x.ID] = x
		}
	}
	slices.SortStableFunc(c.list, func(a, b *Instrument) int {
		if a.Order != b.Order {
			return a.Order - b.Order
		}
		return compareStrings(a.ID, b.ID)
	})
	return c.checkCrossRefs(in)
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
