package staff

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
)

// chicago is the clinic's zone in these tests: the times shown are the
// clinic's, not the machine's nor UTC.
var chicago = func() *time.Location {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		panic(err)
	}
	return loc
}()

// otherDesk opens the kiosk's database file a second time, as the clinic
// network's sync loop writes into it what another desk or kiosk pushed.
func (h *harness) otherDesk() *sqlite.Store {
	h.t.Helper()
	st, err := sqlite.Open(context.Background(), h.path, sqlite.Options{})
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { st.Close() })
	return st
}

// urgentAt adds an urgent screening, finished, that started at another
// kiosk at started, through st.
func urgentAt(t *testing.T, st *sqlite.Store, cat *screening.Catalog, id string, started time.Time) {
	t.Helper()
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(1, 2))}
	ns, err := g.Screening(id, started, 0)
	if err != nil {
		t.Fatal(err)
	}
	ns.Urgent = true
	if err := st.AddSessions(context.Background(), []sqlite.NewSession{ns}); err != nil {
		t.Fatal(err)
	}
}

// keys types on the physical keyboard: each key goes to what has the
// window's focus, as the driver sends it.
func (h *harness) keys(s string) {
	h.t.Helper()
	f := h.w.Canvas().Focused()
	if f == nil {
		h.t.Fatalf("screen %s: nothing has the focus to type %q into", h.k.Screen(), s)
	}
	for _, r := range s {
		f.TypedRune(r)
	}
}

// alertWordsShown are the words of the alert banners shown.
func (h *harness) alertWordsShown() []string {
	var out []string
	for _, r := range the[*staffHome](h.k, ui.ScreenStaff).alerts.rows {
		if r.obj.Visible() {
			w := r.words.Text
			if r.onIt.Visible() {
				w += " | " + r.onIt.Text
			}
			if r.take.Visible() {
				w += " | " + r.take.Text
			}
			out = append(out, w)
		}
	}
	return out
}

// An urgent session raises a banner at the desk with its clear fields and
// "I'm on it", and the chime once; the answer shows at once here and, as a
// pull brings it, at every other desk (Changed), in the clinic's time;
// the queue row says it too. Refreshing keeps the search typed.
func TestAlertBannerAnswered(t *testing.T) {
	var chimes atomic.Int32
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Location = chicago
		c.Alert = func(context.Context) error { chimes.Add(1); return nil }
	})
	h.seed(3, screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"})
	q := h.openStaff()
	// s00 started 60 minutes before 15:00 UTC: 8:00 AM in Chicago
	want := []string{staffText.AlertUrgent + " · Screening started 8:00 AM | " + staffText.AlertTake}
	if got := h.alertWordsShown(); !slices.Equal(got, want) {
		t.Fatalf("banners %q, want %q", got, want)
	}
	if slices.ContainsFunc(h.alertWordsShown(), func(s string) bool { return strings.Contains(s, "Ana") }) {
		t.Error("a banner names the patient")
	}
	h.wait()
	if n := chimes.Load(); n != 1 {
		t.Errorf("%d chimes at sign-in, want 1", n)
	}
	// a search typed stays through a refresh
	q.setQuery("Ana")
	h.k.Changed(nil)
	h.wait()
	if n := chimes.Load(); n != 1 {
		t.Errorf("%d chimes after a refresh with nothing new, want 1", n)
	}
	if q.qtext != "Ana" || !h.k.SignedIn() {
		t.Errorf("after a refresh: search %q, signed in %v", q.qtext, h.k.SignedIn())
	}
	q.setQuery("")

	h.clock.Advance(2 * time.Minute) // 9:02 AM in Chicago
	h.tap(staffText.AlertTake)
	onIt := testAdmin + " is on it, 9:02 AM"
	want = []string{staffText.AlertUrgent + " · Screening started 8:00 AM | " + onIt}
	if got := h.alertWordsShown(); !slices.Equal(got, want) {
		t.Errorf("banners after I'm on it %q, want %q", got, want)
	}
	if facts := the[*staffHome](h.k, ui.ScreenStaff).queue.rows[0].facts.Text; !strings.HasPrefix(facts, onIt) {
		t.Errorf("the urgent row says %q, want it to begin with %q", facts, onIt)
	}
	log, _ := h.st.AuditLog(context.Background())
	if !slices.ContainsFunc(log, func(e sqlite.Entry) bool {
		return e.Action == sqlite.ActAcknowledged && e.Actor == testAdmin && e.Target == "s00" && e.Detail == ""
	}) {
		t.Error("the answer is not audited under the staff member's name")
	}

	// another kiosk's patient in crisis, pulled into this database: a new
	// banner and one chime; then Sam answers it at another desk
	other := h.otherDesk()
	urgentAt(t, other, h.k.Config().Catalog, "far", h.clock.Now().Add(-time.Minute))
	h.k.Changed(nil)
	h.wait()
	if got := h.alertWordsShown(); len(got) != 2 || got[0] != staffText.AlertUrgent+" · Screening started 9:01 AM | "+staffText.AlertTake {
		t.Errorf("banners after a pull %q: the new alert first, with its button", got)
	}
	if n := chimes.Load(); n != 2 {
		t.Errorf("%d chimes after a new alert, want 2", n)
	}
	at := h.clock.Now().Add(15 * time.Minute) // 9:17 AM
	if err := other.Acknowledge(context.Background(), "far", "Sam", at, sqlite.Entry{At: at, Actor: "Sam", Action: sqlite.ActAcknowledged, Target: "far"}); err != nil {
		t.Fatal(err)
	}
	h.k.Changed(nil)
	h.wait()
	got := h.alertWordsShown()
	if len(got) != 2 || !slices.Contains(got, staffText.AlertUrgent+" · Screening started 9:01 AM | Sam is on it, 9:17 AM") || h.shows(staffText.AlertTake) {
		t.Errorf("banners after Sam's answer was pulled %q", got)
	}
	if n := chimes.Load(); n != 2 {
		t.Errorf("%d chimes after an answer, want 2", n)
	}
	// reviewed, an alert leaves the banners (it is in the queue, unpinned)
	if err := other.MarkReviewed(context.Background(), "s00", "Sam", at); err != nil {
		t.Fatal(err)
	}
	h.k.Changed(nil)
	if got := h.alertWordsShown(); len(got) != 1 || !strings.Contains(got[0], "9:01 AM") {
		t.Errorf("banners after s00 was reviewed: %q", got)
	}
	// the lock leaves no banner (nor its words) behind
	h.tap(staffText.Lock)
	for _, r := range the[*staffHome](h.k, ui.ScreenStaff).alerts.rows {
		if r.obj.Visible() || r.words.Text != "" || r.onIt.Text != "" || r.id != "" {
			t.Errorf("a banner after the lock: %q %q %q", r.words.Text, r.onIt.Text, r.id)
		}
	}
}

