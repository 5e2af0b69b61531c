// Package uitest reads what a Fyne test window shows, for the tests of
// the screens: every canvas object on it (walking into containers and
// widget renderers), the texts, the kiosk's buttons by label, the first
// object of a type. It drives nothing itself; the screens' tests tap with
// fyne.io/fyne/v2/test.
package uitest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/demo"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/settings"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
	"intakekiosk/vault"
)

// Objects returns every visible canvas object of w: its content and its
// overlays.
func Objects(w fyne.Window) []fyne.CanvasObject {
	roots := []fyne.CanvasObject{w.Content()}
	roots = append(roots, w.Canvas().Overlays().List()...)
	return In(true, roots...)
}

// In walks the trees of roots, into containers and widget renderers
// (only the visible parts when visibleOnly).
func In(visibleOnly bool, roots ...fyne.CanvasObject) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || visibleOnly && !o.Visible() {
			return
		}
		out = append(out, o)
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}

// Texts returns the texts of objs: labels, entries, buttons, rich texts
// and canvas texts.
func Texts(objs []fyne.CanvasObject) []string {
	var ts []string
	for _, o := range objs {
		switch x := o.(type) {
		case *widget.Label:
			ts = append(ts, x.Text)
		case *widget.Entry:
			ts = append(ts, x.Text)
		case *touch.Entry:
			ts = append(ts, x.Text)
		case *touch.Button:
			ts = append(ts, x.Text)
		case *widget.RichText:
			ts = append(ts, x.String())
		case *canvas.Text:
			ts = append(ts, x.Text)
		}
	}
	return ts
}

// Shows says whether any text of objs contains s.
func Shows(objs []fyne.CanvasObject, s string) bool {
	for _, t := range Texts(objs) {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// Buttons returns the kiosk's buttons among objs labelled label (all of
// them when label is empty).
func Buttons(objs []fyne.CanvasObject, label string) []*touch.Button {
	var bs []*touch.Button
	for _, o := range objs {
		if b, ok := o.(*touch.Button); ok && (label == "" || b.Text == label) {
			bs = append(bs, b)
		}
	}
	return bs
}

// First returns the first object of objs of type T.
func First[T any](objs []fyne.CanvasObject) (T, bool) {
	for _, o := range objs {
		if x, ok := o.(T); ok {
			return x, true
		}
	}
	var zero T
	return zero, false
}

// Seed stores synthetic sessions in st: n finished by now, 20 minutes
// apart (the first urgent), and one a day before; the first of who name
// the first sessions' patients. It returns the ids of the n, newest
// first.
func Seed(tb testing.TB, st *sqlite.Store, cat *screening.Catalog, now time.Time, n int, who ...screening.Identity) []string {
	tb.Helper()
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(9, 9))}
	var list []sqlite.NewSession
	for i := range n + 1 {
		at := now.Add(-time.Duration(n-i) * 20 * time.Minute)
		if i == n {
			at = now.AddDate(0, 0, -1)
		}
		ns, err := g.Screening(fmt.Sprintf("s%02d", i), at, 0)
		if err != nil {
			tb.Fatal(err)
		}
		ns.Urgent = i == 0
		if i < len(who) {
			ns.Records[0].Identity = &who[i]
		}
		list = append(list, ns)
	}
	if err := st.AddSessions(context.Background(), list); err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for i := n - 1; i >= 0; i-- {
		ids = append(ids, list[i].ID)
	}
	return ids
}

