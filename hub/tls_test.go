package hub_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/jackc/pgx/v5"

	"intakekiosk/fault"
	"intakekiosk/hub"
	"intakekiosk/postgres"
)

// withTLS is u with TLS required and the server's certificate checked
// against ca, name and all (the README's configuration).
func withTLS(t *testing.T, u, ca string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := p.Query()
	q.Set("sslmode", "verify-full")
	q.Set("sslrootcert", ca)
	p.RawQuery = q.Encode()
	return p.String()
}

// A node connects with TLS and sslmode=verify-full, as the README shows;
// a server whose certificate another CA signed is refused.
func TestTLSVerifyFull(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	ca := c.srv.TLS(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	kiosk.cfg.URL = withTLS(t, kiosk.cfg.URL, ca)
	kiosk.hub = hub.NewNode(kiosk.st, postgres.Dial, kiosk.cfg, kiosk.now)
	kiosk.visit(t, "Ana", "Lopez", false, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	if p, _ := kiosk.sync(t); p.Sessions != 1 {
		t.Fatalf("pushed %+v over TLS", p)
	}
	conn, err := pgx.Connect(ctx, kiosk.cfg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var ssl bool
	if err := conn.QueryRow(ctx, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").Scan(&ssl); err != nil || !ssl {
		t.Errorf("the connection is not TLS (%v)", err)
	}
	// the server's certificate now another CA's: the first CA refuses it
	c.srv.TLS(t)
	kiosk.hub = hub.NewNode(kiosk.st, postgres.Dial, kiosk.cfg, kiosk.now)
	if _, _, err := kiosk.hub.Sync(ctx); !fault.Is(fault.Unavailable, err) {
		t.Errorf("a server certificate of another CA: %v", err)
	}
}
