package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
	bad := strings.Replace(string(data), `"linkId":"9"`, `"linkId":"99"`, 1)
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
