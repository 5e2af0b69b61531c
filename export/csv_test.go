package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"intakekiosk/demo"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

var now = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

// filled is a database of synthetic patients, returning ones among them.
func filled(t testing.TB) (*sqlite.Store, *vault.ClinicKey, *screening.Catalog) {
	t.Helper()
	ctx := context.Background()
	cat := testkit.Catalog(t)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "k.db"), sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.SetUp(ctx, "Ada", "correct horse battery", now); err != nil {
		t.Fatal(err)
	}
	key, _, err := st.Unlock(ctx, "Ada", "correct horse battery", now)
	if err != nil {
		t.Fatal(err)
	}
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(1, 2))}
	if _, err := demo.Fill(ctx, st, key, g, now, 24, "Ada"); err != nil {
		t.Fatal(err)
	}
	return st, key, cat
}

func read(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Error("no byte order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestCSV(t *testing.T) {
	ctx := context.Background()
	st, key, cat := filled(t)
	var buf bytes.Buffer
	n, err := CSV(ctx, &buf, st, key, cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := read(t, buf.Bytes())
	all, _ := st.Sessions(ctx, sqlite.Filter{})
	ratings := 0
	for _, r := range rows[1:] {
		if r[1] == "rating" {
			ratings++
		}
	}
	// the demo rates two returning patients with COWS: a row each
	if ratings < 4 || n != len(all) || len(rows) != n+ratings+1 {
		t.Fatalf("%d rows written, %d read, %d sessions, %d ratings", n, len(rows)-1, len(all), ratings)
	}
	head := rows[0]
	for _, want := range []string{"session", "first_name", "birth_date", "patient_code", "phq9_9", "phq9_total", "phq9_band", "sows_total", "checkin_day_craving", "kratom_triggers", "cows_pulse", "cows_total", "cows_band"} {
		if !slices.Contains(head, want) {
			t.Errorf("no column %q", want)
		}
	}
	col := func(name string) int { return slices.Index(head, name) }
	checkins, coded := 0, 0
	for _, r := range rows[1:] {
		if len(r) != len(head) {
			t.Fatalf("a row of %d cells, header %d", len(r), len(head))
		}
		if r[col("kind")] == "rating" {
			if r[col("first_name")] == "" || r[col("patient_code")] == "" || r[col("cows_total")] == "" || r[col("cows_band")] == "" ||
				r[col("cows_pulse")] == "" || r[col("started")] == "" || r[col("phq9_total")] != "" {
				t.Errorf("a rating's row: %v", r)
			}
			continue
		}
		if r[col("cows_total")] != "" {
			t.Errorf("a session's row with a COWS total: %v", r[:8])
		}
		if r[col("kind")] == "checkin" {
			checkins++
			if r[col("first_name")] == "" {
				t.Errorf("a check-in row is not named by its patient's screening: %v", r[:10])
			}
		}
		if r[col("patient_code")] != "" {
			coded++
		}
		if r[col("kind")] == "screening" && r[col("status")] != "incomplete" && r[col("phq9_total")] == "" && r[col("phq9_9")] != "(declined)" {
			t.Errorf("a finished screening without a PHQ-9 total: %v", r[:8])
		}
	}
	if checkins == 0 || coded <= checkins {
		t.Errorf("%d check-ins, %d rows with a code", checkins, coded)
	}
}

func TestCSVDeidentified(t *testing.T) {
	ctx := context.Background()
	st, key, cat := filled(t)
	var plain, deid bytes.Buffer
	if _, err := CSV(ctx, &plain, st, key, cat, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := CSV(ctx, &deid, st, key, cat, Options{Deidentified: true, Rand: rand.NewChaCha8([32]byte{1, 2, 3})}); err != nil {
		t.Fatal(err)
	}
	p, d := read(t, plain.Bytes()), read(t, deid.Bytes())
	if len(p) != len(d) {
		t.Fatalf("%d rows, %d de-identified", len(p), len(d))
	}
	for _, h := range []string{"first_name", "last_name", "birth_date", "patient_code"} {
		if slices.Contains(d[0], h) {
			t.Errorf("de-identified has %q", h)
		}
	}
	// no name, date of birth, code or session id survives anywhere
	pcol := func(name string) int { return slices.Index(p[0], name) }
	// nor a free-text answer, which may hold a name
	written := 0
	for _, in := range cat.Instruments() {
		for _, it := range in.Items {
			if it.Kind != screening.Free {
				continue
			}
			name := in.ID + "_" + it.ID
			for i := 1; i < len(p); i++ {
				if p[i][pcol(name)] != "" {
					written++
				}
				if v := d[i][slices.Index(d[0], name)]; v != "" {
					t.Errorf("row %d: de-identified %s = %q", i, name, v)
				}
			}
		}
	}
	if written == 0 {
		t.Error("the demo data has no free-text answer to drop")
	}
	text := deid.String()
	for _, r := range p[1:] {
		for _, secret := range []string{r[pcol("last_name")], r[pcol("birth_date")], r[pcol("patient_code")], r[pcol("session")]} {
			if secret != "" && strings.Contains(text, secret) {
				t.Errorf("de-identified CSV holds %q", secret)
			}
		}
	}
	// each patient's dates move by one offset: the gaps within a patient
	// stay, the dates do not
	dcol := func(name string) int { return slices.Index(d[0], name) }
	moved := 0
	byCode := map[string]time.Duration{}
	offsets := map[time.Duration]bool{}
	for i := 1; i < len(p); i++ {
		ps, _ := time.Parse(time.RFC3339, p[i][pcol("started")])
		ds, _ := time.Parse(time.RFC3339, d[i][dcol("started")])
		off := ds.Sub(ps)
		if off < 0 || off > 364*24*time.Hour || off%(24*time.Hour) != 0 {
			t.Errorf("row %d moved by %v", i, off)
		}
		if off > 0 {
			moved++
		}
		offsets[off] = true
		if code := p[i][pcol("patient_code")]; code != "" {
			if o, ok := byCode[code]; ok && o != off {
				t.Errorf("patient %s: sessions moved by %v and %v", code, o, off)
			}
			byCode[code] = off
		}
		if c := p[i][pcol("completed")]; c != "" {
			pc, _ := time.Parse(time.RFC3339, c)
			dc, _ := time.Parse(time.RFC3339, d[i][dcol("completed")])
			if dc.Sub(pc) != off {
				t.Errorf("row %d: completed moved by %v, started by %v", i, dc.Sub(pc), off)
			}
		}
	}
	if moved == 0 || len(offsets) < 5 {
		t.Errorf("%d rows moved, %d different offsets", moved, len(offsets))
	}
}

func TestCell(t *testing.T) {
	shift := func(t time.Time) string { return t.Add(24 * time.Hour).Format(time.RFC3339) }
	for _, tc := range []struct {
		c        column
		in, want string
	}{
		{column{free: true}, "@home with my sister", "'@home with my sister"},
		{column{free: true}, "=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{column{free: true}, "walked the dog", "walked the dog"},
		{column{}, "@not free text", "@not free text"},
		{column{when: true}, "2026-11-24T10:00:00Z", "2026-11-25T10:00:00Z"},
		{column{when: true}, "", ""},
		{column{free: true}, "", ""},
	} {
		if got := tc.c.cell(tc.in, shift); got != tc.want {
			t.Errorf("cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
