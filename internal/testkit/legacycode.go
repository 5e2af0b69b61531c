package testkit

import (
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"fmt"
	"testing"

	"intakekiosk/vault"
)

// LegacyCode makes a patient's check-in code one of a release before
// check-ins asked the date of birth, in the database file at path: each
// of the patient's sealed records sealed again without the date of
// birth, and the check-in hash and box gone, as that release left them.
// key opens the patient's data key.
func LegacyCode(tb testing.TB, path string, key *vault.ClinicKey, patientID string) {
	tb.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var sealedKey []byte
	if err := db.QueryRow("SELECT sealed_key FROM patients WHERE id = ?", patientID).Scan(&sealedKey); err != nil {
		tb.Fatal(err)
	}
	dataKey, err := key.OpenSessionKey(rand.Reader, sealedKey)
	if err != nil {
		tb.Fatal(err)
	}
	rows, err := db.Query("SELECT r.id, r.payload, coalesce(w.id, ''), r.seq FROM patient_records r LEFT JOIN writers w ON w.n = r.writer WHERE r.patient_id = ?", patientID)
	if err != nil {
		tb.Fatal(err)
	}
	type rec struct {
		id     int64
		sealed []byte
		ad     string
	}
	var recs []rec
	for rows.Next() {
		var r rec
		var writer string
		var seq int
		if err := rows.Scan(&r.id, &r.sealed, &writer, &seq); err != nil {
			tb.Fatal(err)
		}
		r.ad = fmt.Sprintf("patient:%s@%s#%d", patientID, writer, seq)
		if writer == "" {
			r.ad = fmt.Sprintf("patient:%s#%d", patientID, seq)
		}
		recs = append(recs, r)
	}
	rows.Close()
	for _, r := range recs {
		plain, err := dataKey.Open(r.ad, r.sealed)
		if err != nil {
			tb.Fatal(err)
		}
		var p map[string]any
		if err := json.Unmarshal(plain, &p); err != nil {
			tb.Fatal(err)
		}
		delete(p, "birth")
		if plain, err = json.Marshal(p); err != nil {
			tb.Fatal(err)
		}
		sealed, err := dataKey.Seal(r.ad, plain)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := db.Exec("UPDATE patient_records SET payload = ? WHERE id = ?", sealed, r.id); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := db.Exec("UPDATE patients SET birth_hash = NULL, checkin_sealed = NULL WHERE id = ?", patientID); err != nil {
		tb.Fatal(err)
	}
}
