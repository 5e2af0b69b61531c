package bundle

import (
	"bytes"
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/internal/testkit"
	"intakekiosk/sqlite"
)

// A patient's check-in hash and box travel in a bundle (format 4) as they
// are. The same patients in a bundle of format 3 (an older satellite)
// read as codes issued before check-ins asked the date of birth: the
// kiosk asks for a new code there, never takes the code alone.
func TestCheckinHashTravels(t *testing.T) {
	ctx := context.Background()
	main := newClinic(t, "Main", nil)
	older := newClinic(t, "Older main", nil) // the same bundle, of format 3
	// the satellite seals to both
	path := filepath.Join(t.TempDir(), "north.db")
	st, err := sqlite.Open(ctx, path, sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.SetUp(ctx, "Ada", "correct horse battery", now, main.key.PublicKey(), older.key.PublicKey()); err != nil {
		t.Fatal(err)
	}
	key, _, err := st.Unlock(ctx, "Ada", "correct horse battery", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(ctx, "site_name", "North", "Ada", now); err != nil {
		t.Fatal(err)
	}
	sat := &clinic{st: st, key: key, path: path}
	register(t, main, sat, "North")
	register(t, older, sat, "North")
	g := demo.Generator{Catalog: testkit.Catalog(t), Rand: rand.New(rand.NewPCG(5, 5))}
	codes, err := demo.Fill(ctx, sat.st, sat.key, g, now, 8, "Ada")
	if err != nil || len(codes) == 0 {
		t.Fatalf("codes %v, %v", codes, err)
	}
	bundlePath, _ := sat.export(t, time.Time{})
	if _, err := Import(ctx, opener(bundlePath), main.st, "Ada", now); err != nil {
		t.Fatal(err)
	}
	sats := checkinColumns(t, sat.path)
	if len(sats) != len(codes) {
		t.Fatalf("%d patients at the satellite, %d codes", len(sats), len(codes))
	}
	for id, got := range checkinColumns(t, main.path) {
		if want := sats[id]; got != want || want == "" {
			t.Errorf("patient %s at the main clinic: check-in hash and box %q, at the satellite %q", id, got, want)
		}
	}
	// the same bundle as a satellite of format 3 wrote it
	priv, err := sat.st.SigningKey(ctx, sat.key, now)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(bundlePath)
	if err != nil {
		t.Fatal(err)
	}
	var old bytes.Buffer
	var bw *Writer
	_, _, err = Read(bytes.NewReader(data), func(h Header) error {
		var err error
		bw, err = newWriter(&old, Header{Site: h.Site, Recipients: h.Recipients, Created: h.Created}, priv, 3)
		return err
	}, func(ss *intakekiosk.SealedSession, p *intakekiosk.SealedPatient) error {
		if ss != nil {
			return bw.Session(*ss)
		}
		if p.BirthHash == nil {
			t.Error("a patient of format 4 came without its check-in hash")
		}
		return bw.Patient(*p) // its check-in hash still in: a reader of format 3 drops it
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := bw.Close(); err != nil {
		t.Fatal(err)
	}
	v3 := filepath.Join(t.TempDir(), "v3.jsonl")
	if err := os.WriteFile(v3, old.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(ctx, opener(v3), older.st, "Ada", now); err != nil {
		t.Fatal(err)
	}
	olds := checkinColumns(t, older.path)
	if len(olds) != len(codes) {
		t.Fatalf("%d patients from the format 3 bundle, want %d", len(olds), len(codes))
	}
	for id, got := range olds {
		if got != "" {
			t.Errorf("patient %s of a format 3 bundle has a check-in hash or box: %q", id, got)
		}
	}
}

// checkinColumns reads each patient's check-in hash and box in the
// database at path, in hex ("" for neither).
func checkinColumns(t *testing.T, path string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT id, hex(coalesce(birth_hash, '')) || hex(coalesce(checkin_sealed, '')) FROM patients")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, cols string
		if err := rows.Scan(&id, &cols); err != nil {
			t.Fatal(err)
		}
		out[id] = cols
	}
	return out
}
