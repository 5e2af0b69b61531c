package screening_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

// sameInSpanish lists the only wordings allowed to read the same in Spanish
// as in English. Wordings without letters (numbers such as "0") are allowed
// too.
var sameInSpanish = map[string]bool{
	"No":      true, // the answer "No"
	"Alcohol": true, // the same word in Spanish
}

// textField is one Text of an instrument, named by its path in the file.
type textField struct {
	path  string
	field string // the Go field name, such as "Unit" or "Note"
	text  screening.Text
}

// instrumentTexts walks the instrument's structs (items, options, option
// sets, bands, band sets, subscores, flags) and returns every Text in it
// except Translations, which names the sources of the other texts.
func instrumentTexts(in *screening.Instrument) []textField {
	var out []textField
	textType := reflect.TypeFor[screening.Text]()
	var walk func(v reflect.Value, path, field string)
	walk = func(v reflect.Value, path, field string) {
		if v.Type() == textType {
			out = append(out, textField{path, field, v.Interface().(screening.Text)})
			return
		}
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path, field)
			}
		case reflect.Struct:
			t := v.Type()
			for i := range t.NumField() {
				f := t.Field(i)
				if !f.IsExported() || (t == reflect.TypeFor[screening.Instrument]() && f.Name == "Translations") {
					continue
				}
				walk(v.Field(i), path+"."+f.Name, f.Name)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i), field)
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(v.MapIndex(k), fmt.Sprintf("%s[%v]", path, k), field)
			}
		}
	}
	walk(reflect.ValueOf(in).Elem(), in.ID, "")
	return out
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// Issue 7: every instrument has Spanish for every text that has English,
// translated (not copied), and says where its Spanish comes from.
func TestSpanishEverywhere(t *testing.T) {
	seen := map[string]bool{}
	for _, in := range testkit.Catalog(t).Instruments() {
		if in.RatedByStaff() {
			continue // staff read it, in English, like the staff.* words
		}
		t.Run(in.ID, func(t *testing.T) {
			texts := instrumentTexts(in)
			if len(texts) == 0 {
				t.Fatal("no texts found")
			}
			for _, tf := range texts {
				en, es := tf.text["en"], tf.text["es"]
				if en == "" {
					continue
				}
				seen[tf.field] = true
				switch {
				case strings.TrimSpace(es) == "":
					t.Errorf("%s: no Spanish for %q", tf.path, en)
				case es == en && hasLetter(en) && !sameInSpanish[en]:
					t.Errorf("%s: Spanish is the English %q", tf.path, en)
				}
			}
			note := strings.TrimSpace(in.Translations["es"])
			if note == "" {
				t.Errorf("no translations.es note saying where the Spanish comes from")
			}
			if in.ClinicOwn && !strings.Contains(note, "Traducción propia") {
				t.Errorf("the clinic's own questionnaire: translations.es %q should say it is our own translation", note)
			}
			// Big touchscreen buttons: the same limit as the English labels.
			for _, it := range in.Items {
				for _, o := range it.Options {
					if n := len([]rune(o.Label["es"])); n > 45 {
						t.Errorf("item %s option %s: Spanish label %q is %d characters", it.ID, o.Value, o.Label["es"], n)
					}
				}
				if n := len([]rune(it.Unit["es"])); n > 20 {
					t.Errorf("item %s: Spanish unit %q is %d characters", it.ID, it.Unit["es"], n)
				}
			}
		})
	}
	// The walk must reach every kind of text the files use, so that a
	// broken walk cannot pass by finding nothing.
	for _, f := range []string{"Title", "ShortTitle", "Intro", "Text", "Hint", "Unit", "Label", "Note"} {
		if !seen[f] {
			t.Errorf("no %s text was checked", f)
		}
	}
}

// The published Spanish versions are reproduced as published: spot-check
// them.
func TestPublishedSpanishWording(t *testing.T) {
	c := testkit.Catalog(t)
	items := []struct{ inst, item, es string }{
		{"phq9", "1", "Poco interés o placer en hacer cosas"},
		{"phq9", "9", "Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera"},
		{"gad7", "1", "Se ha sentido nervioso(a), ansioso(a) o con los nervios de punta"},
		{"gad7", "7", "Ha tenido miedo de que algo terrible fuera a pasar"},
		{"auditc", "1", "¿Con qué frecuencia consume alguna bebida alcohólica?"},
		{"auditc", "3", "¿Con qué frecuencia toma 6 o más bebidas alcohólicas en un solo día?"},
	}
	for _, tt := range items {
		it, ok := instrument(t, c, tt.inst).Item(tt.item)
		if !ok {
			t.Errorf("%s: no item %s", tt.inst, tt.item)
			continue
		}
		if it.Text["es"] != tt.es {
			t.Errorf("%s/%s Spanish %q, want %q", tt.inst, tt.item, it.Text["es"], tt.es)
		}
	}
	stem := "Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?"
	for _, id := range []string{"phq9", "gad7"} {
		in := instrument(t, c, id)
		if in.Intro["es"] != stem {
			t.Errorf("%s Spanish intro %q", id, in.Intro["es"])
		}
		it, _ := in.Item("1")
		var got []string
		for _, o := range it.Options {
			got = append(got, o.Label["es"])
		}
		if want := "Ningún día|Varios días|Más de la mitad de los días|Casi todos los días"; strings.Join(got, "|") != want {
			t.Errorf("%s Spanish options %q, want %s", id, got, want)
		}
	}
}
