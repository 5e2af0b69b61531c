package bundle

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/internal/testkit"
	"intakekiosk/sqlite"
	"intakekiosk/trend"
	"intakekiosk/vault"
)

var now = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

type clinic struct {
	st   *sqlite.Store
	key  *vault.ClinicKey
	path string
}

// newClinic sets up a clinic; a satellite (main given) seals to main too.
func newClinic(t testing.TB, name string, main *clinic) *clinic {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), name+".db")
	st, err := sqlite.Open(ctx, path, sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var extra []string
	if main != nil {
		extra = append(extra, main.key.PublicKey())
	}
	if _, err := st.SetUp(ctx, "Ada", "correct horse battery", now, extra...); err != nil {
		t.Fatal(err)
	}
	key, _, err := st.Unlock(ctx, "Ada", "correct horse battery", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetSetting(ctx, "site_name", name, "Ada", now); err != nil {
		t.Fatal(err)
	}
	return &clinic{st: st, key: key, path: path}
}

// fill stores synthetic patients at the satellite, returning ones too.
func (c *clinic) fill(t testing.TB, n int, seed uint64) {
	t.Helper()
	g := demo.Generator{Catalog: testkit.Catalog(t), Rand: rand.New(rand.NewPCG(seed, seed))}
	if _, err := demo.Fill(context.Background(), c.st, c.key, g, now, n, "Ada"); err != nil {
		t.Fatal(err)
	}
}

// register makes main accept the satellite's bundles.
func register(t testing.TB, main, sat *clinic, name string) {
	t.Helper()
	priv, err := sat.st.SigningKey(context.Background(), sat.key, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := main.st.AddSite(context.Background(), name, priv.Public().(ed25519.PublicKey), "Ada", now); err != nil {
		t.Fatal(err)
	}
}

// export writes the satellite's bundle to a file.
func (c *clinic) export(t testing.TB, since time.Time) (string, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bundle.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := Export(context.Background(), f, c.st, c.key, since, now, "")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := c.st.MarkSent(context.Background(), ex, sqlite.Entry{At: now, Actor: "test", Action: sqlite.ActExport, Detail: "bundle"}); err != nil {
		t.Fatal(err)
	}
	return path, len(ex.Sessions)
}

func opener(path string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return os.Open(path) }
}

// fingerprint is the rows of a database, hashed: a refused import must
// leave it unchanged.
func fingerprint(t testing.TB, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := sha256.New()
	for _, q := range []string{"SELECT id, status, coalesce(site, '') FROM sessions ORDER BY id", "SELECT id, session_id, payload FROM records ORDER BY id",
		"SELECT id FROM patients ORDER BY id", "SELECT seq, hash FROM audit ORDER BY seq"} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			rows.Scan(ptrs...)
			fmt.Fprint(h, vals...)
		}
		rows.Close()
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestExportImport(t *testing.T) {
	ctx := context.Background()
	main := newClinic(t, "Main", nil)
	sat := newClinic(t, "North", main)
	sat.fill(t, 20, 2)
	register(t, main, sat, "North clinic")
	path, n := sat.export(t, time.Time{})
	satSessions, _ := sat.st.Sessions(ctx, sqlite.Filter{})
	if n == 0 || n > len(satSessions) {
		t.Fatalf("exported %d of %d", n, len(satSessions))
	}
	res, err := Import(ctx, opener(path), main.st, "Ada", now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Site != "North clinic" || res.Added != n || res.Existing != 0 {
		t.Errorf("import %+v, want %d added from North clinic", res, n)
	}
	// the same sessions, ids and times, and the main clinic opens them
	for _, ss := range satSessions {
		if ss.Status == intakekiosk.InProgress {
			continue
		}
		got, err := main.st.Session(ctx, ss.ID)
		if err != nil {
			t.Fatalf("session %s: %v", ss.ID, err)
		}
		if !got.Started.Equal(ss.Started) || !got.Completed.Equal(ss.Completed) || got.Status != ss.Status || got.PatientID != ss.PatientID {
			t.Errorf("session %s: %+v, was %+v", ss.ID, got, ss)
		}
		a, err := sat.st.Records(ctx, ss.ID, sat.key)
		if err != nil {
			t.Fatal(err)
		}
		b, err := main.st.Records(ctx, ss.ID, main.key)
		if err != nil || len(a) != len(b) {
			t.Fatalf("session %s at main: %d records, %v (satellite: %d)", ss.ID, len(b), err, len(a))
		}
	}
	if _, err := main.st.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
	// twice adds nothing
	count := func() int {
		list, _ := main.st.Sessions(ctx, sqlite.Filter{})
		return len(list)
	}
	before := count()
	res, err = Import(ctx, opener(path), main.st, "Ada", now)
	if err != nil || res.Added != 0 || res.Existing != n || count() != before {
		t.Errorf("second import %+v, %v; %d sessions, were %d", res, err, count(), before)
	}
	// exported sessions are not exported again
	if _, n2 := sat.export(t, time.Time{}); n2 != 0 {
		t.Errorf("a second export holds %d sessions", n2)
	}
	if _, n3 := sat.export(t, now.AddDate(0, 0, -30)); n3 != n {
		t.Errorf("an export since a date holds %d, want %d", n3, n)
	}
}

// What changes at the satellite after an export goes in its next bundle
// and is merged at the main clinic: a counselor's note on a session, a
// taper plan. A session that took notes on both sides is left as it is
// here, and the import says so.
func TestImportMergesLaterRecords(t *testing.T) {
	ctx := context.Background()
	main := newClinic(t, "Main", nil)
	sat := newClinic(t, "North", main)
	sat.fill(t, 12, 7)
	register(t, main, sat, "North")
	path, _ := sat.export(t, time.Time{})
	if _, err := Import(ctx, opener(path), main.st, "Ada", now); err != nil {
		t.Fatal(err)
	}
	list, _ := sat.st.Sessions(ctx, sqlite.Filter{Kind: intakekiosk.Screening})
	var session, patient, uncoded string
	for _, ss := range list {
		switch {
		case ss.Status == intakekiosk.InProgress:
		case ss.PatientID != "" && session == "":
			session, patient = ss.ID, ss.PatientID
		case ss.PatientID == "" && uncoded == "":
			uncoded = ss.ID
		}
	}
	if session == "" || uncoded == "" {
		t.Fatal("the demo data has no screened patient with a code, or none without")
	}
	later := now.Add(time.Hour)
	if err := sat.st.AddNote(ctx, session, sat.key, intakekiosk.Note{By: "Ada", Text: "Called back, comes Monday."}, later); err != nil {
		t.Fatal(err)
	}
	plan := &trend.Plan{Start: later, StartDose: 12, Percent: 10, EveryDays: 3}
	if err := sat.st.SetPlan(ctx, patient, sat.key, plan, "Ada", later); err != nil {
		t.Fatal(err)
	}
	// a code given after the screening went: the link goes too
	newPatient, _, err := sat.st.IssueCode(ctx, uncoded, "1985-03-07", "Ada", later)
	if err != nil {
		t.Fatal(err)
	}
	path, n := sat.export(t, time.Time{})
	if n != 2 {
		t.Errorf("the next bundle holds %d sessions, want the one with a note and the one given a code", n)
	}
	res, err := Import(ctx, opener(path), main.st, "Ada", now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 2 || res.Added != 0 || res.PatientsUpdated != 1 || res.PatientsAdded != 1 || res.Differ != 0 {
		t.Errorf("import of the changes: %s", res.Summary())
	}
	if got, _ := main.st.Sessions(ctx, sqlite.Filter{Patient: newPatient}); len(got) != 1 || got[0].ID != uncoded {
		t.Errorf("the screening given a code after its export is not linked at main: %+v", got)
	}
	// the same bundle again changes nothing
	if res, err := Import(ctx, opener(path), main.st, "Ada", now); err != nil || res.Existing != 2 || res.Updated != 0 || res.PatientsUpdated != 0 || res.PatientsAdded != 0 {
		t.Errorf("the update bundle again: %s, %v", res.Summary(), err)
	}
	if _, err := main.st.VerifyAudit(ctx); err != nil {
		t.Error(err)
	}
	notes := func() []string {
		recs, err := main.st.Records(ctx, session, main.key)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range recs {
			if r.Note != nil {
				out = append(out, r.Note.Text)
			}
		}
		return out
	}
	if got := notes(); len(got) != 1 || got[0] != "Called back, comes Monday." {
		t.Errorf("notes at main: %q", got)
	}
	precs, err := main.st.PatientRecords(ctx, patient, main.key)
	if err != nil {
		t.Fatal(err)
	}
	if last := precs[len(precs)-1]; last.Plan == nil || last.Plan.StartDose != 12 {
		t.Errorf("the plan did not reach main: %+v", last)
	}
	// both sides add a note, each to its own writer's chain: both are
	// kept (two writers apart can both append)
	if err := main.st.AddNote(ctx, session, main.key, intakekiosk.Note{By: "Ada", Text: "Seen at main."}, later.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := sat.st.AddNote(ctx, session, sat.key, intakekiosk.Note{By: "Ada", Text: "No-show Monday."}, later.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// both sides end the patient's plan: both records are kept
	if err := main.st.SetPlan(ctx, patient, main.key, nil, "Ada", later.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := sat.st.SetPlan(ctx, patient, sat.key, nil, "Ada", later.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// and the satellite's counselor marks it reviewed: the review is
	// taken though the notes differ (unless main reviewed it first: the
	// first review stands)
	pre, _ := main.st.Session(ctx, session)
	wantBy := cmp.Or(pre.ReviewedBy, "Ada")
	if err := sat.st.MarkReviewed(ctx, session, "Ada", later.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	path, _ = sat.export(t, time.Time{})
	before := fingerprint(t, main.path)
	res, err = Import(ctx, opener(path), main.st, "Ada", now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Differ != 0 || res.Updated != 1 || res.PatientsDiffer != 0 || res.PatientsUpdated != 1 || strings.Contains(res.Summary(), "differ") {
		t.Errorf("import of copies both sides added to: %s", res.Summary())
	}
	if got := notes(); len(got) != 3 || got[1] != "Seen at main." || got[2] != "No-show Monday." {
		t.Errorf("notes at main after both sides added one: %q", got)
	}
	if precs, err := main.st.PatientRecords(ctx, patient, main.key); err != nil || len(precs) < 2 || !precs[len(precs)-1].EndPlan || !precs[len(precs)-2].EndPlan {
		t.Errorf("both ends of the plan at main: %+v, %v", precs, err)
	}
	if got, _ := main.st.Session(ctx, session); got.ReviewedBy != wantBy || got.Reviewed.IsZero() {
		t.Errorf("at main reviewed %v by %q, want reviewed by %s", got.Reviewed, got.ReviewedBy, wantBy)
	}
	if fingerprint(t, main.path) == before {
		t.Error("the import left no audit entry")
	}
}

func TestImportRefused(t *testing.T) {
	ctx := context.Background()
	main := newClinic(t, "Main", nil)
	sat := newClinic(t, "North", main)
	sat.fill(t, 8, 2)
	register(t, main, sat, "North")
	good, _ := sat.export(t, now.AddDate(0, 0, -30))
	data, _ := os.ReadFile(good)

	other := newClinic(t, "Other", nil) // sealed to another clinic only
	other.fill(t, 4, 3)
	register(t, main, other, "Other")
	foreign, _ := other.export(t, time.Time{})

	stranger := newClinic(t, "Stranger", main) // not registered
	stranger.fill(t, 4, 4)
	unknown, _ := stranger.export(t, time.Time{})

	write := func(name string, b []byte) string {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	flipped := bytes.Clone(data)
	i := bytes.Index(flipped, []byte(`"records"`)) + 40
	flipped[i] ^= 1
	version := bytes.Replace(data, []byte(`"version":4`), []byte(`"version":5`), 1)
	cases := []struct {
		name, path string
		is         error
		want       string
	}{
		{"flipped byte", write("flipped", flipped), ErrDamaged, ""},
		{"truncated", write("cut", data[:len(data)*2/3]), ErrDamaged, ""},
		{"end cut off", write("noend", data[:bytes.LastIndex(data[:len(data)-1], []byte("\n"))+1]), ErrDamaged, "no end line"},
		{"other version", write("v5", version), ErrVersion, "version 5"},
		{"not a bundle", write("x", []byte(`{"resourceType":"Patient"}`)), ErrNotBundle, ""},
		{"empty", write("empty", nil), ErrDamaged, ""},
		{"foreign clinic", foreign, nil, "not sealed to this clinic's key"},
		{"unregistered site", unknown, ErrUnknownKey, "sites add"},
	}
	before := fingerprint(t, main.path)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Import(ctx, opener(tc.path), main.st, "Ada", now)
			if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Import = %v, want %v %q", err, tc.is, tc.want)
			}
			if fingerprint(t, main.path) != before {
				t.Error("a refused bundle changed the database")
			}
		})
	}
}

// A byte changed late in a bundle (a sealed payload: only the digest
// finds it) refuses it at its end line, after the sessions before it went
// into the import's transaction: none of them is kept.
func TestImportChangedLate(t *testing.T) {
	ctx := context.Background()
	main := newClinic(t, "Main", nil)
	sat := newClinic(t, "North", main)
	sat.fill(t, 8, 5)
	register(t, main, sat, "North")
	path, _ := sat.export(t, time.Time{})
	data, _ := os.ReadFile(path)
	changed := bytes.Clone(data)
	at := len(changed) * 3 / 4
	mid := at + bytes.Index(changed[at:], []byte(`"payload":"`)) + len(`"payload":"`) + 4
	changed[mid] ^= 1
	before := fingerprint(t, main.path)
	_, err := Import(ctx, func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(changed)), nil }, main.st, "Ada", now)
	if !errors.Is(err, ErrDamaged) || fingerprint(t, main.path) != before {
		t.Errorf("a bundle changed late: %v", err)
	}
	if res, err := Import(ctx, func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }, main.st, "Ada", now); err != nil || res.Added == 0 || res.Existing != 0 {
		t.Errorf("the bundle as it was after the refusal: %+v, %v", res, err)
	}
}

// A registered site's bundle whose session has a time not in the stored
// form is refused whole, naming the session; the database is unchanged.
func TestImportRefusesBadTimes(t *testing.T) {
	ctx := context.Background()
	main := newClinic(t, "Main", nil)
	sat := newClinic(t, "North", main)
	register(t, main, sat, "North")
	priv, err := sat.st.SigningKey(ctx, sat.key, now)
	if err != nil {
		t.Fatal(err)
	}
	recips, err := sat.st.Recipients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bad.bundle")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw, err := NewWriter(f, Header{Site: "North", Recipients: recips, Created: now}, priv)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := sealedParts(t)
	if err := bw.Session(intakekiosk.SealedSession{ID: "0190c0de-0000-7000-8000-00000000bad0", Kind: intakekiosk.Screening, Status: intakekiosk.New,
		Started: "2026-11-25 10:00", SealedKey: key}); err != nil {
		t.Fatal(err)
	}
	if err := bw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before := fingerprint(t, main.path)
	_, err = Import(ctx, opener(path), main.st, "Ada", now)
	if err == nil || !strings.Contains(err.Error(), "0190c0de-0000-7000-8000-00000000bad0") || !strings.Contains(err.Error(), "field started: \"2026-11-25 10:00\" is not a stored time") {
		t.Errorf("Import = %v", err)
	}
	if fingerprint(t, main.path) != before {
		t.Error("a refused bundle changed the database")
	}
}

// A bundle of an older satellite (version 1) holds reviewed and printed
// as steps of the status: they read as the two marks, and a print is not
// a review.
func TestReadVersion1(t *testing.T) {
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	bw, err := newWriter(&buf, Header{Site: "North"}, priv, 1)
	if err != nil {
		t.Fatal(err)
	}
	const end = "2026-11-25T10:20:00.000000000Z"
	key, _ := sealedParts(t)
	const id = "0190c0de-0000-7000-8000-00000000000"
	for _, ss := range []intakekiosk.SealedSession{
		{ID: id + "a", Status: "reviewed", Completed: end, Ended: end},
		{ID: id + "b", Status: "printed", Completed: end, Ended: end, Urgent: true},
		{ID: id + "c", Status: "reviewed", Ended: end},
		{ID: id + "d", Status: intakekiosk.New, Completed: end, Ended: end},
	} {
		ss.Kind, ss.Started, ss.SealedKey = intakekiosk.Screening, "2026-11-25T10:00:00.000000000Z", key
		if err := bw.Session(ss); err != nil {
			t.Fatal(err)
		}
	}
	if err := bw.Close(); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	_, _, err = Read(&buf, nil, func(ss *intakekiosk.SealedSession, _ *intakekiosk.SealedPatient) error {
		got[ss.ID] = fmt.Sprintf("%s reviewed=%s printed=%s", ss.Status, ss.Reviewed, ss.Printed)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		id + "a": "new reviewed=" + end + " printed=",
		id + "b": "new reviewed= printed=" + end,
		id + "c": "incomplete reviewed=" + end + " printed=",
		id + "d": "new reviewed= printed=",
	}
	if !maps.Equal(got, want) {
		t.Errorf("version 1 read as %v, want %v", got, want)
	}
}
