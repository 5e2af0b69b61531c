package hub_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"intakekiosk/desk"
	"intakekiosk/internal/testkit"
	"intakekiosk/sqlite"
	"intakekiosk/trend"
)

// The server never holds what a kiosk's disk does not: marker names,
// answers' words and a counselor's note go through the real code path
// (the intake at a kiosk, the desk's note), through a proxy that keeps
// every byte on the wire (the server without TLS for this), as do the
// date of birth, a check-in code and a taper plan's end, and after a
// CHECKPOINT and a stop none is in PostgreSQL's data directory, its WAL
// or its log, nor in the traffic, in clear, hex or base64. A positive
// control proves the scan sees what is there: a staff member's name,
// which is a clear field (reviewed_by), is found in both. The nodes'
// passwords reach the server only as SCRAM verifiers.
func TestServerHoldsNothingInClear(t *testing.T) {
	ctx := context.Background()
	c := newClinic(t)
	const control = "Zephyrine Marklowe"
	if err := c.main.st.AddStaff(ctx, control, sqlite.Counselor, "a long enough passphrase", c.main.key, testkit.Admin, c.main.now()); err != nil {
		t.Fatal(err)
	}
	kiosk := c.join(t, "kiosk-1", "kiosk")
	second := c.join(t, "desk-2", "desk")
	px := newProxy(t, c.srv.Port)
	for _, n := range []*node{kiosk, c.main, second} {
		n.throughProxy(px, c.srv.Port)
	}
	secrets := []string{"Quorvathine", "Blenkinsopp", "Thistlewaite zqx note"}
	id := kiosk.visit(t, secrets[0], secrets[1], true, 3, 3, 3, 3, 3, 3, 3, 3, 2)
	kiosk.sync(t)
	c.main.sync(t)
	if err := c.main.staff.Note(ctx, id, secrets[2]); err != nil {
		t.Fatal(err)
	}
	rev, err := desk.New(c.main.st, c.cat, c.main.now).Unlock(ctx, control, "a long enough passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if err := rev.Reviewed(ctx, id); err != nil {
		t.Fatal(err)
	}
	// a check-in code, made with the date of birth, and a taper plan
	// whose check-ins end on a day of its own: the patient's item carries
	// the check-in hash and box, never the date nor the code
	patient, code, err := c.main.staff.GiveCode(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	ends := time.Date(2031, 7, 19, 0, 0, 0, 0, time.UTC)
	if err := c.main.staff.SetPlan(ctx, patient, &trend.Plan{Start: c.main.now(), StartDose: 20, Percent: 10, EveryDays: 3, Ends: ends}); err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, "1980-04-02", "19800402", code, "2031-07-19")
	c.main.sync(t)
	if _, pulled := second.sync(t); len(pulled.Sessions) == 0 {
		t.Fatal("the second desk pulled nothing")
	}
	if d, err := second.staff.Read(ctx, id); err != nil || len(d.Notes) != 1 {
		t.Fatalf("at the second desk: %v, %+v", err, d.Notes)
	}
	var passwords []string
	for _, n := range []*node{kiosk, c.main, second} {
		u, err := url.Parse(n.cfg.URL)
		if err != nil {
			t.Fatal(err)
		}
		pw, _ := u.User.Password()
		passwords = append(passwords, pw)
	}
	c.srv.SQL(t, c.db, "CHECKPOINT")
	c.srv.Stop()
	t.Cleanup(func() { c.srv.Restart(t) })

	files, err := c.srv.Files()
	if err != nil {
		t.Fatal(err)
	}
	var wal, logs int
	found := func(marker string) (where []string) {
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			if holds(b, marker) {
				where = append(where, f)
			}
		}
		if holds(px.carried(), marker) {
			where = append(where, "the traffic")
		}
		return where
	}
	for _, f := range files {
		switch {
		case bytes.Contains([]byte(f), []byte("/pg_wal/")):
			wal++
		case bytes.Contains([]byte(f), []byte("/log/")):
			logs++
		}
	}
	if wal == 0 || logs == 0 || len(px.carried()) == 0 {
		t.Fatalf("the scan reads %d WAL files, %d logs, %d bytes of traffic", wal, logs, len(px.carried()))
	}
	for _, m := range append(secrets, passwords...) {
		if where := found(m); len(where) > 0 {
			t.Errorf("%q is in %v", m, where)
		}
	}
	where := found(control)
	var inData, inTraffic bool
	for _, w := range where {
		inTraffic = inTraffic || w == "the traffic"
		inData = inData || w != "the traffic"
	}
	if !inData || !inTraffic {
		t.Errorf("the positive control %q was found in %v: the scan does not see a clear field", control, where)
	}
}

// holds says whether b holds s in clear, in hex or in base64 (as a
// bytea or a JSON []byte would carry it).
func holds(b []byte, s string) bool {
	for _, form := range []string{s, hex.EncodeToString([]byte(s)), base64.StdEncoding.EncodeToString([]byte(s))[:len(s)*4/3/4*4]} {
		if bytes.Contains(b, []byte(form)) {
			return true
		}
	}
	return false
}
