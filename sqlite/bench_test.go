package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/screening"
)

// BenchmarkAppendAnswer commits one answer as a tap does: encode, seal
// with the session's data key, one transaction with synchronous=FULL on a
// real file. Compare with BenchmarkBareInsert (target: within 1.5x plus
// 0.2 ms for sealing).
func BenchmarkAppendAnswer(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b, Options{})
	if err := s.CreateSession(ctx, "s", intakekiosk.Screening, t0); err != nil {
		b.Fatal(err)
	}
	a := screening.Answer{Instrument: "phq9", Item: "4", Choice: "2", At: t0}
	b.ResetTimer()
	for b.Loop() {
		if err := s.Append(ctx, "s", t0, intakekiosk.Payload{Answer: &a}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSessionEnd submits a session of 40 answers as the kiosk does:
// the status and the audit entry counting its records in one commit, then
// the audit head file written beside the database (its fsync and rename).
func BenchmarkSessionEnd(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b, Options{})
	a := screening.Answer{Instrument: "phq9", Item: "4", Choice: "2", At: t0}
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		id := fmt.Sprintf("s%d", i)
		if err := s.CreateSession(ctx, id, intakekiosk.Screening, t0); err != nil {
			b.Fatal(err)
		}
		for range 40 {
			if err := s.Append(ctx, id, t0, intakekiosk.Payload{Answer: &a}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if err := s.Complete(ctx, id, t0); err != nil {
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

// BenchmarkTodayQueue opens the staff queue of today in a database of
// 100,000 sessions: list today's sessions (by the index on start time) and
// open each one's identity with the clinic key, decrypting nothing else
// (target: under 100 ms).
func BenchmarkTodayQueue(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b, Options{})
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	// 100,000 older sessions, inserted directly: their sealed keys are
	// never opened here, so one stands for all
	s.CreateSession(ctx, "template", intakekiosk.Screening, today.Add(-time.Hour))
	var sealed []byte
	if err := s.db.QueryRow("SELECT sealed_key FROM sessions WHERE id = 'template'").Scan(&sealed); err != nil {
		b.Fatal(err)
	}
	tx, _ := s.db.Begin()
	stmt, _ := tx.Prepare("INSERT INTO sessions (id, kind, status, started, sealed_key) VALUES (?, 'screening', 'reviewed', ?, ?)")
	for i := range 100_000 {
		stmt.Exec(fmt.Sprintf("old-%06d", i), ts(today.Add(-time.Duration(i+1)*5*time.Minute)), sealed)
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	for i := range 20 {
		id := fmt.Sprintf("today-%02d", i)
		s.CreateSession(ctx, id, intakekiosk.Screening, today.Add(time.Duration(8*60+i*15)*time.Minute))
		s.Append(ctx, id, today, intakekiosk.Payload{Identity: &screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"}})
		s.Complete(ctx, id, today)
	}
	key := clinicKey(b, s)
	b.ResetTimer()
	for b.Loop() {
		list, err := s.Sessions(ctx, Filter{Since: today})
		if err != nil || len(list) != 20 {
			b.Fatalf("%d sessions today, %v", len(list), err)
		}
		for _, ss := range list {
			if _, err := s.Records(ctx, ss.ID, key); err != nil {
				b.Fatal(err)
			}
		}
	}
}
