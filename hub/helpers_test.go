package hub_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	_ "github.com/mattn/go-sqlite3"

	"intakekiosk"
	"intakekiosk/desk"
	"intakekiosk/hub"
	"intakekiosk/intake"
	"intakekiosk/internal/pgtest"
	"intakekiosk/internal/testkit"
	"intakekiosk/postgres"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/vault"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &srv)) }

// dbs numbers the tests' server databases.
var dbs atomic.Int64

// clinic is a clinic network of the tests: a database of its own on the
// package's server, set up, and the main desk (the first node).
type clinic struct {
	t     testing.TB
	srv   *pgtest.Server
	db    string
	admin string
	main  *node
	cat   *screening.Catalog
}

// node is a kiosk or desk of a test clinic: its own SQLite and its
// network configuration.
type node struct {
	c     *clinic
	path  string
	st    *sqlite.Store
	key   *vault.ClinicKey
	desk  *desk.Desk
	staff *desk.Staff
	cfg   hub.Config
	hub   *hub.Node
	now   func() time.Time
}

func newClinic(t testing.TB) *clinic {
	t.Helper()
	s := srv.Need(t)
	c := &clinic{t: t, srv: s, db: fmt.Sprintf("clinic%d", dbs.Add(1)), cat: testkit.Catalog(t)}
	s.CreateDB(t, c.db)
	c.admin = s.Admin(c.db)
	if err := postgres.Owner(c.admin).Setup(context.Background()); err != nil {
		t.Fatal(err)
	}
	st, key := testkit.Store(t, sqlite.Options{})
	c.main = c.enroll(t, "desk-main", hub.Desk, st, key)
	c.main.path = st.Path()
	return c
}

// join adds a node made from a copy of the main desk's database (its
// clinic key, site key and staff), as the README says to set one up.
func (c *clinic) join(t testing.TB, name string, role hub.Role) *node {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	if _, err := c.main.st.Backup(ctx, path, "(no sign-in)", time.Now()); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, path, sqlite.Options{WorkFactor: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	n := c.enroll(t, name, role, st, c.main.key)
	n.path = path
	return n
}

func (c *clinic) enroll(t testing.TB, name string, role hub.Role, st *sqlite.Store, key *vault.ClinicKey) *node {
	t.Helper()
	ctx := context.Background()
	n := &node{c: c, st: st, key: key, now: time.Now}
	n.desk = desk.New(st, c.cat, func() time.Time { return n.now() })
	staff, err := n.desk.Unlock(ctx, testkit.Admin, testkit.Passphrase)
	if err != nil {
		t.Fatal(err)
	}
	n.staff = staff
	if n.cfg, err = hub.Enroll(ctx, postgres.Owner(c.admin), name, role, st, staff, rand.Reader); err != nil {
		t.Fatal(err)
	}
	n.hub = hub.NewNode(st, postgres.Dial, n.cfg, func() time.Time { return n.now() })
	return n
}

// sync pushes and pulls once.
func (n *node) sync(t testing.TB) (hub.Pushed, hub.Pulled) {
	t.Helper()
	pushed, pulled, err := n.hub.Sync(context.Background())
	if err != nil {
		t.Fatalf("%s: sync: %v", n.cfg.Name, err)
	}
	return pushed, pulled
}

// visit is a patient's screening at a kiosk, through the intake as the
// kiosk's screens drive it: a name, the PHQ-9 answered with points, and
// "I need help now" when help.
func (n *node) visit(t testing.TB, first, last string, help bool, points ...int) string {
	t.Helper()
	ctx := context.Background()
	in := intake.New(n.st, n.c.cat, []string{"phq9"}, n.now, func() (string, error) {
		id, err := uuid.NewV7()
		return id.String(), err
	}, nil)
	v, err := in.Screening("en")
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := v.SetIdentity(ctx, screening.Identity{First: first, Last: last, Birth: "1980-04-02"}); err != nil {
		t.Fatal(err)
	}
	for _, a := range testkit.ByPoints(t, n.c.cat, "phq9", n.now(), points...) {
		st, ok := v.Session().Step(screening.Key{Instrument: a.Instrument, Item: a.Item}, n.now())
		if !ok {
			t.Fatalf("no question %s", a.Item)
		}
		if _, err := v.Answer(ctx, st, a, false); err != nil {
			t.Fatal(err)
		}
	}
	if help {
		if err := v.Help(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.Submit(ctx); err != nil {
		t.Fatal(err)
	}
	return v.ID()
}

// verify runs what kioskctl verify checks: the audit chain, its head and
// every record chain.
func (n *node) verify(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	if _, err := n.st.VerifyAudit(ctx); err != nil {
		t.Errorf("%s: audit: %v", n.cfg.Name, err)
	}
	probs, err := n.st.VerifyChains(ctx)
	if err != nil {
		t.Fatalf("%s: chains: %v", n.cfg.Name, err)
	}
	for _, p := range probs {
		t.Errorf("%s: %s", n.cfg.Name, p)
	}
	v, err := n.staff.Verify(ctx)
	if err != nil {
		t.Fatalf("%s: verify: %v", n.cfg.Name, err)
	}
	if !v.OK() {
		t.Errorf("%s: verify: %+v", n.cfg.Name, v)
	}
}

// raw opens the node's SQLite file beside the store (a test's look at
// what the store does not show, or a change it never makes).
func (n *node) raw(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+n.path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// throughProxy makes the node reach the server through px.
func (n *node) throughProxy(px *proxy, port int) {
	n.cfg.URL = px.url(n.cfg.URL, port)
	n.hub = hub.NewNode(n.st, postgres.Dial, n.cfg, func() time.Time { return n.now() })
}

// many stores count finished screenings at once, each with a name and
// records answers (a day offline, a benchmark's clinic), started a minute
// apart before now; it returns their ids.
func (n *node) many(t testing.TB, count, records int) []string {
	t.Helper()
	now := n.now()
	var batch []sqlite.NewSession
	var ids []string
	for i := range count {
		started := now.Add(-time.Duration(count-i) * time.Minute)
		id, err := uuid.NewV7FromReader(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		recs := []intakekiosk.Record{{Recorded: started, Payload: intakekiosk.Payload{Identity: &screening.Identity{First: "Ana", Last: fmt.Sprintf("Many%d", i), Birth: "1980-04-02"}}}}
		for j := 1; j < records; j++ {
			recs = append(recs, intakekiosk.Record{Recorded: started.Add(time.Duration(j) * time.Second),
				Payload: intakekiosk.Payload{Answer: &screening.Answer{Instrument: "phq9", Item: "1", Choice: "not_at_all", At: started}}})
		}
		batch = append(batch, sqlite.NewSession{ID: id.String(), Kind: intakekiosk.Screening, Status: intakekiosk.New,
			Started: started, Completed: started.Add(10 * time.Minute), Records: recs})
		ids = append(ids, id.String())
		if len(batch) == 2000 || i == count-1 {
			if err := n.st.AddSessions(context.Background(), batch); err != nil {
				t.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	return ids
}
