package screening_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"intakekiosk/assets"
	"intakekiosk/screening"
)

// options is n options of a single choice item, as JSON.
func options(n int) string {
	var o []string
	for i := range n {
		o = append(o, fmt.Sprintf(`{"value":"v%d","label":{"en":"V%d"},"points":0}`, i, i))
	}
	return strings.Join(o, ",")
}

// A file beyond the limits, or holding a control character or bytes that
// are not UTF-8, is refused naming the field and the item, and the error
// quotes no more than a few words of what it holds.
func TestParseLimits(t *testing.T) {
	huge := strings.Repeat("x", 2<<20) // a 2 MiB title: over the file size too
	long := strings.Repeat("é", screening.MaxShortText+1)
	var manyItems []string
	for i := range screening.MaxItems + 1 {
		manyItems = append(manyItems, fmt.Sprintf(`{"id":"i%d","kind":"text","text":{"en":"T?"}}`, i))
	}
	deep := `{"item": "a", "op": "eq", "values": ["no"]}`
	for range screening.MaxRuleDepth {
		deep = `{"not": ` + deep + `}`
	}
	tests := []struct {
		name     string
		old, new string
		item     string
		field    string
		errHas   string
	}{
		{"file over 1 MiB", `"Test instrument"`, `"` + huge + `"`, "", "", "larger than an instrument file may be"},
		{"title too long", `"Test instrument"`, `"` + long + `"`, "", "title.en", "201 characters is more than the 200 allowed"},
		{"item text too long", `"A?"`, `"` + strings.Repeat("a", screening.MaxLongText+1) + `"`, "a", "items[0].text.en", "2001 characters"},
		{"long id", `"id": "test"`, `"id": "` + strings.Repeat("t", 41) + `"`, "", "id", "more than the 40 allowed"},
		{"language tag too long", `"title": {"en": "Test instrument"}`, `"title": {"en": "Test instrument", "` + strings.Repeat("l", 41) + `": "x"}`, "", "title", "more than the 40 allowed"},
		{"control character", `"B?"`, `"B\u0007?"`, "b", "items[1].text.en", "control character U+0007"},
		{"line break", `"N?"`, `"N\n?"`, "n", "items[2].text.en", "control character U+000A"},
		{"C1 control", `"Low"`, `"Lo\u0085w"`, "", "scoring.bands[0].label.en", "control character U+0085"},
		{"lone surrogate", `"Some"`, `"So\ud800me"`, "", "option_sets.freq[1].label.en", "U+FFFD"},
		{"invalid UTF-8", `"Written for the tests."`, "\"Written \xff for the tests.\"", "", "", "line 7: not valid UTF-8"},
		{"too many items", `{"id": "a", "kind": "single", "text": {"en": "A?"}, "option_set": "freq"},`,
			strings.Join(manyItems, ",") + `,{"id": "a", "kind": "single", "text": {"en": "A?"}, "option_set": "freq"},`, "", "items", "205 entries is more than the 200 allowed"},
		{"too many options", `{"value": "yes", "label": {"en": "Yes"}, "points": 2}`,
			`{"value": "yes", "label": {"en": "Yes"}, "points": 2},` + options(screening.MaxOptions), "b", "items[1].options", "52 entries is more than the 50 allowed"},
		{"too many languages", `"title": {"en": "Test instrument"}`, `"title": {"en": "Test instrument"` + strings.Repeat(`,"x`, 0) + langs(screening.MaxLanguages) + `}`, "", "title", "21 entries is more than the 20 allowed"},
		{"too many flags", `"flags": [`, `"flags": [` + flags(screening.MaxFlags) + `,`, "", "flags", "101 entries is more than the 100 allowed"},
		{"rules too deep", `{"item": "a", "op": "eq", "values": ["no"]}`, deep, "c", "items[3].skip_if.not.not.not.not.not.not.not.not", "nest more than 8 deep"},
		{"text item max_length", `{"id": "n", "kind": "number"`, `{"id": "t", "kind": "text", "text": {"en": "T?"}, "max_length": 2001}, {"id": "n", "kind": "number"`, "t", "items[2].max_length", "2001 is more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := screening.Parse("test.json", []byte(mutate(t, baseInstrument, tt.old, tt.new)))
			if err == nil {
				t.Fatal("accepted")
			}
			fe := fileError(t, err)
			if fe.File != "test.json" || fe.Item != tt.item || fe.Field != tt.field {
				t.Errorf("file %q item %q field %q, want test.json, %q, %q", fe.File, fe.Item, fe.Field, tt.item, tt.field)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.errHas) {
				t.Errorf("error %q does not say %q", msg, tt.errHas)
			}
			if len(msg) > 400 {
				t.Errorf("error is %d bytes long: %.200q…", len(msg), msg)
			}
		})
	}
}

