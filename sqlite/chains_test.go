package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/trend"
)

// chainClinic is a database with two finished sessions (one with a
// counselor's note), a returning patient with a plan, and one session
// still in progress.
func chainClinic(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, _ := openTemp(t, Options{Now: func() time.Time { return t0 }})
	for _, id := range []string{"a", "b", "open"} {
		if err := s.CreateSession(ctx, id, intakekiosk.Screening, t0); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if err := s.Append(ctx, id, t0, intakekiosk.Payload{Event: intakekiosk.Event{Help: true}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, id := range []string{"a", "b"} {
		if err := s.Complete(ctx, id, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	key := clinicKey(t, s)
	if err := s.AddNote(ctx, "a", key, intakekiosk.Note{By: "Ada", Text: "Called back."}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	patient, _, err := s.IssueCode(ctx, "b", testBirth, "Ada", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	plan := &trend.Plan{Start: t0, StartDose: 10, Percent: 10, EveryDays: 3}
	if err := s.SetPlan(ctx, patient, key, plan, "Ada", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	return s
}

// Verify names a session cut short or missing altogether, a place
// missing from the middle, a patient missing, and a session no entry
// counts; a purge is no loss, and a session still in progress is not
// counted until it ends.
func TestVerifyChainsNamesWhatIsMissing(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		tamper []string
		want   func(w string) []ChainProblem
	}{
		{"untouched", nil, func(string) []ChainProblem { return nil }},
		{"the note dropped", []string{"DELETE FROM records WHERE session_id = 'a' AND seq = 4"},
			func(w string) []ChainProblem { return []ChainProblem{{ID: "a", Writer: w, Lost: 1}} }},
		{"the tail of the answers dropped", []string{"DELETE FROM records WHERE session_id = 'b' AND seq >= 2"},
			func(w string) []ChainProblem { return []ChainProblem{{ID: "b", Writer: w, Lost: 2}} }},
		{"a whole session dropped", []string{"DELETE FROM sessions WHERE id = 'a'"},
			func(w string) []ChainProblem { return []ChainProblem{{ID: "a", Missing: true}} }},
		{"a record from the middle", []string{"DELETE FROM records WHERE session_id = 'a' AND seq = 2"},
			func(w string) []ChainProblem {
				return []ChainProblem{{ID: "a", Writer: w, Lost: 1}, {ID: "a", Writer: w, Gap: 2}}
			}},
		{"a patient dropped", []string{"DELETE FROM sessions WHERE patient_id IS NOT NULL", "DELETE FROM patients"},
			func(w string) []ChainProblem { return nil }}, // filled below: ids are random
		{"a session added outside the kiosk", []string{`INSERT INTO sessions (id, kind, status, started, sealed_key)
			VALUES ('forged', 'screening', 'new', '2026-01-01T00:00:00.000000000Z', x'01')`},
			func(w string) []ChainProblem { return []ChainProblem{{ID: "forged", Uncounted: true}} }},
		{"the open session's records beyond any count", []string{"DELETE FROM records WHERE session_id = 'open' AND seq = 3"},
			func(string) []ChainProblem { return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := chainClinic(t)
			var patient string
			s.db.QueryRow("SELECT id FROM patients").Scan(&patient)
			for _, q := range tt.tamper {
				if _, err := s.db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.VerifyChains(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want(s.Writer())
			if tt.name == "a patient dropped" {
				want = []ChainProblem{{ID: "b", Missing: true}, {Patient: true, ID: patient, Missing: true}}
				slices.SortFunc(want, func(a, b ChainProblem) int {
					if a.ID < b.ID {
						return -1
					}
					return 1
				})
			}
			if !slices.Equal(got, want) {
				t.Errorf("VerifyChains = %v, want %v", got, want)
			}
			for _, p := range got {
				if p.String() == "" {
					t.Errorf("%+v says nothing", p)
				}
			}
		})
	}
	// a purge deletes on record: nothing is missing after it
	s := chainClinic(t)
	if n, err := s.Purge(ctx, t0.Add(time.Second), "Ada", t0.Add(2*time.Hour)); err != nil || n != 2 {
		t.Fatalf("purge = %d, %v", n, err)
	}
	if got, err := s.VerifyChains(ctx); err != nil || len(got) != 0 {
		t.Errorf("after a purge: %v, %v; want nothing missing", got, err)
	}
	// a session cut off by a crash is counted when the kiosk starts again
	if _, err := s.db.Exec("DELETE FROM records WHERE session_id = 'open' AND seq = 3"); err != nil {
		t.Fatal(err)
	}
	if n, err := s.RecoverInterrupted(ctx); err != nil || n != 1 {
		t.Fatalf("recover = %d, %v", n, err)
	}
	if got, err := s.VerifyChains(ctx); err != nil || len(got) != 0 {
		t.Errorf("after the recovery: %v, %v", got, err)
	}
	if _, err := s.db.Exec("DELETE FROM records WHERE session_id = 'open' AND seq = 2"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.VerifyChains(ctx); len(got) != 1 || got[0].ID != "open" || got[0].Lost != 1 {
		t.Errorf("a recovered session cut short: %v", got)
	}
}

// A purge killed between batches has put every batch it committed on
// record, by session.
func TestPurgeAuditsEachBatch(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	var list []NewSession
	for i := range purgeBatch + 20 {
		list = append(list, NewSession{ID: fmt.Sprintf("s%04d", i), Kind: intakekiosk.Screening, Status: intakekiosk.New,
			Started: t0.Add(time.Duration(i) * time.Second)})
	}
	if err := s.AddSessions(ctx, list); err != nil {
		t.Fatal(err)
	}
	// the second batch fails: the first stays deleted and on record
	if _, err := s.db.Exec(`CREATE TRIGGER stop BEFORE DELETE ON sessions WHEN (SELECT count(*) FROM sessions) <= 20
		BEGIN SELECT RAISE(ABORT, 'killed'); END`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Purge(ctx, t0.Add(time.Hour), "Ada", t0); err == nil {
		t.Fatal("the purge went through its failed batch")
	}
	var left, audited int
	s.db.QueryRow("SELECT count(*) FROM sessions").Scan(&left)
	s.db.QueryRow("SELECT count(*) FROM audit WHERE action = ? AND detail LIKE 'batch 1:%'", ActPurge).Scan(&audited)
	if left != 20 || audited != 1 {
		t.Errorf("%d sessions left, %d batch entries; want 20 and 1", left, audited)
	}
	if got, err := s.VerifyChains(ctx); err != nil || len(got) != 0 {
		t.Errorf("after a purge cut off: %v, %v", got, err)
	}
}

// Migration 0009 on a database the release before it made (schema 8,
// kioskctl init and demo): every record still opens, the older records
// are counted once, and a tail cut after the migration is found.
func TestMigrateReleaseDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "kiosk.db")
	for _, f := range []string{"", ".audit-head"} {
		copyFile(t, filepath.Join("testdata", "release-8.db"+f), path+f)
	}
	s, err := Open(ctx, path, Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.VerifyAudit(ctx); err != nil || n < 2 {
		t.Fatalf("audit after the migration: %d, %v", n, err)
	}
	var counted int
	s.db.QueryRow("SELECT count(*) FROM audit WHERE action = ?", ActCounted).Scan(&counted)
	if counted != 1 {
		t.Errorf("%d entries count the older records, want 1", counted)
	}
	if got, err := s.VerifyChains(ctx); err != nil || len(got) != 0 {
		t.Fatalf("chains after the migration: %v, %v", got, err)
	}
	key, _, err := s.Unlock(ctx, "Ada", "release-8 passphrase", t0)
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := s.Sessions(ctx, Filter{})
	if err != nil || len(sessions) < 12 {
		t.Fatalf("%d sessions, %v", len(sessions), err)
	}
	for _, ss := range sessions {
		if _, err := s.Records(ctx, ss.ID, key); err != nil {
			t.Errorf("session %s after the migration: %v", ss.ID, err)
		}
	}
	// a note now goes in this writer's own chain, after the older ones
	id := sessions[0].ID
	if err := s.AddNote(ctx, id, key, intakekiosk.Note{By: "Ada", Text: "After the migration."}, t0); err != nil {
		t.Fatal(err)
	}
	recs, err := s.Records(ctx, id, key)
	if err != nil || recs[len(recs)-1].Payload.Note == nil {
		t.Fatalf("records with the note: %v", err)
	}
	if _, err := s.db.Exec("DELETE FROM records WHERE session_id = ? AND writer = 0 AND seq = (SELECT max(seq) FROM records WHERE session_id = ? AND writer = 0)", id, id); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.VerifyChains(ctx); len(got) != 1 || got[0].ID != id || got[0].Writer != intakekiosk.LegacyWriter || got[0].Lost != 1 {
		t.Errorf("an older record cut from the end: %v", got)
	}
}
