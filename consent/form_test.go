package consent_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"intakekiosk/assets"
	"intakekiosk/consent"
)

var langs = []string{"en", "es"}

// file is a good consent file, with fields replaced by edits (a field
// set to "" is left out).
func file(form string, version int, lang string, edits map[string]string) []byte {
	fields := map[string]string{
		"form":       `"` + form + `"`,
		"version":    strconv.Itoa(version),
		"language":   `"` + lang + `"`,
		"title":      `"May we share?"`,
		"text":       `["What, with whom, why.", "Care does not depend on it."]`,
		"recipients": `[{"id": "ehr", "name": "Our record", "purpose": "treatment"}]`,
		"tpo":        `"Yes, for TPO."`,
		"named":      `"Yes, these people."`,
		"decline":    `"No."`,
	}
	for k, v := range edits {
		fields[k] = v
	}
	var parts []string
	for _, k := range []string{"form", "version", "language", "title", "text", "recipients", "tpo", "named", "decline", "extra"} {
		if v, ok := fields[k]; ok && v != "" {
			parts = append(parts, `"`+k+`": `+v)
		}
	}
	return []byte("{" + strings.Join(parts, ", ") + "}")
}

func TestBuiltInFormsLoad(t *testing.T) {
	set, errs := consent.Load(langs, consent.Source{Name: "built-in", FS: assets.Consents()})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, l := range langs {
		f, ok := set.Main(l)
		if !ok || f.Language != l || f.Version < 1 {
			t.Fatalf("main form in %s: %+v %v", l, f, ok)
		}
		if !strings.Contains(f.Text(), f.TPO) || len(f.Hash()) != 64 {
			t.Errorf("%s: text or hash", l)
		}
	}
	en, _ := set.Main("en")
	// the counselors' notes are never shared: the form says so
	if !strings.Contains(en.Text(), "Counselors' notes") {
		t.Error("the form does not say counselors' notes are never shared")
	}
}

// Each bad file is refused by file, form and field, and the kiosk keeps
// the last good version.
func TestBadFilesRefused(t *testing.T) {
	good := func(v int) fstest.MapFS {
		return fstest.MapFS{
			"part2.en.json": {Data: file("part2", v, "en", nil)},
			"part2.es.json": {Data: file("part2", v, "es", nil)},
		}
	}
	for _, tc := range []struct {
		name  string
		files fstest.MapFS
		field string
		want  error
	}{
		{"missing language", fstest.MapFS{"part2.en.json": {Data: file("part2", 2, "en", nil)}}, "language", consent.ErrNoLanguage},
		{"no language field", fstest.MapFS{"a.json": {Data: file("part2", 2, "en", map[string]string{"language": ""})}}, "language", consent.ErrMissing},
		{"empty text", fstest.MapFS{"a.json": {Data: file("part2", 2, "en", map[string]string{"text": "[]"})}}, "text", consent.ErrEmpty},
		{"blank paragraph", fstest.MapFS{"a.json": {Data: file("part2", 2, "en", map[string]string{"text": `["  "]`})}}, "text[0]", consent.ErrEmpty},
		{"empty title", fstest.MapFS{"a.json": {Data: file("part2", 2, "en", map[string]string{"title": `""`})}}, "title", consent.ErrEmpty},
		{"recipients not a list", fstest.MapFS{"a.json": {Data: file("part2", 2, "en", map[string]string{"recipients": `{"id": "ehr"}`})}}, "recipients", consent.ErrNotList},
		{"text not a list", fstest.MapFS{"a.json": {Data: file("part2", 2, "en", map[string]string{"text": `"one"`})}}, "text", consent.ErrNotList},
		{"duplicate recipient", fstest.MapFS{"a.json": {Data: file("part2", 2, "en", map[string]string{
			"recipients": `[{"id": "ehr", "name": "a", "purpose": "b"}, {"id": "ehr", "name": "c", "purpose": "d"}]`})}}, "recipients[1].id", consent.ErrDuplicate},
		{"duplicate version", fstest.MapFS{
			"a.en.json": {Data: file("part2", 2, "en", nil)},
			"b.en.json": {Data: file("part2", 2, "en", map[string]string{"title": `"Another"`})},
			"a.es.json": {Data: file("part2", 2, "es", nil)},
		}, "version", consent.ErrDuplicate},
		{"recipients differ between languages", fstest.MapFS{
			"a.en.json": {Data: file("part2", 2, "en", nil)},
			"a.es.json": {Data: file("part2", 2, "es", map[string]string{"recipients": `[{"id": "billing", "name": "x", "purpose": "y"}]`})},
		}, "recipients", consent.ErrRecipientsDif},
		{"control character", fstest.MapFS{"a.json": {Data: file("part2", 2, "en", map[string]string{"tpo": `"Yes\u0007"`})}}, "tpo", consent.ErrBadText},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, errs := consent.Load(langs, consent.Source{Name: "built-in", FS: good(1)}, consent.Source{Name: "clinic", FS: tc.files})
			if len(errs) == 0 {
				t.Fatal("accepted")
			}
			var fe *consent.FileError
			if !errors.As(errs[0], &fe) || !errors.Is(errs[0], tc.want) || fe.Field != tc.field {
				t.Fatalf("got %v (field %q), want %v in field %q", errs[0], fieldOf(errs[0]), tc.want, tc.field)
			}
			if fe.Form != "part2" && tc.name != "no language field" {
				t.Errorf("the error does not name the form: %v", errs[0])
			}
			if !strings.Contains(errs[0].Error(), tc.field) {
				t.Errorf("the message does not name the field: %v", errs[0])
			}
			// the last good version stays
			f, ok := set.Main("es")
			if !ok || f.Version != 1 {
				t.Errorf("kept %+v, want version 1", f)
			}
		})
	}
}

func fieldOf(err error) string {
	var fe *consent.FileError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}

// A newer good version replaces the built-in one; a folder's file too
// large is refused from its size.
func TestNewerVersionAndSize(t *testing.T) {
	dir := t.TempDir()
	for _, l := range langs {
		if err := os.WriteFile(filepath.Join(dir, "part2."+l+".json"), file("part2", 3, l, nil), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	big := make([]byte, consent.MaxFileSize+1)
	if err := os.WriteFile(filepath.Join(dir, "huge.json"), big, 0o600); err != nil {
		t.Fatal(err)
	}
	set, errs := consent.Load(langs, consent.Source{Name: "built-in", FS: assets.Consents()}, consent.Source{Name: dir, FS: os.DirFS(dir)})
	if len(errs) != 1 || !errors.Is(errs[0], consent.ErrTooLong) {
		t.Fatalf("errors %v", errs)
	}
	if f, _ := set.Main("es"); f.Version != 3 || f.Language != "es" {
		t.Errorf("got %+v", f)
	}
	if _, ok := set.Find("part2", 3, "en"); !ok {
		t.Error("Find version 3")
	}
	if _, ok := set.Find("part2", 1, "en"); ok {
		t.Error("Find found a version no longer offered")
	}
}

func TestHashIsOfTheTextShown(t *testing.T) {
	set, _ := consent.Load(langs, consent.Source{Name: "built-in", FS: assets.Consents()})
	f, _ := set.Main("en")
	h := f.Hash()
	g := *f
	g.Paragraphs = append([]string(nil), f.Paragraphs...)
	g.Paragraphs[0] += "!"
	if g.Hash() == h {
		t.Error("a changed word keeps the hash")
	}
	g = *f
	g.Source = "another attribution"
	if g.Hash() != h {
		t.Error("the source, never shown, changes the hash")
	}
}
