package screening

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// jsonSpot is where locateJSON found the first problem in a file that
// encoding/json rejected: the field's path ("items[2].min"), the id of the
// item it lies in, and the line.
type jsonSpot struct {
	field, item string
	line        int
}

var errFound = errors.New("found")

// locateJSON walks data along the shape of an Instrument, as encoding/json
// reads it, and reports where the first syntax error, unknown field or
// value of the wrong type lies. encoding/json names neither the item nor
// the field of an unknown field, nor the item of any error.
func locateJSON(data []byte) (jsonSpot, bool) {
	w := &jsonWalker{dec: json.NewDecoder(bytes.NewReader(data)), data: data, ids: map[string]string{}}
	w.dec.UseNumber()
	if err := w.walk(reflect.TypeFor[Instrument](), ""); !errors.Is(err, errFound) {
		return jsonSpot{}, false
	}
	if m := itemPath.FindStringSubmatch(w.spot.field); m != nil {
		w.spot.item = w.ids[m[0]]
		// The id may come after the problem in the item: read it from the
		// whole file when the file is at least valid JSON.
		var ids struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		_ = json.Unmarshal(data, &ids) // best effort: fills what it can
		if n, _ := strconv.Atoi(m[1]); w.spot.item == "" && n < len(ids.Items) {
			w.spot.item = ids.Items[n].ID
		}
	}
	return w.spot, true
}

var itemPath = regexp.MustCompile(`^items\[(\d+)\]`)

type jsonWalker struct {
	dec  *json.Decoder
	data []byte
	ids  map[string]string // item path ("items[2]") to its id, as read
	last string            // the last string value read
	spot jsonSpot
}

// found records the spot at the decoder's position (or a syntax error's
// offset) and stops the walk.
func (w *jsonWalker) found(field string, err error) error {
	off := w.dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	w.spot = jsonSpot{field: field, line: 1 + bytes.Count(w.data[:min(int(off), len(w.data))], []byte("\n"))}
	return errFound
}

func (w *jsonWalker) walk(t reflect.Type, field string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := w.dec.Token()
	if err != nil {
		return w.found(field, err)
	}
	if tok == nil {
		return nil // null fits anything
	}
	wrong := func() error { return w.found(field, nil) }
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		if tok != json.Delim('{') {
			return wrong()
		}
		for w.dec.More() {
			kt, err := w.dec.Token()
			if err != nil {
				return w.found(field, err)
			}
			key, _ := kt.(string)
			sub := key
			if field != "" {
				sub = field + "." + key
			}
			elem := t
			if t.Kind() == reflect.Map {
				elem = t.Elem()
			} else if f, ok := jsonField(t, key); ok {
				elem = f.Type
			} else {
				return w.found(sub, nil)
			}
			if err := w.walk(elem, sub); err != nil {
				return err
			}
			if t == reflect.TypeFor[Item]() && strings.EqualFold(key, "id") {
				w.ids[field] = w.last
			}
		}
	case reflect.Slice:
		if tok != json.Delim('[') {
			return wrong()
		}
		for i := 0; w.dec.More(); i++ {
			if err := w.walk(t.Elem(), fmt.Sprintf("%s[%d]", field, i)); err != nil {
				return err
			}
		}
	case reflect.String:
		s, ok := tok.(string)
		if !ok {
			return wrong()
		}
		w.last = s
		return nil
	case reflect.Int:
		n, ok := tok.(json.Number)
		if _, err := strconv.ParseInt(string(n), 10, 64); !ok || err != nil {
			return wrong()
		}
		return nil
	case reflect.Float64:
		n, ok := tok.(json.Number)
		if _, err := n.Float64(); !ok || err != nil {
			return wrong()
		}
		return nil
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return wrong()
		}
		return nil
	default:
		return nil
	}
	if _, err := w.dec.Token(); err != nil { // the closing } or ]
		return w.found(field, err)
	}
	return nil
}

// jsonField finds the struct field a key decodes into, ignoring case as
// encoding/json does.
func jsonField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if strings.EqualFold(name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
