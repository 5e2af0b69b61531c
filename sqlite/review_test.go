package sqlite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/fault"
	"intakekiosk/screening"
)

// finished stores a finished screening session with one identity and one
// answer, and returns its id.
func finished(t *testing.T, s *Store, id string) string {
	t.Helper()
	ctx := context.Background()
	if err := s.CreateSession(ctx, id, intakekiosk.Screening, t0); err != nil {
		t.Fatal(err)
	}
	for _, p := range []intakekiosk.Payload{
		{Identity: &screening.Identity{First: "Lucía", Last: "Ortega", Birth: "1990-02-01"}},
		{Answer: &screening.Answer{Instrument: "phq9", Item: "1", Choice: "2", At: t0}},
	} {
		if err := s.Append(ctx, id, t0, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Complete(ctx, id, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAddNote(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{})
	key := clinicKey(t, s)
	id := finished(t, s, "s1")
	at := t0.Add(time.Hour)
	secret := "Patient mentions tapering with a friend; call back Friday"
	if err := s.AddNote(ctx, id, key, intakekiosk.Note{By: "Ada", Text: "  " + secret + "\n"}, at); err != nil {
		t.Fatal(err)
	}
	if err := s.AddNote(ctx, id, key, intakekiosk.Note{By: "Ada", Text: "Second note"}, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	recs, err := s.Records(ctx, id, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || recs[0].Identity == nil || recs[1].Answer == nil {
		t.Fatalf("the patient's records changed: %+v", recs)
	}
	v := intakekiosk.Replay(recs, &screening.Catalog{}, intakekiosk.Screening)
	want := []intakekiosk.StaffNote{{At: at, Note: intakekiosk.Note{By: "Ada", Text: secret}}, {At: at.Add(time.Minute), Note: intakekiosk.Note{By: "Ada", Text: "Second note"}}}
	if len(v.Notes) != 2 || v.Notes[0] != want[0] || v.Notes[1] != want[1] {
		t.Errorf("notes = %+v, want %+v", v.Notes, want)
	}
	log, err := s.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var notes int
	for _, e := range log {
		if e.Action == ActNote && e.Actor == "Ada" && e.Target == id {
			notes++
		}
		if strings.Contains(e.Detail, "Friday") {
			t.Errorf("note text in the audit log: %+v", e)
		}
	}
	if notes != 2 {
		t.Errorf("%d note_added entries, want 2", notes)
	}
	s.Close()
	for _, f := range []string{path, path + "-wal"} {
		data, _ := os.ReadFile(f)
		if bytes.Contains(data, []byte("Friday")) {
			t.Errorf("%s holds the note in clear", f)
		}
	}
}

func TestAddNoteRefused(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	key := clinicKey(t, s)
	id := finished(t, s, "s1")
	if err := s.CreateSession(ctx, "open", intakekiosk.Screening, t0); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("ñ", MaxNoteLen+1)
	for _, tc := range []struct {
		name, id string
		note     intakekiosk.Note
		want     string
		is       error
	}{
		{"empty", id, intakekiosk.Note{By: "Ada", Text: " \n "}, "empty", nil},
		{"too long", id, intakekiosk.Note{By: "Ada", Text: long}, "longer than", nil},
		{"nobody", id, intakekiosk.Note{Text: "x"}, "no staff member", nil},
		{"no session", "nope", intakekiosk.Note{By: "Ada", Text: "x"}, "", ErrNoSession},
		{"in progress", "open", intakekiosk.Note{By: "Ada", Text: "x"}, "", intakekiosk.ErrInProgress},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.AddNote(ctx, tc.id, key, tc.note, t0)
			if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("AddNote = %v, want %q %v", err, tc.want, tc.is)
			}
		})
	}
	// the patient can still write to the open session: the note did not
	// take its place
	if err := s.Append(ctx, "open", t0, intakekiosk.Payload{Event: intakekiosk.Event{Help: true}}); err != nil {
		t.Fatal(err)
	}
	if recs, err := s.Records(ctx, id, key); err != nil || len(recs) != 2 {
		t.Errorf("records %d, %v", len(recs), err)
	}
}

func TestStaffStatus(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	id := finished(t, s, "s1")
	if err := s.CreateSession(ctx, "cut", intakekiosk.Screening, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkReviewed(ctx, "cut", "Ada", t0); !errors.Is(err, intakekiosk.ErrInProgress) {
		t.Errorf("reviewing a session in progress: %v", err)
	}
	s.Abandon(ctx, "cut", t0)
	t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)
	type marks struct {
		printed, reviewed time.Time
		by                string
	}
	steps := []struct {
		id   string
		do   func(id string) error
		want marks
	}{
		// a print is not a review
		{id, func(id string) error { return s.MarkPrinted(ctx, id, "Ada", "printed", t0) }, marks{printed: t0}},
		{id, func(id string) error { return s.MarkReviewed(ctx, id, "Sam", t1) }, marks{t0, t1, "Sam"}},
		// each only moves forward: the first print and review stand
		{id, func(id string) error { return s.MarkPrinted(ctx, id, "Ada", "saved as PDF", t2) }, marks{t0, t1, "Sam"}},
		{id, func(id string) error { return s.MarkReviewed(ctx, id, "Ada", t2) }, marks{t0, t1, "Sam"}},
		{"cut", func(id string) error { return s.MarkReviewed(ctx, id, "Ada", t0) }, marks{reviewed: t0, by: "Ada"}},
	}
	for i, st := range steps {
		if err := st.do(st.id); err != nil {
			t.Fatal(err)
		}
		got, err := s.Session(ctx, st.id)
		if m := (marks{got.Printed, got.Reviewed, got.ReviewedBy}); err != nil || !m.printed.Equal(st.want.printed) ||
			!m.reviewed.Equal(st.want.reviewed) || m.by != st.want.by {
			t.Errorf("step %d: %+v, %v; want %+v", i, m, err, st.want)
		}
		if got.Status == intakekiosk.InProgress || (got.Status == intakekiosk.Incomplete) != (st.id == "cut") {
			t.Errorf("step %d: status %s", i, got.Status)
		}
	}
	// reviewed, the session the patient left is still listed as incomplete
	// among the reviewed; the printed one among the printed
	for f, want := range map[intakekiosk.Standing]string{intakekiosk.StandingReviewed: "cut " + id, intakekiosk.StandingPrinted: id,
		intakekiosk.StandingIncomplete: "", intakekiosk.StandingUnreviewed: ""} {
		list, err := s.Sessions(ctx, Filter{Standing: f})
		var ids []string
		for _, ss := range list {
			ids = append(ids, ss.ID)
		}
		slices.Sort(ids)
		if err != nil || strings.Join(ids, " ") != want {
			t.Errorf("--status %s: %v, %v; want %s", f, ids, err, want)
		}
	}
	if err := s.MarkPrinted(ctx, "nope", "Ada", "", t0); !errors.Is(err, ErrNoSession) {
		t.Errorf("unknown session: %v", err)
	}
	log, _ := s.AuditLog(ctx)
	acts := map[string]int{}
	for _, e := range log {
		acts[e.Action]++
	}
	if acts[ActReview] != 3 || acts[ActPrint] != 2 {
		t.Errorf("audit actions %v", acts)
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
}

func TestAddSessions(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	key := clinicKey(t, s)
	id := screening.Identity{First: "Iñaki", Last: "Zubizarreta", Birth: "1979-12-31"}
	list := []NewSession{
		{ID: "a", Kind: intakekiosk.Screening, Status: intakekiosk.New, Started: t0, Completed: t0.Add(5 * time.Minute), Urgent: true,
			Records: []intakekiosk.Record{{Recorded: t0, Payload: intakekiosk.Payload{Identity: &id}}, {Recorded: t0.Add(time.Minute), Payload: intakekiosk.Payload{Event: intakekiosk.Event{Help: true}}}}},
		{ID: "b", Kind: intakekiosk.Checkin, Status: intakekiosk.Incomplete, Started: t0.Add(time.Hour),
			Records: []intakekiosk.Record{{Recorded: t0.Add(time.Hour + time.Minute), Payload: intakekiosk.Payload{Identity: &id}}}},
	}
	if err := s.AddSessions(ctx, list); err != nil {
		t.Fatal(err)
	}
	b, err := s.Session(ctx, "b")
	if err != nil || b.Status != intakekiosk.Incomplete || !b.Completed.IsZero() || !b.Ended.Equal(t0.Add(time.Hour+time.Minute)) {
		t.Errorf("b = %+v, %v", b, err)
	}
	recs, err := s.Records(ctx, "a", key)
	if err != nil || len(recs) != 2 || recs[0].Identity.Last != "Zubizarreta" || !recs[1].Event.Help {
		t.Errorf("records of a: %+v, %v", recs, err)
	}
	// all or nothing: one bad session stores none
	bad := []NewSession{{ID: "c", Kind: intakekiosk.Screening, Status: intakekiosk.New, Started: t0}, {ID: "d", Kind: intakekiosk.Screening, Status: intakekiosk.InProgress, Started: t0}}
	if err := s.AddSessions(ctx, bad); err == nil || !strings.Contains(err.Error(), "session d") {
		t.Errorf("bad batch: %v", err)
	}
	if _, err := s.Session(ctx, "c"); !errors.Is(err, ErrNoSession) {
		t.Errorf("half a batch stored: %v", err)
	}
	if err := s.AddSessions(ctx, list[:1]); err == nil {
		t.Error("the same id twice was stored")
	}
}

// A database of the release before printed and reviewed were two facts
// (schema 7, one status ladder) keeps who reviewed what from its audit
// log; a session it called printed is printed and not reviewed (the old
// ladder hid an urgent printed session no one had reviewed: it is pinned
// again), and a session reviewed after it was cut off is incomplete.
func TestMigrateStatusLadder(t *testing.T) {
	ctx := context.Background()
	path, db := atSchema(t, 7)
	const (
		start = "2026-01-01T09:00:00.000000000Z"
		end   = "2026-01-01T09:20:00.000000000Z"
		rev   = "2026-01-01T10:00:00.000000000Z"
		print = "2026-01-01T10:05:00.000000000Z"
	)
	session := func(id, status string, urgent int, completed bool) string {
		c := "NULL"
		if completed {
			c = "'" + end + "'"
		}
		return fmt.Sprintf(`INSERT INTO sessions (id, kind, status, started, completed, ended, urgent, sealed_key)
			VALUES ('%s', 'screening', '%s', '%s', %s, '%s', %d, x'01')`, id, status, start, c, end, urgent)
	}
	audit := func(seq int, at, actor, action, target string) string {
		return fmt.Sprintf(`INSERT INTO audit (seq, at, actor, action, target, prev_hash, hash) VALUES (%d, '%s', '%s', '%s', '%s', '', '')`,
			seq, at, actor, action, target)
	}
	for _, q := range []string{
		"PRAGMA user_version = 7",
		session("new", "new", 0, true),
		session("reviewed", "reviewed", 0, true),
		session("printed-urgent", "printed", 1, true),
		session("both", "printed", 0, true),
		session("cut", "reviewed", 0, false),
		audit(1, rev, "Sam", ActReview, "reviewed"),
		audit(2, print, "Ada", ActPrint, "printed-urgent"),
		audit(3, rev, "Sam", ActReview, "both"),
		audit(4, print, "Ada", ActPrint, "both"),
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		id                string
		status            intakekiosk.Status
		reviewed, printed string
		by                string
		pinned            bool
	}{
		{"new", intakekiosk.New, "", "", "", false},
		{"reviewed", intakekiosk.New, rev, "", "Sam", false},
		{"printed-urgent", intakekiosk.New, "", print, "", true},
		{"both", intakekiosk.New, rev, print, "Sam", false},
		{"cut", intakekiosk.Incomplete, end, "", "", false},
	}
	at := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, _ := time.Parse(time.RFC3339Nano, s)
		return t
	}
	for _, tt := range tests {
		got, err := s.Session(ctx, tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != tt.status || !got.Reviewed.Equal(at(tt.reviewed)) || !got.Printed.Equal(at(tt.printed)) ||
			got.ReviewedBy != tt.by || got.Pinned() != tt.pinned {
			t.Errorf("%s: status %s reviewed %v by %q printed %v pinned %v; want %+v", tt.id, got.Status, got.Reviewed, got.ReviewedBy,
				got.Printed, got.Pinned(), tt)
		}
	}
}

// An urgent session's alert is answered once: the first staff member's
// name and time are kept and audited, a later answer (from another handle
// on the same file, as a desk's pull would bring it) changes nothing, and
// the change is in the change log for the clinic's server.
func TestAcknowledge(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t, Options{})
	if err := s.CreateSession(ctx, "u1", intakekiosk.Screening, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.Raise(ctx, "u1", intakekiosk.Urgent); err != nil {
		t.Fatal(err)
	}
	calm := finished(t, s, "c1")
	other, err := Open(ctx, path, Options{WorkFactor: testWorkFactor})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var rev int64
	if err := s.db.QueryRowContext(ctx, "SELECT rev FROM changes WHERE kind = 'session' AND id = 'u1'").Scan(&rev); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(2 * time.Minute)
	entry := func(by string, at time.Time) Entry {
		return Entry{At: at, Actor: by, Action: ActAcknowledged, Target: "u1"}
	}
	// in progress: the patient is still at the kiosk, in crisis
	if err := other.Acknowledge(ctx, "u1", "Sam", at, entry("Sam", at)); err != nil {
		t.Fatal(err)
	}
	if err := s.Acknowledge(ctx, "u1", "Ada", at.Add(time.Minute), entry("Ada", at.Add(time.Minute))); err != nil {
		t.Fatalf("a second answer: %v, want nil (the alert is answered)", err)
	}
	got, err := s.Session(ctx, "u1")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Acked.Equal(at) || got.AckedBy != "Sam" || got.Alerting() {
		t.Errorf("acked %v by %q (alerting %v), want %v by Sam", got.Acked, got.AckedBy, got.Alerting(), at)
	}
	list, err := s.Sessions(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ss := range list {
		if ss.ID == "u1" && (ss.AckedBy != "Sam" || !ss.Acked.Equal(at)) {
			t.Errorf("Sessions lists u1 acked %v by %q", ss.Acked, ss.AckedBy)
		}
		if ss.ID == calm && (ss.AckedBy != "" || !ss.Acked.IsZero()) {
			t.Errorf("Sessions lists %s acked %v by %q", calm, ss.Acked, ss.AckedBy)
		}
	}
	log, err := s.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var acks []string
	for _, e := range log {
		if e.Action == ActAcknowledged {
			acks = append(acks, e.Actor+" "+e.Target)
		}
	}
	if !slices.Equal(acks, []string{"Sam u1"}) {
		t.Errorf("audited acknowledgements %q, want [Sam u1]", acks)
	}
	var after int64
	if err := s.db.QueryRowContext(ctx, "SELECT rev FROM changes WHERE kind = 'session' AND id = 'u1'").Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after <= rev {
		t.Errorf("the acknowledgement is not in the change log (rev %d, before %d)", after, rev)
	}
	for _, tt := range []struct {
		id, by string
		kind   fault.Kind
	}{{calm, "Sam", fault.Invalid}, {"nobody", "Sam", fault.NotFound}, {"u1", "", fault.Invalid}} {
		if err := s.Acknowledge(ctx, tt.id, tt.by, at, entry(tt.by, at)); !fault.Is(tt.kind, err) {
			t.Errorf("Acknowledge(%s, %q) = %v, want %v", tt.id, tt.by, err, tt.kind)
		}
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain: %v", err)
	}
}
