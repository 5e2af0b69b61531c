package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"intakekiosk/screening"
)

// BenchmarkAppendAnswer commits one answer as a tap does: encode, seal
// with the session's data key, one transaction with synchronous=FULL on a
// real file. Compare with BenchmarkBareInsert (target: within 1.5x plus
// 0.2 ms for sealing).
func BenchmarkAppendAnswer(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b, Options{})
	if err := s.CreateSession(ctx, "s", Screening, t0); err != nil {
		b.Fatal(err)
	}
	a := screening.Answer{Instrument: "phq9", Item: "4", Choice: "2", At: t0}
	b.ResetTimer()
	for b.Loop() {
		if err := s.Append(ctx, "s", t0, Payload{Answer: &a}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBareInsert is the floor: a single-row INSERT of a similar blob
// in autocommit, same file settings, no store code.
func BenchmarkBareInsert(b *testing.B) {
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(b.TempDir(), "bare.db")+"?"+dsnParams)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, session_id TEXT, recorded TEXT, payload BLOB)"); err != nil {
		b.Fatal(err)
	}
	payload := []byte(`{"answer":{"instrument":"phq9","item":"4","choice":"2","at":"2026-11-25T14:30:00Z"}}`)
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.Exec("INSERT INTO t (session_id, recorded, payload) VALUES (?, ?, ?)", "s", "2026-11-25T14:30:00Z", payload); err != nil {
			b.Fatal(err)
		}
	}
}
