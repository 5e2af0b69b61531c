package hub_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"intakekiosk/fault"
	"intakekiosk/postgres"
)

// conn connects as the node's own role.
func (n *node) conn(t testing.TB) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), n.cfg.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// server connects to the server as the node's own role, as its sync does.
func (n *node) server(t testing.TB) *postgres.Conn {
	t.Helper()
	conn, err := postgres.Connect(context.Background(), n.cfg.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// A kiosk's role adds only through push and reads only what kiosks need:
// every other write is refused by the server, sessions' items are not
// visible to it (row level security), another clinic's database refuses
// it; once revoked it is shut out at once, connected or not.
func TestKioskRoleMayDoLittle(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	kiosk.visit(t, "Ana", "Lopez", false, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	kiosk.sync(t)
	if _, _, err := c.main.staff.GiveCode(ctx, mustSession(t, c.main, kiosk)); err != nil {
		t.Fatal(err)
	}
	c.main.sync(t)
	conn := kiosk.conn(t)
	for _, q := range []string{
		"INSERT INTO kiosk.items (hub, node, kind, n, id, origin, urgent, made, digest, body, signature) SELECT hub + 1000, node, kind, n + 1000, id, origin, urgent, made, digest, body, signature FROM kiosk.items LIMIT 1",
		"UPDATE kiosk.items SET urgent = false",
		"DELETE FROM kiosk.items",
		"UPDATE kiosk.nodes SET revoked = now()",
		"DELETE FROM kiosk.nodes",
		"TRUNCATE kiosk.items",
		"CREATE TABLE kiosk.mine (x int)",
		"ALTER TABLE kiosk.items DISABLE ROW LEVEL SECURITY",
		"SELECT kiosk.contact(now(), 0, 0) FROM kiosk.nodes WHERE false; UPDATE kiosk.nodes SET pending = 5",
	} {
		if _, err := conn.Exec(ctx, q); err == nil {
			t.Errorf("a kiosk's role could: %s", q)
		}
	}
	counts := map[string]int{}
	rows, err := conn.Query(ctx, "SELECT kind, count(*) FROM kiosk.items GROUP BY kind")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		counts[k] = n
	}
	if counts["session"] != 0 || counts["patient"] != 1 {
		t.Errorf("a kiosk reads %v; want the patient and no session", counts)
	}
	// the desk reads them all
	var all int
	if err := c.main.conn(t).QueryRow(ctx, "SELECT count(*) FROM kiosk.items WHERE kind = 'session'").Scan(&all); err != nil || all == 0 {
		t.Errorf("a desk reads %d sessions (%v)", all, err)
	}
	// another clinic's database on the same server
	other := newClinic(t)
	if _, err := pgx.Connect(ctx, strings.Replace(kiosk.cfg.URL, "/"+c.db+"?", "/"+other.db+"?", 1)); err == nil {
		t.Error("a kiosk connected to another clinic's database")
	}

	if err := postgres.Owner(c.admin).Revoke(ctx, "kiosk-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "SELECT 1"); err == nil {
		t.Error("the revoked kiosk's connection still works")
	}
	kiosk.visit(t, "Ben", "Ortiz", false, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	_, _, err = kiosk.hub.Sync(ctx)
	if !fault.Is(fault.Permission, err) {
		t.Errorf("a revoked kiosk's sync: %v, want a Permission error", err)
	}
	if err := postgres.Owner(c.admin).Revoke(ctx, "no-such"); !fault.Is(fault.NotFound, err) {
		t.Errorf("revoking no node: %v", err)
	}
	var fe *fault.Error
	if !errors.As(err, &fe) || strings.Contains(err.Error(), kiosk.cfg.URL) {
		t.Errorf("the error %q says too much or has no kind", err)
	}
}

// mustSession is the one session n made, as the main desk has it.
func mustSession(t *testing.T, main, n *node) string {
	t.Helper()
	var id string
	if err := n.raw(t).QueryRow("SELECT id FROM sessions ORDER BY started DESC LIMIT 1").Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, pulled := main.sync(t); pulled.Patients < 0 {
		t.Fatal()
	}
	return id
}