// SetUpStore opens a database at path and sets it up with an
// administrator (a quick passphrase work factor); it returns the store
// and the clinic key.
func SetUpStore(tb testing.TB, path string, opt sqlite.Options, admin, pass string) (*sqlite.Store, *vault.ClinicKey) {
	tb.Helper()
	opt.WorkFactor = 10
	st, err := sqlite.Open(context.Background(), path, opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	rec, err := st.SetUp(context.Background(), admin, pass, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	key, err := vault.ParseRecoveryKey(rec)
	if err != nil {
		tb.Fatal(err)
	}
	return st, key
}

// Work runs a kiosk's work off the Fyne thread (its Config.Go) and counts
// what is under way, so a test can wait for it.
type Work struct{ running sync.WaitGroup }

// Go runs work in a goroutine, counted until it returns.
func (w *Work) Go(work func()) { w.running.Go(work) }

// Wait returns once the work started is done, including any work that
// work started.
func (w *Work) Wait() { w.running.Wait() }

// Fits returns a check that w's content fits a 1280x800 screen, less a
// margin (a real window measures text a little wider than the test
// driver), naming the screen that does not.
func Fits(tb testing.TB, w fyne.Window, margin fyne.Size) func(name string) {
	screen := fyne.NewSize(1280, 800)
	return func(name string) {
		tb.Helper()
		c := w.Content()
		c.Resize(screen)
		if m := c.MinSize(); m.Width > screen.Width-margin.Width || m.Height > screen.Height-margin.Height {
			tb.Errorf("%s needs %.0fx%.0f, more than %.0fx%.0f less %.0fx%.0f", name, m.Width, m.Height,
				screen.Width, screen.Height, margin.Width, margin.Height)
		}
	}
}

// Rig is what a screens' test kiosk is made of: a real database file set
// up with an administrator, a clock the test moves, the counter of the
// kiosk's background work, a 1280x800 test window with the kiosk's theme,
// and a configuration over them (the caller adds the patient's side and
// staff mode, then calls ui.New).
type Rig struct {
	Store  *sqlite.Store
	Key    *vault.ClinicKey // to read back what the kiosk sealed
	Path   string
	Clock  *testkit.Clock
	Work   *Work
	Window fyne.Window
	Config ui.Config
}

// NewRig sets up a rig whose database's administrator is admin with
// passphrase pass.
func NewRig(tb testing.TB, opt sqlite.Options, admin, pass string) *Rig {
	tb.Helper()
	a := test.NewTempApp(tb)
	a.Settings().SetTheme(&touch.Theme{})
	r := &Rig{Path: filepath.Join(tb.TempDir(), "kiosk.db"), Work: &Work{},
		Clock: testkit.NewClock(time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC))}
	r.Store, r.Key = SetUpStore(tb, r.Path, opt, admin, pass)
	n := 0
	r.Config = ui.Config{
		Catalog: testkit.Catalog(tb),
		Store:   r.Store,
		Staff:   r.Store,
		Settings: settings.Settings{ClinicName: "Test Clinic", Idle: 60 * time.Second, IdleCountdown: 30 * time.Second,
			Finish: 20 * time.Second, StaffLock: 2 * time.Minute},
		Now: r.Clock.Now,
		Go:  r.Work.Go,
		// a tapped answer moves on at once; a test of the moment it shows
		// as chosen passes its own
		After: func(_ time.Duration, f func()) { f() },
		NewID: func() (string, error) {
			n++
			return fmt.Sprintf("0190c0de-0000-7000-8000-%012d", n), nil
		},
	}
	r.Window = test.NewTempWindow(tb, nil)
	r.Window.Resize(fyne.NewSize(1280, 800))
	return r
}

// Layout lays w's content out again from the window down, every container
// and widget, as a real window does after a change: the test driver does
// not, and a test that measures where things are after a change calls it
// first. As a real window, w grows to the room its content needs, and
// does not shrink back when it needs less.
func Layout(w fyne.Window) {
	var lay func(o fyne.CanvasObject)
	lay = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *fyne.Container:
			if x.Layout != nil {
				x.Layout.Layout(x.Objects, x.Size())
			}
			for _, c := range x.Objects {
				lay(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(x)
			r.Layout(x.Size())
			for _, c := range r.Objects() {
				lay(c)
			}
		}
	}
	c := w.Content()
	size, need := w.Canvas().Size(), c.MinSize()
	if need.Width > size.Width || need.Height > size.Height {
		w.Resize(fyne.NewSize(max(size.Width, need.Width), max(size.Height, need.Height)))
	}
	c.Resize(w.Canvas().Size())
	lay(c)
}

// Where is where obj is on w's canvas, after Layout.
func Where(w fyne.Window, obj fyne.CanvasObject) fyne.Position {
	Layout(w)
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(obj)
}