// A refresh leaves the screen shown as it is: a note being typed stays,
// with its words.
func TestChangedKeepsNote(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seed(2)
	q := h.openStaff()
	test.Tap(q.rows[1])
	h.wantScreen(ui.ScreenSession)
	h.tap(sessionText.Note)
	h.wantScreen(ui.ScreenNote)
	h.keys("Called her")
	urgentAt(t, h.otherDesk(), h.k.Config().Catalog, "far", h.clock.Now())
	h.k.Changed(nil)
	h.wait()
	h.wantScreen(ui.ScreenNote)
	h.keys(" sister")
	if got := h.focused().Text; got != "Called her sister" {
		t.Errorf("the note reads %q after a refresh", got)
	}
	h.tap(noteText.Save)
	h.wantScreen(ui.ScreenSession)
	h.tap(sessionText.Queue)
	if got := h.alertWordsShown(); len(got) != 2 {
		t.Errorf("banners on the home screen after the refresh: %q, want two (s00 and far)", got)
	}
}

// A desk station starts at the staff sign-in, typed on the physical
// keyboard (whatever has the focus takes the keys), has no Cancel (no
// patient's screen under it), and its lock, and a long quiet, return to
// the sign-in, never a patient's welcome.
func TestStation(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Station = true })
	h.wantScreen(ui.ScreenUnlock)
	if len(h.buttons(unlockText.Cancel)) != 0 && h.buttons(unlockText.Cancel)[0].Visible() {
		t.Error("a station's sign-in has a Cancel")
	}
	enter := func() {
		h.w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	h.keys(testAdmin)
	enter() // to the passphrase
	h.keys(testAdminPass)
	enter() // signs in
	h.wait()
	h.wantScreen(ui.ScreenStaff)
	h.tap(staffText.Lock)
	h.wantScreen(ui.ScreenUnlock)
	if u := the[*unlockScreen](h.k, ui.ScreenUnlock); u.fields[unlockName].Text != "" {
		t.Errorf("the sign-in after the lock holds %q", u.fields[unlockName].Text)
	}
	h.clock.Advance(10 * time.Minute)
	h.k.Tick()
	h.wantScreen(ui.ScreenUnlock)
	// the staff lock after no touch, too
	h.signIn(testAdmin, testAdminPass)
	h.wantScreen(ui.ScreenStaff)
	h.clock.Advance(3 * time.Minute)
	h.k.Tick()
	h.wantScreen(ui.ScreenUnlock)
}

// Banners put a patient still at a kiosk first, then the longest waiting
// whose session has ended, then the answered: the top banner is the one to
// walk to.
func TestAlertOrder(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Location = chicago })
	h.openStaff()
	other := h.otherDesk()
	cat := h.k.Config().Catalog
	now := h.clock.Now()
	urgentAt(t, other, cat, "left", now.Add(-3*time.Hour)) // 6:00 AM, finished
	// 8:59 AM, at the kiosk now
	if err := other.CreateSession(context.Background(), "here", intakekiosk.Screening, now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := other.Raise(context.Background(), "here", intakekiosk.Urgent); err != nil {
		t.Fatal(err)
	}
	urgentAt(t, other, cat, "seen", now.Add(-4*time.Hour)) // 5:00 AM, answered
	urgentAt(t, other, cat, "late", now.Add(-2*time.Hour)) // 7:00 AM, finished
	ctx := context.Background()
	if err := other.Acknowledge(ctx, "seen", "Sam", now, sqlite.Entry{At: now, Actor: "Sam", Action: sqlite.ActAcknowledged, Target: "seen"}); err != nil {
		t.Fatal(err)
	}
	h.k.Changed(nil)
	h.wait()
	got := h.alertWordsShown()
	if len(got) != 2 || !strings.Contains(got[0], "8:59 AM") || !strings.Contains(got[1], "6:00 AM · and 2 more") {
		t.Errorf("banners %q: the patient at the kiosk first, then the one waiting longest", got)
	}
}
