package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"intakekiosk/demo"
	"intakekiosk/review"
	"intakekiosk/sqlite"
)

// totals reads every finished session of a database and returns its
// scores by instrument, summed, and how many sessions there are.
func totals(t *testing.T, db string) (map[string]int, int) {
	t.Helper()
	ctx := context.Background()
	st := openStore(t, db)
	defer st.Close()
	key, _, err := st.Unlock(ctx, "Ada", "correct horse battery", timeNow())
	if err != nil {
		t.Fatal(err)
	}
	g := &globals{db: db}
	cat, _ := g.catalog()
	list, _ := st.Sessions(ctx, sqlite.Filter{})
	sum := map[string]int{}
	n := 0
	for _, ss := range list {
		d, err := review.Load(ctx, st, ss.ID, key, cat)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Visit.Session.Results(d.At())) == 0 {
			continue
		}
		n++
		for _, r := range d.Visit.Session.Results(d.At()) {
			if r.Scored && !r.Skipped {
				sum[r.Instrument.ID] += r.Total
			}
		}
	}
	return sum, n
}

func TestFHIRRoundTrip(t *testing.T) {
	db, _ := demoDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "all.json")
	if code, _, errs := ctl(t, "--db", db, "--as", "Ada", "export", "--to", "program", "--format", "fhir", "--out", out); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	fresh := newDB(t)
	code, stdout, errs := ctl(t, "--db", fresh, "--as", "Ada", "import", out)
	if code != 0 || !strings.Contains(stdout, "FHIR,") {
		t.Fatalf("import: exit %d %q %q", code, stdout, errs)
	}
	code, stdout, _ = ctl(t, "--db", fresh, "--as", "Ada", "import", out)
	if code != 0 || !strings.Contains(stdout, " 0 sessions added") {
		t.Errorf("second import: %q", stdout)
	}
	want, n := totals(t, db)
	got, m := totals(t, fresh)
	if m != n || len(want) == 0 {
		t.Errorf("%d sessions with answers imported, %d exported", m, n)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: totals sum to %d after import, %d before", id, got[id], w)
		}
	}
	// a response with an item this kiosk does not have is refused, with
	// the item named, and nothing is stored
	data, _ := os.ReadFile(out)
	bad := strings.ReplaceAll(string(data), `"linkId":"/44260-8"`, `"linkId":"/99999-9"`)
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(bad), 0o600)
	before, _ := totals(t, fresh)
	code, _, errs = ctl(t, "--db", fresh, "--as", "Ada", "import", filepath.Join(dir, "bad.json"))
	if code != 1 || !strings.Contains(errs, "99") || !strings.Contains(errs, "nothing was imported") {
		t.Errorf("unknown linkId: exit %d, %q", code, errs)
	}
	after, _ := totals(t, fresh)
	for id := range before {
		if before[id] != after[id] {
			t.Error("a refused import changed the database")
		}
	}
}

func timeNow() time.Time { return time.Now() }

// The clinic's FHIR base is set at init or with settings set, checked
// either way; a FHIR export refuses, naming the setting, until it is set,
// and then names its Questionnaires under it.
func TestFHIRBaseSetting(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("KIOSK_NEW_PASSPHRASE", "first admin passphrase")
	t.Setenv("KIOSK_PASSPHRASE", "first admin passphrase")
	for _, bad := range []string{"http://fhir.clinic.org/fhir", "https://intake-kiosk.example/fhir", "https://fhir.clinic.org/fhir?x=1"} {
		db := filepath.Join(dir, "refused.db")
		code, _, errs := ctl(t, "init", "--admin", "Ada", "--fhir-base", bad, "--db", db)
		if code != 2 || !strings.Contains(errs, "--fhir-base") {
			t.Errorf("init --fhir-base %s: exit %d, %q; want 2 naming --fhir-base", bad, code, errs)
		}
		if _, err := os.Stat(db); err == nil {
			t.Errorf("init --fhir-base %s made a database", bad)
		}
	}
	const base = "https://fhir.clinicaesperanza.org/r4"
	set := filepath.Join(dir, "set.db")
	if code, _, errs := ctl(t, "init", "--admin", "Ada", "--fhir-base", base, "--db", set); code != 0 {
		t.Fatalf("init --fhir-base: exit %d, %q", code, errs)
	}
	if code, out, _ := ctl(t, "settings", "get", "fhir_base", "--db", set); code != 0 || strings.TrimSpace(out) != base {
		t.Errorf("fhir_base after init = %q", out)
	}

	unset := filepath.Join(dir, "unset.db")
	if code, _, errs := ctl(t, "init", "--admin", "Ada", "--db", unset); code != 0 {
		t.Fatalf("init: exit %d, %q", code, errs)
	}
	out := filepath.Join(dir, "x.json")
	code, _, errs := ctl(t, "--db", unset, "--as", "Ada", "export", "--to", "program", "--format", "fhir", "--out", out)
	if code != 1 || !strings.Contains(errs, "fhir_base") || !strings.Contains(errs, "not set") {
		t.Errorf("export without fhir_base: exit %d, %q; want 1 naming fhir_base", code, errs)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a refused export left a file")
	}
	if code, _, errs := ctl(t, "--db", unset, "--as", "Ada", "settings", "set", "fhir_base", "https://example.com/fhir"); code == 0 || !strings.Contains(errs, "reserved") {
		t.Errorf("settings set fhir_base on example.com: exit %d, %q", code, errs)
	}
	if code, _, errs := ctl(t, "--db", unset, "--as", "Ada", "settings", "set", "fhir_base", base+"/"); code != 0 {
		t.Fatalf("settings set fhir_base: exit %d, %q", code, errs)
	}
	if code, _, errs := ctl(t, "--db", unset, "--as", "Ada", "export", "--to", "program", "--format", "fhir", "--out", out); code != 0 {
		t.Fatalf("export: exit %d, %q", code, errs)
	}
	if data, _ := os.ReadFile(out); strings.Contains(string(data), "example") || strings.Contains(string(data), base+"//") {
		t.Errorf("the export names a base not the clinic's: %.300s", data)
	}

	// synthetic patients in a database without a base bring the demo's;
	// a clinic's own stays
	fresh := filepath.Join(dir, "demo.db")
	if code, _, errs := ctl(t, "init", "--admin", "Ada", "--db", fresh); code != 0 {
		t.Fatalf("init: exit %d, %q", code, errs)
	}
	for _, tc := range []struct{ db, want, says string }{{fresh, demo.FHIRBase, "fhir_base set to the demo's"}, {set, base, ""}} {
		code, stdout, errs := ctl(t, "--db", tc.db, "--as", "Ada", "demo", "--patients", "2", "--seed", "5")
		if code != 0 || strings.Contains(stdout, "fhir_base") != (tc.says != "") || !strings.Contains(stdout, tc.says) {
			t.Errorf("demo: exit %d, %q %q", code, stdout, errs)
		}
		if code, got, _ := ctl(t, "settings", "get", "fhir_base", "--db", tc.db); code != 0 || strings.TrimSpace(got) != tc.want {
			t.Errorf("fhir_base after demo = %q, want %q", got, tc.want)
		}
	}
}
