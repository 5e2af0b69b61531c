package hub_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"intakekiosk/hub"
)

// The server cannot forge, change, drop or reorder a node's items
// undetected: a desk's pull refuses the first item that does not hold,
// keeps what came before it, and puts the refusal on record; nothing of
// the bad item reaches its database.
func TestServerCannotForge(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper string // SQL as the server's superuser; %ID% the second session's item
		says   string
	}{
		{"a body changed", "UPDATE kiosk.items SET body = convert_to(replace(convert_from(body, 'UTF8'), '\"urgent\":true', '\"urgent\":false'), 'UTF8') WHERE hub = %H2%", "signature"},
		{"urgency cleared in clear", "UPDATE kiosk.items SET urgent = false WHERE hub = %H2%", "signature"},
		{"an item dropped", "DELETE FROM kiosk.items WHERE hub = %H1%", "left out 1"},
		{"two swapped", "UPDATE kiosk.items SET hub = -hub WHERE hub IN (%H1%, %H2%); UPDATE kiosk.items SET hub = %H2% WHERE hub = -%H1%; UPDATE kiosk.items SET hub = %H1% WHERE hub = -%H2%", "left out"},
		{"a node of its own", "INSERT INTO kiosk.nodes (name, role, db_role, writer, verify_key, site_key, endorsement) SELECT 'rogue', role, 'rogue', gen_random_uuid(), verify_key, site_key, endorsement FROM kiosk.nodes WHERE name = 'kiosk-1'; UPDATE kiosk.items SET node = 'rogue' WHERE hub = %H2%", "endorsed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			c := newClinic(t)
			kiosk := c.join(t, "kiosk-1", "kiosk")
			first := kiosk.visit(t, "Ana", "Lopez", false, 0, 0, 0, 0, 0, 0, 0, 0, 0)
			kiosk.sync(t)
			second := kiosk.visit(t, "Ben", "Ortiz", true, 0, 0, 0, 0, 0, 0, 0, 0, 0)
			kiosk.sync(t)
			hubs := strings.Fields(c.srv.SQL(t, c.db, "SELECT hub FROM kiosk.items WHERE node = 'kiosk-1' AND kind = 'session' ORDER BY hub"))
			if len(hubs) < 2 {
				t.Fatalf("items %v", hubs)
			}
			// the first visit's last item and the second's first
			var h1, h2 string
			for _, h := range hubs {
				id := c.srv.SQL(t, c.db, "SELECT id FROM kiosk.items WHERE hub = "+h)
				if id == first {
					h1 = h
				}
				if id == second && h2 == "" {
					h2 = h
				}
			}
			if n1, _ := strconv.Atoi(h1); n1 == 0 {
				t.Fatal("no item of the first visit")
			}
			c.srv.SQL(t, c.db, strings.NewReplacer("%H1%", h1, "%H2%", h2).Replace(tc.tamper))
			before := len(audit(t, c.main, "network_refused"))
			_, _, err := c.main.hub.Sync(ctx)
			if !errors.Is(err, hub.ErrRefused) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("sync: %v, want a refusal saying %q", err, tc.says)
			}
			if got := len(audit(t, c.main, "network_refused")); got != before+1 {
				t.Errorf("%d refusals on record, want %d", got, before+1)
			}
			var urgent bool
			err = c.main.raw(t).QueryRow("SELECT urgent FROM sessions WHERE id = ?", second).Scan(&urgent)
			if err == nil && !urgent {
				t.Error("the tampered copy reached the desk")
			}
			c.main.verify(t)
		})
	}
}

// audit are the entries of action on n's audit log, oldest first.
func audit(t *testing.T, n *node, action string) []string {
	t.Helper()
	rows, err := n.raw(t).Query("SELECT detail FROM audit WHERE action = ? ORDER BY seq", action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}
