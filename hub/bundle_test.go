package hub_test

import (
	"context"
	"crypto/ed25519"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/bundle"
	"intakekiosk/demo"
	"intakekiosk/internal/testkit"
	"intakekiosk/sqlite"
)

// A satellite's bundle imported at the main clinic while a kiosk pushes
// reaches every desk, and nothing of the kiosk's is lost.
func TestBundleAtMainReachesEveryDesk(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	c := newClinic(t)
	kiosk := c.join(t, "kiosk-1", "kiosk")
	other := c.join(t, "desk-2", "desk")

	// the satellite: its own database, sealed to the main clinic's key too
	sat, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "north.db"), sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer sat.Close()
	if _, err := sat.SetUp(ctx, "Ada", testkit.Passphrase, now, c.main.key.PublicKey()); err != nil {
		t.Fatal(err)
	}
	satKey, _, err := sat.Unlock(ctx, "Ada", testkit.Passphrase, now)
	if err != nil {
		t.Fatal(err)
	}
	g := demo.Generator{Catalog: c.cat, Rand: rand.New(rand.NewPCG(3, 3))}
	if _, err := demo.Fill(ctx, sat, satKey, g, now, 12, "Ada"); err != nil {
		t.Fatal(err)
	}
	priv, err := sat.SigningKey(ctx, satKey, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.main.st.AddSite(ctx, "North", priv.Public().(ed25519.PublicKey), testkit.Admin, now); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "north.bundle")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Export(ctx, f, sat, satKey, time.Time{}, now, ""); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before := c.main.sessions(t)
	c.main.run(t, nil)
	other.run(t, nil)
	kr := kiosk.run(t, nil)
	var wg sync.WaitGroup
	var kioskIDs []string
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 5 {
			kioskIDs = append(kioskIDs, kiosk.visit(t, "Ana", "Lopez", false, 1, 0, 0, 0, 0, 0, 0, 0, 0))
		}
	}()
	res, err := bundle.Import(ctx, func() (io.ReadCloser, error) { return os.Open(path) }, c.main.st, testkit.Admin, now)
	if err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if res.Added == 0 {
		t.Fatalf("import %+v", res)
	}
	want := before + res.Added + len(kioskIDs)
	deadline := time.Now().Add(20 * time.Second)
	for (other.sessions(t) != want || c.main.sessions(t) != want) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if got := other.sessions(t); got != want || c.main.sessions(t) != want {
		for _, n := range []*node{c.main, other, kiosk} {
			cur, _ := n.st.Hub(ctx)
			t.Logf("%s: %d sessions, cursor %+v", n.cfg.Name, n.sessions(t), cur)
		}
		t.Logf("server: %s", c.count(t, "SELECT string_agg(node || ':' || kind || ':' || n, ' ' ORDER BY hub) FROM kiosk.items"))
		t.Logf("kiosk: %+v", kr.State())
		t.Logf("refusals at desk-2: %v; at main %v", audit(t, other, "network_refused"), audit(t, c.main, "network_refused"))
		t.Fatalf("the second desk holds %d sessions, want %d", got, want)
	}
	for _, id := range kioskIDs {
		var n int
		other.raw(t).QueryRow("SELECT count(*) FROM sessions WHERE id = ?", id).Scan(&n)
		if n != 1 {
			t.Errorf("the kiosk's session %s is not at the second desk", id)
		}
	}
	var north int
	other.raw(t).QueryRow("SELECT count(*) FROM sessions WHERE site = 'North'").Scan(&north)
	if north != res.Added {
		t.Errorf("the second desk holds %d of North's %d sessions as North's", north, res.Added)
	}
	// each returning patient's days last asked came with them, to the
	// desks and to the kiosk, which asks at a check-in what is due
	checkins, err := sat.Sessions(ctx, sqlite.Filter{Kind: intakekiosk.Checkin})
	if err != nil || len(checkins) == 0 {
		t.Fatalf("the satellite's check-ins: %d, %v", len(checkins), err)
	}
	for _, ss := range checkins {
		want, err := sat.Asked(ctx, ss.PatientID)
		if err != nil || len(want) == 0 {
			t.Fatalf("asked at the satellite: %v, %v", want, err)
		}
		for _, n := range []*node{other, kiosk} {
			var got map[string]string
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if got, _ = n.st.Asked(ctx, ss.PatientID); maps.Equal(got, want) {
					break
				}
			}
			if !maps.Equal(got, want) {
				t.Errorf("%s: patient asked %v, the satellite %v", n.cfg.Name, got, want)
			}
		}
	}
	for _, n := range []*node{c.main, other, kiosk} {
		n.verify(t)
	}
}
