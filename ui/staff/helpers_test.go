package staff

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/assets"
	"intakekiosk/i18n"
	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/patient"
	"intakekiosk/ui/touch"
	"intakekiosk/ui/uitest"
	"intakekiosk/vault"
)

const (
	testAdmin     = "Test Admin"
	testAdminPass = "correct horse battery"
)

// The catalog, and the keyboard's words in English, for the tests that
// look for them.
var (
	english      = mustCatalog()
	keyboardText = touch.KeyboardWords{Shift: en("keyboard.shift"), Space: en("keyboard.space"),
		Symbols: en("keyboard.symbols"), Letters: en("keyboard.letters")}
)

func mustCatalog() *i18n.Catalog {
	c, err := i18n.Load(assets.Messages())
	if err != nil {
		panic(err)
	}
	return c
}

// setUpStore opens a database at path, sets it up with a test admin and
// returns it with the clinic key.
func setUpStore(t testing.TB, path string, opt sqlite.Options) (*sqlite.Store, *vault.ClinicKey) {
	t.Helper()
	return uitest.SetUpStore(t, path, opt, testAdmin, testAdminPass)
}

// harness is a kiosk with staff mode in a test window over a real
// database file; k is its staff mode (and through it the kiosk).
type harness struct {
	key   *vault.ClinicKey // to read back what the kiosk sealed
	t     testing.TB
	k     *mode
	w     fyne.Window
	st    *sqlite.Store
	path  string
	clock *testkit.Clock
	work  *uitest.Work // the kiosk's Config.Go
}

// wait returns once the work the kiosk started off the Fyne thread is
// done, and so its outcome is on screen.
func (h *harness) wait() { h.work.Wait() }

func newHarness(t testing.TB, opt sqlite.Options, edit func(*ui.Config)) *harness {
	t.Helper()
	r := uitest.NewRig(t, opt, testAdmin, testAdminPass)
	h := &harness{t: t, st: r.Store, path: r.Path, key: r.Key, work: r.Work, clock: r.Clock, w: r.Window}
	cfg := r.Config
	cfg.Patient = patient.New
	cfg.Staffing = func(k *ui.Kiosk) ui.StaffMode {
		h.k = New(k).(*mode)
		return h.k
	}
	if edit != nil {
		edit(&cfg)
	}
	ui.New(h.w, cfg)
	return h
}

// Objects returns every canvas object shown.
func (h *harness) Objects() []fyne.CanvasObject { return uitest.Objects(h.w) }

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
	h.clock.Advance(h.k.Guard()) // a person's taps are this far apart at least
	test.Tap(bs[len(bs)-1])
}

func (h *harness) buttonLabels() []string {
	var ls []string
	for _, b := range uitest.Buttons(h.Objects(), "") {
		ls = append(ls, b.Text)
	}
	return ls
}

// texts returns every text shown.
func (h *harness) texts() []string { return uitest.Texts(h.Objects()) }

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

// the returns the part of the screen named, built or not yet (nil).
func the[T ui.Part](k *mode, name string) T {
	p, _ := ui.Built[T](k.Kiosk, name)
	return p
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
// less a margin, naming the screen that does not.
func (h *harness) fits(t *testing.T, margin fyne.Size) func(name string) {
	return uitest.Fits(t, h.w, margin)
}

// seed stores synthetic sessions: n finished today (the first urgent),
// and one yesterday; it returns their ids newest first.
func (h *harness) seed(n int, who ...screening.Identity) []string {
	h.t.Helper()
	return uitest.Seed(h.t, h.st, h.k.Config().Catalog, h.clock.Now(), n, who...)
}

// begin taps through the welcome, the privacy notice and the identity
// screens as a patient.
func (h *harness) begin(first, last string) {
	h.t.Helper()
	h.wantScreen(ui.ScreenWelcome)
	h.tap("Start")
	h.wantScreen(ui.ScreenConsent)
	h.tap("I agree")
	if h.k.Screen() == ui.ScreenSign {
		h.signConsent(consentMark)
	}
	h.wantScreen(ui.ScreenFirst)
	test.Type(find[*touch.Entry](h), first)
	h.tap("Next")
	h.wantScreen(ui.ScreenLast)
	test.Type(find[*touch.Entry](h), last)
	h.tap("Next")
	h.wantScreen(ui.ScreenBirth)
	de := find[*touch.DateEntry](h)
	test.Type(de, "03071985")
	de.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.wantScreen(ui.ScreenQuestion)
}

// answer answers the question on screen as a patient: the first option,
// or choice; a number; 20 hours ago; some text.
func (h *harness) answer(choice string) {
	h.t.Helper()
	h.wantScreen(ui.ScreenQuestion)
	st, ok := h.k.Question()
	if !ok {
		h.t.Fatal("no question on screen")
	}
	switch st.Item.Kind {
	case screening.Single:
		if choice == "" {
			choice = st.Item.Options[0].Label.In("en")
		}
		h.tap(choice)
	case screening.Multi:
		label := st.Item.Options[0].Label.In("en")
		if bs := h.buttons(label); len(bs) > 0 && bs[0].Importance != widget.HighImportance {
			h.tap(label)
		}
		h.tap("Next")
	case screening.Number:
		test.Type(find[*touch.NumberEntry](h), "4")
		h.tap("Next")
	case screening.When:
		h.tap("Hours ago")
		test.Type(find[*touch.NumberEntry](h), "20")
		h.tap("Next")
	default:
		test.Type(find[*touch.Entry](h), "none")
		h.tap("Next")
	}
}

// typeCode taps a code on the code keypad and taps Check in, then the
// date of birth (YYYY-MM-DD) on the date keypad and Check in, and waits
// for the look-up.
func (h *harness) typeCode(code, birth string) {
	h.t.Helper()
	for _, r := range code {
		if !strings.ContainsRune(sqlite.CodeAlphabet, r) {
			h.t.Fatalf("%q is not on the code keypad", r)
		}
		h.tap(string(r))
	}
	h.tap(en("code.go"))
	d, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, r := range d.Format("01022006") {
		h.tap(string(r))
	}
	h.tap(en("code.go"))
	h.wait()
}

// birthOf is the date of birth a stored screening holds.
func (h *harness) birthOf(screeningID string) string {
	h.t.Helper()
	recs, err := h.st.Records(context.Background(), screeningID, h.key)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, r := range recs {
		if r.Identity != nil {
			return r.Identity.Birth
		}
	}
	h.t.Fatalf("screening %s holds no date of birth", screeningID)
	return ""
}

// visitOn says whether a patient's visit is under way; visitAt is the
// question it is at and visitID its session.
func visitOn(h *harness) bool { _, _, ok := h.k.Visit(); return ok }

func visitAt(h *harness) screening.Key { _, at, _ := h.k.Visit(); return at }

func visitID(h *harness) string { id, _, _ := h.k.Visit(); return id }
