package sqlite

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/vault"
)

// The summary cache's key is made once, opened again by the same clinic
// key, and made anew (the cache dropped) for another.
func TestSummaryKey(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	clinic := clinicKey(t, s)
	k1, err := s.SummaryKey(ctx, clinic)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := k1.Seal("ad", []byte("summary"))
	if err != nil {
		t.Fatal(err)
	}
	k2, err := s.SummaryKey(ctx, clinic)
	if err != nil {
		t.Fatal(err)
	}
	if plain, err := k2.Open("ad", sealed); err != nil || string(plain) != "summary" {
		t.Fatalf("the key opened again does not open what it sealed: %q, %v", plain, err)
	}
	s.CreateSession(ctx, "s1", intakekiosk.Screening, t0)
	if err := s.PutSummaries(ctx, []SealedSummary{{SessionID: "s1", Mark: "m", Sealed: sealed}}); err != nil {
		t.Fatal(err)
	}
	other, err := vault.NewClinicKey()
	if err != nil {
		t.Fatal(err)
	}
	k3, err := s.SummaryKey(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k3.Open("ad", sealed); !errors.Is(err, vault.ErrDamaged) {
		t.Errorf("another clinic key's summary key opened the old summaries: %v", err)
	}
	if got := cachedOf(t, s, "s1"); got.Mark != "" || got.Sealed != nil {
		t.Errorf("the cache survived a new key: %+v", got)
	}
	// the first clinic key again: a key of its own, the other's cache dropped
	if _, err := s.SummaryKey(ctx, clinic); err != nil {
		t.Fatal(err)
	}
	// a damaged sealed key is made anew
	if _, err := s.db.Exec("UPDATE summary_key SET sealed = x'00'"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SummaryKey(ctx, clinic); err != nil {
		t.Errorf("a damaged summary key was not made anew: %v", err)
	}
}

// What a session holds now moves with every record added, of the session
// and of its patient, and not with its clear marks; the cache never enters
// the change log; a session deleted takes its summary with it.
func TestCachedSummaries(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	clinic := clinicKey(t, s)
	for _, id := range []string{"s1", "s2"} {
		s.CreateSession(ctx, id, intakekiosk.Screening, t0)
		s.Append(ctx, id, t0, intakekiosk.Payload{Event: intakekiosk.Event{Help: true}})
		s.Complete(ctx, id, t0.Add(time.Minute))
	}
	before := cachedOf(t, s, "s1")
	if before.Records == "" || before.Patient != "" {
		t.Fatalf("state %+v", before)
	}
	var rev int
	s.db.QueryRow("SELECT rev FROM change_clock").Scan(&rev)
	if err := s.PutSummaries(ctx, []SealedSummary{{SessionID: "s1", Mark: "m1", Sealed: []byte("sealed")},
		{SessionID: "gone", Mark: "m", Sealed: []byte("x")}}); err != nil {
		t.Fatal(err)
	}
	var after int
	s.db.QueryRow("SELECT rev FROM change_clock").Scan(&after)
	if after != rev {
		t.Errorf("caching summaries moved the change clock %d -> %d", rev, after)
	}
	got := cachedOf(t, s, "s1")
	if got.Mark != "m1" || !bytes.Equal(got.Sealed, []byte("sealed")) || got.Records != before.Records {
		t.Errorf("cached %+v", got)
	}
	if err := s.MarkReviewed(ctx, "s1", "Ada", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := cachedOf(t, s, "s1"); got.Records != before.Records {
		t.Errorf("a review moved the records' state: %q -> %q", before.Records, got.Records)
	}
	if err := s.AddNote(ctx, "s1", clinic, intakekiosk.Note{By: "Ada", Text: "called back"}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	noted := cachedOf(t, s, "s1")
	if noted.Records == before.Records {
		t.Errorf("a note left the records' state at %q", noted.Records)
	}
	patient, _, err := s.IssueCode(ctx, "s1", testBirth, "Ada", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	coded := cachedOf(t, s, "s1")
	if coded.Patient == "" {
		t.Errorf("a code given left no patient state: %+v", coded)
	}
	if _, err := s.ReplaceCode(ctx, patient, testBirth, clinic, "Ada", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := cachedOf(t, s, "s1"); got.Patient == coded.Patient {
		t.Errorf("a code replaced left the patient state at %q", got.Patient)
	}
	list, err := s.CachedSummaries(ctx, []string{"s1", "s2", "nope"})
	if err != nil || len(list) != 2 {
		t.Errorf("cached summaries of s1, s2 and one not here: %d, %v", len(list), err)
	}
	if _, err := s.db.Exec("DELETE FROM records WHERE session_id = 's1'; DELETE FROM sessions WHERE id = 's1'"); err != nil {
		t.Fatal(err)
	}
	var left int
	s.db.QueryRow("SELECT count(*) FROM summaries").Scan(&left)
	if left != 0 {
		t.Errorf("%d summaries left of a session deleted", left)
	}
}

// cachedOf reads one session's entry.
func cachedOf(t *testing.T, s *Store, id string) CachedSummary {
	t.Helper()
	list, err := s.CachedSummaries(context.Background(), []string{id})
	if err != nil || len(list) != 1 {
		t.Fatalf("cached summary of %s: %v, %v", id, list, err)
	}
	return list[0]
}

// A salvage leaves the cache behind: it is made again from the records.
func TestSalvageLeavesSummaries(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{})
	s.CreateSession(ctx, "s1", intakekiosk.Screening, t0)
	if _, err := s.SummaryKey(ctx, clinicKey(t, s)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSummaries(ctx, []SealedSummary{{SessionID: "s1", Mark: "m", Sealed: []byte("sealed")}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	to := filepath.Join(t.TempDir(), "salvaged.db")
	if _, err := Salvage(ctx, path, to, "Ada", Options{WorkFactor: testWorkFactor}); err != nil {
		t.Fatal(err)
	}
	got, err := Open(ctx, to, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	var sessions, summaries, keys int
	got.db.QueryRow("SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM summaries), (SELECT count(*) FROM summary_key)").Scan(&sessions, &summaries, &keys)
	if sessions != 1 || summaries != 0 || keys != 0 {
		t.Errorf("salvaged %d sessions, %d summaries, %d summary keys; want 1, 0, 0", sessions, summaries, keys)
	}
}
