package patient

import (
	"fmt"
	"io"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk/i18n"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
	"intakekiosk/ui/uitest"
	"intakekiosk/vault"
)

// setUpStore opens a database at path, sets it up with a test admin and
// returns it with the clinic key.
func setUpStore(t testing.TB, path string, opt sqlite.Options) (*sqlite.Store, *vault.ClinicKey) {
	t.Helper()
	return uitest.SetUpStore(t, path, opt, "Test Admin", "correct horse battery")
}

// harness is a kiosk in a test window over a real database file.
type harness struct {
	key   *vault.ClinicKey // to read back what the kiosk sealed
	t     testing.TB
	k     *flow
	w     fyne.Window
	st    *sqlite.Store
	path  string
	clock *testkit.Clock
	work  *uitest.Work // the kiosk's Config.Go
	// last is the button tap tapped last
	last *touch.Button
	// births are the dates of birth the codes given were made with
	births map[string]string
}

// wait returns once the work the kiosk started off the Fyne thread is
// done, and so its outcome is on screen (the test driver runs fyne.Do at
// once), including any work that work started.
func (h *harness) wait() { h.work.Wait() }

func newHarness(t testing.TB, opt sqlite.Options, edit func(*ui.Config)) *harness {
	t.Helper()
	r := uitest.NewRig(t, opt, "Test Admin", "correct horse battery")
	h := &harness{t: t, st: r.Store, path: r.Path, key: r.Key, work: r.Work, clock: r.Clock, w: r.Window}
	cfg := r.Config
	cfg.Patient = func(k *ui.Kiosk) ui.PatientFlow {
		h.k = New(k).(*flow)
		return h.k
	}
	if edit != nil {
		edit(&cfg)
	}
	ui.New(h.w, cfg)
	return h
}

// Objects returns every canvas object shown: the window's content and
// its overlays, walking into containers and widget renderers.
func (h *harness) Objects() []fyne.CanvasObject { return uitest.Objects(h.w) }

// objectsIn walks the trees of roots (only the visible parts when
// visibleOnly).
func objectsIn(visibleOnly bool, roots ...fyne.CanvasObject) []fyne.CanvasObject {
	return uitest.In(visibleOnly, roots...)
}

// buttons returns our buttons on screen whose text is label.
func (h *harness) buttons(label string) []*touch.Button { return uitest.Buttons(h.Objects(), label) }

// tap taps the one button labelled label (the topmost if a modal is up).
func (h *harness) tap(label string) {
	h.t.Helper()
	bs := h.buttons(label)
	if len(bs) == 0 {
		h.t.Fatalf("screen %s: no button %q; buttons: %v", h.k.Screen(), label, h.buttonLabels())
	}
	if bs[len(bs)-1].Disabled() {
		h.t.Fatalf("screen %s: button %q is disabled", h.k.Screen(), label)
	}
	h.clock.Advance(ui.TapGuard) // a person's taps are this far apart at least
	h.last = bs[len(bs)-1]
	test.Tap(h.last)
}

// asking goes on through an instrument's published instructions (their
// Next) and reports whether a question is on screen: the loop of a test
// that answers question after question.
func (h *harness) asking() bool {
	h.t.Helper()
	if h.k.Screen() == ui.ScreenInstructions {
		h.tap(h.k.T("nav.next"))
	}
	return h.k.Screen() == ui.ScreenQuestion
}

func (h *harness) buttonLabels() []string {
	var ls []string
	for _, b := range uitest.Buttons(h.Objects(), "") {
		ls = append(ls, b.Text)
	}
	return ls
}

// texts returns every text shown in labels, entries, buttons and
// canvas texts.
func (h *harness) texts() []string { return uitest.Texts(h.Objects()) }

func textsOf(objs []fyne.CanvasObject) []string { return uitest.Texts(objs) }

func (h *harness) shows(s string) bool { return uitest.Shows(h.Objects(), s) }

func (h *harness) wantScreen(name string) {
	h.t.Helper()
	if got := h.k.Screen(); got != name {
		h.t.Fatalf("screen = %s, want %s (texts: %q)", got, name, h.texts())
	}
}

// find returns the first object on screen of type T.
func find[T any](h *harness) T {
	h.t.Helper()
	x, ok := uitest.First[T](h.Objects())
	if !ok {
		h.t.Fatalf("screen %s: no %T", h.k.Screen(), x)
	}
	return x
}

// readAll reads a document sent to the printer.
func readAll(r io.Reader) string {
	b, err := io.ReadAll(r)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// en is a message of the built-in catalog, in English.
func en(key string, args ...any) string {
	return english.T(i18n.Default, key, args...)
}

// fits returns a check that the window's content fits a 1280x800 screen,
// less a margin (a real window measures text a little wider than the test
// driver), naming the screen that does not.
func (h *harness) fits(t *testing.T, margin fyne.Size) func(name string) {
	return uitest.Fits(t, h.w, margin)
}

// eachQuestion shows every question of every instrument, an instrument's
// instructions before its questions, and for a when item each of its
// modes (their button labels), calling check after each.
func (h *harness) eachQuestion(check func(name string), modes ...string) {
	k := h.k
	for _, in := range k.Config().Catalog.Instruments() {
		if in.RatedByStaff() {
			continue // never a patient's question (COWS: staff rate it at the desk)
		}
		if in.Instructions.In(k.Lang()) != "" {
			k.showInstructions(screening.Step{Instrument: in, Item: &in.Items[0], N: 1, Of: len(in.Items)})
			check(in.ID + " instructions")
		}
		for i := range in.Items {
			it := &in.Items[i]
			k.showQuestion(screening.Step{Instrument: in, Item: it, N: i + 1, Of: len(in.Items)})
			check(fmt.Sprintf("%s/%s", in.ID, it.ID))
			if it.Kind == screening.When {
				for _, mode := range modes {
					h.tap(mode)
					check(fmt.Sprintf("%s/%s %s", in.ID, it.ID, mode))
				}
			}
		}
	}
}

// useStore has the kiosk record patients' visits in st from now on.
func (h *harness) useStore(st ui.Store) {
	h.k.Config().Store = st
}

// seed stores synthetic sessions: n finished today (the first urgent),
// and one yesterday; it returns their ids newest first.
func (h *harness) seed(n int, who ...screening.Identity) []string {
	h.t.Helper()
	return uitest.Seed(h.t, h.st, h.k.Config().Catalog, h.clock.Now(), n, who...)
}

const (
	testAdmin     = "Test Admin"
	testAdminPass = "correct horse battery"
)

// the returns the part of the screen named, built or not yet (nil).
func the[T ui.Part](k *flow, name string) T {
	p, _ := ui.Built[T](k.Kiosk, name)
	return p
}

// partsText returns every text held by the built parts of the audiences
// given, shown or not.
func (h *harness) partsText(auds ...ui.Audience) []string {
	var roots []fyne.CanvasObject
	for _, p := range h.k.Parts(auds...) {
		roots = append(roots, p.Objects()...)
	}
	return textsOf(objectsIn(false, roots...))
}
