package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/exchange"
)

// unsent lists the session ids dest has not had.
func unsent(t *testing.T, s *Store, dest string) []string {
	t.Helper()
	var ids []string
	err := s.Unsent(context.Background(), dest, time.Time{}, func(it exchange.Item) error {
		if it.Session != nil {
			ids = append(ids, it.Session.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// Each destination has its own cursor: a bundle taken to the main clinic
// leaves the server's copy to do, and a note written later goes to both.
func TestSentPerDestination(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t, Options{})
	key := clinicKey(t, s)
	for _, id := range []string{"a", "b"} {
		if err := s.CreateSession(ctx, id, intakekiosk.Screening, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.Append(ctx, id, t0, intakekiosk.Payload{Event: intakekiosk.Event{Help: true}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Complete(ctx, id, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if got := unsent(t, s, "bundle"); !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("unsent to the bundle: %v", got)
	}
	sent := exchange.Sent{Dest: "bundle", At: t0.Add(time.Hour), Sessions: []string{"a", "b"}}
	if err := s.MarkSent(ctx, sent, Entry{At: t0, Actor: "Ada", Action: ActExport}); err != nil {
		t.Fatal(err)
	}
	if got := unsent(t, s, "bundle"); len(got) != 0 {
		t.Errorf("sent to the bundle, still unsent: %v", got)
	}
	if got := unsent(t, s, "server"); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("the server's cursor moved with the bundle's: %v", got)
	}
	if err := s.AddNote(ctx, "b", key, intakekiosk.Note{By: "Ada", Text: "called"}, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := unsent(t, s, "bundle"); !slices.Equal(got, []string{"b"}) {
		t.Errorf("after a later note, unsent to the bundle: %v", got)
	}
}

// A database of the release before the cursors (schema 6, one exported
// column per table) keeps what left in bundles as the bundle's cursor.
func TestMigrateExportedToSent(t *testing.T) {
	ctx := context.Background()
	path, db := atSchema(t, 6)
	for _, q := range []string{
		"PRAGMA user_version = 6",
		`INSERT INTO sessions (id, kind, status, started, completed, ended, sealed_key, exported)
			VALUES ('gone', 'screening', 'new', '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:01:00.000000000Z', '2026-01-01T00:01:00.000000000Z', x'01', '2026-01-02T00:00:00.000000000Z')`,
		`INSERT INTO sessions (id, kind, status, started, completed, ended, sealed_key)
			VALUES ('kept', 'screening', 'new', '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:01:00.000000000Z', '2026-01-01T00:01:00.000000000Z', x'01')`,
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
	if got := unsent(t, s, "bundle"); !slices.Equal(got, []string{"kept"}) {
		t.Errorf("after the migration, unsent to the bundle: %v; want only the session never exported", got)
	}
	if got := unsent(t, s, "server"); len(got) != 2 {
		t.Errorf("unsent to a new destination: %v; want both", got)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM pragma_table_info('sessions') WHERE name = 'exported'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the exported column is still there (%d, %v)", n, err)
	}
}

// atSchema is a new database file at schema n: the first n migrations
// run, as a release of that schema left it, open without the store.
func atSchema(t *testing.T, n int) (string, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("v%d.db", n))
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range migrationNames()[:n] {
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return path, db
}
