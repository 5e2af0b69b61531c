package takehome_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"intakekiosk/assets"
	"intakekiosk/i18n"
	"intakekiosk/takehome"
)

// builtIn is the built-in sheet's file in lang, as JSON to edit.
func builtIn(t *testing.T, lang string) map[string]any {
	t.Helper()
	data, err := fs.ReadFile(assets.TakeHome(), "takehome."+lang+".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func encode(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// languages are the languages the kiosk offers: the catalog's.
func languages(t *testing.T) []string {
	t.Helper()
	msgs, err := i18n.Load(assets.Messages())
	if err != nil {
		t.Fatal(err)
	}
	return msgs.Languages()
}

// The built-in sheet loads in every language the kiosk offers; a
// language without a file would fail here.
func TestBuiltInEveryLanguage(t *testing.T) {
	langs := languages(t)
	set, errs := takehome.Load(langs, takehome.Source{Name: "built-in", FS: assets.TakeHome()})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, l := range langs {
		s, ok := set.Sheet(l)
		if !ok || s.Language != l {
			t.Errorf("no take-home sheet in %q", l)
		}
	}
	// and a set missing one is refused whole
	only := fstest.MapFS{"takehome.en.json": {Data: encode(t, builtIn(t, "en"))}}
	set, errs = takehome.Load(langs, takehome.Source{Name: "clinic", FS: only})
	if set.Version() != 0 || len(errs) != 1 || !errors.Is(errs[0], takehome.ErrNoLanguage) {
		t.Errorf("a sheet in English only: version %d, %v", set.Version(), errs)
	}
}

// The crisis lines of the built-in sheet are the kiosk's crisis words,
// in each language: one text of the numbers.
func TestCrisisLinesAreTheCatalogs(t *testing.T) {
	msgs, err := i18n.Load(assets.Messages())
	if err != nil {
		t.Fatal(err)
	}
	set, _ := takehome.Load(msgs.Languages(), takehome.Source{Name: "built-in", FS: assets.TakeHome()})
	for _, l := range msgs.Languages() {
		s, _ := set.Sheet(l)
		want := []string{msgs.T(l, "crisis.2"), msgs.T(l, "crisis.3"), msgs.T(l, "crisis.4")}
		if strings.Join(s.Crisis.Lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: the sheet's crisis lines %q, the kiosk's %q", l, s.Crisis.Lines, want)
		}
	}
}

// Each bad edit is refused naming its field and the problem.
func TestParseRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(m map[string]any)
		field string
		is    error
	}{
		{"no version", func(m map[string]any) { delete(m, "version") }, "version", takehome.ErrMissing},
		{"no language", func(m map[string]any) { m["language"] = "" }, "language", takehome.ErrMissing},
		{"an empty title", func(m map[string]any) { m["title"] = "  " }, "title", takehome.ErrEmpty},
		{"two coping steps", func(m map[string]any) {
			c := m["coping"].(map[string]any)
			c["steps"] = c["steps"].([]any)[:2]
		}, "coping.steps", takehome.ErrCount},
		{"no 988", func(m map[string]any) {
			m["crisis"].(map[string]any)["lines"] = []any{"Call 911.", "Text HOME to 741741."}
		}, "crisis.lines", takehome.ErrNoNumber},
		{"no date in the next check-in", func(m map[string]any) {
			m["next"].(map[string]any)["on"] = "Please come back soon."
		}, "next.on", takehome.ErrPlaceholder},
		{"eleven months", func(m map[string]any) {
			d := m["dates"].(map[string]any)
			d["months"] = d["months"].([]any)[:11]
		}, "dates.months", takehome.ErrCount},
		{"a control character", func(m map[string]any) {
			m["expect"].(map[string]any)["peak"].(map[string]any)["text"] = "Hard\u0007 days"
		}, "expect.peak.text", takehome.ErrBadText},
		{"too long", func(m map[string]any) { m["intro"] = strings.Repeat("a", takehome.MaxTextLen+1) }, "intro", takehome.ErrTooLong},
		{"no page count", func(m map[string]any) { m["page"] = "Page {page}" }, "page", takehome.ErrPlaceholder},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := builtIn(t, "en")
			tc.edit(m)
			_, err := takehome.Parse("clinic/takehome.en.json", encode(t, m))
			var fe *takehome.FileError
			if !errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, tc.is) || fe.File != "clinic/takehome.en.json" {
				t.Errorf("Parse = %v; want field %s, %v", err, tc.field, tc.is)
			}
		})
	}
	m := builtIn(t, "en")
	m["extra"] = "x"
	if _, err := takehome.Parse("x.json", encode(t, m)); err == nil || !strings.Contains(err.Error(), "extra") {
		t.Errorf("an unknown field: %v", err)
	}
}