func langs(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `,"l%d":"x"`, i)
	}
	return b.String()
}

func flags(n int) string {
	var f []string
	for i := range n {
		f = append(f, fmt.Sprintf(`{"id":"f%d","label":{"en":"F"},"when":{"item":"n","op":"gt","number":5}}`, i))
	}
	return strings.Join(f, ",")
}

// What encoding/json echoes of a file (an unknown field's name) is cut
// short too.
func TestParseErrorShort(t *testing.T) {
	name := strings.Repeat("k", 200_000)
	_, err := screening.Parse("test.json", []byte(mutate(t, baseInstrument, `"order": 100,`, `"order": 100, "`+name+`": 1,`)))
	if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "unknown field") {
		t.Errorf("error %.300q (%d bytes)", err, len(fmt.Sprint(err)))
	}
}

// A clinic folder holding a 100 MiB file (sparse: it reads as zeros), a
// file with a 2 MiB title and one with a control character loses those
// three, refused fast and unread, and keeps the good one and the built-in
// instruments, as the kiosk starts with them.
func TestLoadFolderBeyondLimits(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("good.json", baseInstrument)
	write("title.json", mutate(t, mutate(t, baseInstrument, `"id": "test"`, `"id": "title"`), `"Test instrument"`, `"`+strings.Repeat("x", 2<<20)+`"`))
	write("ctrl.json", mutate(t, mutate(t, baseInstrument, `"id": "test"`, `"id": "ctrl"`), `"A?"`, `"A\u001b[2J?"`))
	f, err := os.Create(filepath.Join(dir, "huge.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()

	start := time.Now()
	cat, errs := screening.Load(
		screening.Source{Name: "built-in", FS: assets.Instruments()},
		screening.Source{Name: dir, FS: os.DirFS(dir)},
	)
	took := time.Since(start)
	t.Logf("loaded the built-in instruments and a folder with a 100 MiB file in %v", took)
	if took > 2*time.Second {
		t.Errorf("took %v", took)
	}
	if len(errs) != 3 {
		t.Fatalf("errors %v, want 3", errs)
	}
	for _, err := range errs {
		if len(err.Error()) > 400 {
			t.Errorf("error is %d bytes long", len(err.Error()))
		}
	}
	if got := fmt.Sprint(errs); !strings.Contains(got, "huge.json: 104857600 bytes is larger") || !strings.Contains(got, "title.json") || !strings.Contains(got, "ctrl.json: item \"a\": field items[0].text.en: control character U+001B") {
		t.Errorf("errors %v", errs)
	}
	if _, ok := cat.Instrument("test"); !ok {
		t.Error("the good file was dropped")
	}
	if _, ok := cat.Instrument("phq9"); !ok {
		t.Error("the built-in instruments were dropped")
	}
}

// A 100 MiB file is refused from its size alone: the refusal takes
// microseconds, not the seconds reading and parsing it would.
func BenchmarkRefuseHugeFile(b *testing.B) {
	dir := b.TempDir()
	f, err := os.Create(filepath.Join(dir, "huge.json"))
	if err != nil {
		b.Fatal(err)
	}
	f.Truncate(100 << 20)
	f.Close()
	fsys := os.DirFS(dir)
	for b.Loop() {
		if _, err := screening.ReadFile(fsys, "huge.json", "huge.json"); err == nil {
			b.Fatal("read")
		}
	}
}