// A clinic's newer version replaces the built-in one when every file of
// it is good; a bad file keeps the last good version.
func TestLoadKeepsLastGood(t *testing.T) {
	langs := languages(t)
	version := func(v int, title string, bad bool) fstest.MapFS {
		out := fstest.MapFS{}
		for _, l := range langs {
			m := builtIn(t, l)
			m["version"], m["title"] = v, title+" "+l
			if bad && l == "es" {
				delete(m["next"].(map[string]any), "none")
			}
			out["takehome."+l+".json"] = &fstest.MapFile{Data: encode(t, m)}
		}
		return out
	}
	builtin := takehome.Source{Name: "built-in", FS: assets.TakeHome()}
	set, errs := takehome.Load(langs, builtin, takehome.Source{Name: "clinic", FS: version(2, "Ours", false)})
	if s, _ := set.Sheet("es"); len(errs) > 0 || set.Version() != 2 || s.Title != "Ours es" {
		t.Fatalf("a clinic's version 2: %d, %v", set.Version(), errs)
	}
	set, errs = takehome.Load(langs, builtin, takehome.Source{Name: "clinic", FS: version(2, "Ours", true)})
	if s, _ := set.Sheet("en"); len(errs) != 1 || set.Version() != 1 || s.Title == "Ours en" {
		t.Errorf("a bad version 2 in Spanish: version %d, %v", set.Version(), errs)
	}
	var fe *takehome.FileError
	if len(errs) == 1 && (!errors.As(errs[0], &fe) || fe.Field != "next.none" || fe.File != "clinic/takehome.es.json") {
		t.Errorf("the error %v names %+v", errs[0], fe)
	}
	// a file too large is refused from its size, unread (so its version
	// lacks that language too)
	big := version(3, "Big", false)
	big["takehome.en.json"] = &fstest.MapFile{Data: []byte(`{"version": 3, "x": "` + strings.Repeat("a", takehome.MaxFileSize) + `"}`)}
	set, errs = takehome.Load(langs, builtin, takehome.Source{Name: "clinic", FS: big})
	if set.Version() != 1 || len(errs) != 2 || !errors.Is(errs[0], takehome.ErrTooLong) || !errors.Is(errs[1], takehome.ErrNoLanguage) {
		t.Errorf("a file too large: version %d, %v", set.Version(), errs)
	}
	// the sheet in a language the set lacks is the English one
	if s, ok := set.Sheet("fr"); !ok || s.Language != "en" {
		t.Errorf("a language without a sheet: %+v", s)
	}
}

// Dates in the sheet's own words.
func TestDates(t *testing.T) {
	set, _ := takehome.Load(languages(t), takehome.Source{Name: "built-in", FS: assets.TakeHome()})
	en, _ := set.Sheet("en")
	es, _ := set.Sheet("es")
	mar3 := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	mar4 := mar3.AddDate(0, 0, 1)
	for _, tc := range []struct{ got, want string }{
		{en.Day(mar3), "Tuesday, March 3"},
		{es.Day(mar3), "martes 3 de marzo"},
		{en.Span(mar3, mar4), "Tuesday, March 3 to Wednesday, March 4"},
		{es.Span(mar3, mar4), "del martes 3 de marzo al miércoles 4 de marzo"},
		{en.Span(mar3, mar3), "Tuesday, March 3"},
		{en.Span(mar3, time.Time{}), "From Tuesday, March 3"},
		{es.NextOn(mar4), "Por favor, regrese el miércoles 4 de marzo y regístrese en el quiosco con su código."},
		{en.PageOf("1", "2"), "Page 1 of 2"},
	} {
		if tc.got != tc.want {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
}
