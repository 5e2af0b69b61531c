package staff

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk/assets"
	"intakekiosk/consent"
	"intakekiosk/desk"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
	"intakekiosk/ui/uitest"
)

// partsText returns every text held by the built parts of the audiences
// given, shown or not.
func (h *harness) partsText(auds ...ui.Audience) []string {
	var roots []fyne.CanvasObject
	for _, p := range h.k.Parts(auds...) {
		roots = append(roots, p.Objects()...)
	}
	return uitest.Texts(uitest.In(false, roots...))
}

// TestEveryScreenRegistered checks the registry against the screen names
// the package declares: each is in exactly one row, and every row names
// an audience.
func TestEveryScreenRegistered(t *testing.T) {
	files, err := filepath.Glob("../*.go")
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]string{} // name -> constant
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 || !strings.HasPrefix(vs.Names[0].Name, "Screen") {
				return true
			}
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, _ := strconv.Unquote(lit.Value)
				declared[v] = vs.Names[0].Name
			}
			return true
		})
	}
	if len(declared) < 20 {
		t.Fatalf("found only %d screen names: %v", len(declared), declared)
	}
	rows := map[string]int{}
	for _, r := range newHarness(t, sqlite.Options{}, nil).k.Registry() {
		if r.Audience == 0 {
			t.Errorf("row %v has no ui.Audience", r.Names)
		}
		for _, n := range r.Names {
			rows[n]++
			if _, ok := declared[n]; !ok {
				t.Errorf("row names %q, which no Screen constant declares", n)
			}
		}
	}
	for name, c := range declared {
		if rows[name] != 1 {
			t.Errorf("%s (%q) is in %d registry rows, want 1", c, name, rows[name])
		}
	}
}

// TestResetAndLockLeaveNothing fills every registered screen a patient
// and a counselor use with names, answers, a code, a note and a search,
// then checks that the lock leaves nothing on any staff screen and the
// reset nothing on any screen at all, with no list of screens to keep:
// it walks the registry.
func TestResetAndLockLeaveNothing(t *testing.T) {
	dir := t.TempDir()
	consents, errs := consent.Load([]string{"en", "es"}, consent.Source{Name: "built-in", FS: assets.Consents()})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Folders = func() []ui.Folder { return []ui.Folder{{Name: "USB drive", Path: dir}} }
		c.Consents = consents
	})
	h.seed(1, screening.Identity{First: "Begoña", Last: "Zúñiga", Birth: "1979-01-02"})
	_, code, err := h.st.IssueCode(context.Background(), "s00", "1979-01-02", testAdmin, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}

	// a returning patient checks in, with a note for the counselor; the
	// next starts typing their code, then goes back
	h.tap(en("welcome.checkin"))
	h.typeCode(code, "1979-01-02")
	for h.k.Screen() == ui.ScreenQuestion {
		st, _ := h.k.Question()
		if st.Item.Kind == screening.Free {
			test.Type(find[*touch.Entry](h), "Markerfree")
			h.tap(en("nav.next"))
			continue
		}
		h.answer("")
	}
	h.wantScreen(ui.ScreenReview)
	if !h.shows("20 hours ago") {
		t.Fatalf("review screen: %q", h.texts())
	}
	h.tap(en("review.submit"))
	h.wantScreen(ui.ScreenFinish)
	course := longest(h.texts()) // the words on the course of withdrawal
	if !strings.Contains(course, "dose") {
		t.Fatalf("no course words on the finish screen: %q", h.texts())
	}
	h.tap(en("finish.done"))
	h.wantScreen(ui.ScreenWelcome)
	h.tap(en("welcome.checkin"))
	// the next types a code and a date of birth, then goes back to the
	// code and starts another
	for _, r := range code {
		h.tap(string(r))
	}
	h.tap(en("code.go"))
	h.wantScreen(ui.ScreenCheckinBirth)
	for _, r := range "06131947" {
		h.tap(string(r))
	}
	if !h.shows("June 13, 1947") {
		t.Fatalf("the date of birth typed is not shown: %q", h.texts())
	}
	h.tap(en("nav.back"))
	h.wantScreen(ui.ScreenCode)
	for _, r := range code[:3] {
		h.tap(string(r))
	}
	typed := code[:3] + "·"
	if !h.shows(typed) {
		t.Fatalf("code screen does not show %q: %q", typed, h.texts())
	}
	h.tap(en("nav.back"))
	h.wantScreen(ui.ScreenWelcome)

	// a patient signs the consent, naming someone, and answers a few
	// questions
	h.begin("Zelda", "Quixote")
	for range 4 {
		h.answer("")
	}
	// on to an instrument's published instructions (the DAST-10's), and
	// its first question
	for n := 0; h.k.Screen() != ui.ScreenInstructions; n++ {
		if n > 100 {
			t.Fatal("no instrument's instructions on the way")
		}
		// nothing that pins the session above s00 in the queue
		choice := ""
		if st, _ := h.k.Question(); st.Item.ID == "pregnant" || st.Item.ID == "seizures" {
			choice = "No"
		}
		h.answer(choice)
	}
	h.tap(en("nav.next"))
	patientMarks := []string{consentMark, "Zelda", "Quixote", "Mar 7, 1985", "March 7", typed, "Markerfree", "20 hours ago", course, "June 13, 1947", "1947"}

	// a counselor signs in over them and uses every staff screen
	q := h.openStaff()
	test.Tap(q.rows[0]) // s00: urgent, pinned on top
	h.wantScreen(ui.ScreenSession)
	if !h.shows("Zúñiga") {
		t.Fatalf("session view: %q", h.texts())
	}
	v := the[*sessionView](h.k, ui.ScreenSession)
	test.Tap(v.tabs[tabCheckins])
	h.tap(checkinText.SetPlan)
	h.wantScreen(ui.ScreenPlan)
	the[*planScreen](h.k, ui.ScreenPlan).setText(planDose, "37")
	h.tap(planText.Cancel)
	// a COWS rated and saved (the facts and the chart then show it), and
	// a second begun and left
	h.tap(checkinText.RateCOWS)
	h.wantScreen(ui.ScreenCOWS)
	cows := the[*cowsScreen](h.k, ui.ScreenCOWS)
	cows.rate(t, 4, 4, 5, 5, 4, 4, 5, 4, 4, 4, 0) // 43
	h.tap(cowsText.Save)
	h.wantScreen(ui.ScreenSession)
	if !h.shows("COWS 43 at") {
		t.Fatalf("no COWS on the check-ins tab: %q", h.texts())
	}
	h.tap(checkinText.RateCOWS)
	cows.rate(t, 2, 3)
	cows.at.SetText("Markertime")
	h.tap(cowsText.Cancel)
	h.tap(sessionText.Note)
	h.wantScreen(ui.ScreenNote)
	test.Type(h.focused(), "Markernote about IOP")
	h.tap(noteText.Cancel)
	test.Tap(v.tabs[tabConsent])
	h.tap(consentText.Disclose)
	h.wantScreen(ui.ScreenDisclose)
	h.tap(consentText.Someone)
	test.Type(the[*discloseScreen](h.k, ui.ScreenDisclose).fields[0], "Markerperson")
	h.tap(consentText.Cancel)
	v.k.showRevoke(v.detail.Session.ID, desk.Consent{})
	h.wantScreen(ui.ScreenRevoke)
	test.Type(the[*revokeScreen](h.k, ui.ScreenRevoke).fields[0], "Markerday")
	h.tap(consentText.Cancel)
	h.tap(sessionText.Save)
	h.wantScreen(ui.ScreenSave)
	h.tap(saveText.Cancel)
	h.tap(sessionText.Queue)
	test.Tap(q.pickDay)
	h.wantScreen(ui.ScreenDay)
	test.Type(the[*dayScreen](h.k, ui.ScreenDay).de, "11242026")
	h.tap(dayText.Cancel)
	test.Tap(q.search)
	h.wantScreen(ui.ScreenSearch)
	test.Type(h.focused(), "Zúñiga")
	h.tap(searchText.Search)
	h.wantScreen(ui.ScreenStaff)
	h.wait()
	h.tap(staffText.Settings)
	h.editSetting("clinic_name")
	test.Type(h.focused(), " Markerclinic")
	h.tap(settingsText.Cancel)
	h.tap(en("nav.back"))
	h.wantScreen(ui.ScreenStaff)

	// every screen a patient or staff member sees has been used
	for _, r := range h.k.Registry() {
		if _, ok := ui.Built[ui.Part](h.k.Kiosk, r.Names[0]); r.Build != nil && r.Audience != ui.ForSetup && !ok {
			t.Errorf("the test did not use the screen %v: add it here", r.Names)
		}
	}
	staffMarks := append([]string{"Begoña", "Zúñiga", "1979", "COWS 43", "Markertime", "Markernote", "Markerperson", "Markerday", "Markerclinic", code[:4]}, patientMarks...)

	h.tap(staffText.Lock)
	h.wantScreen(ui.ScreenQuestion) // back to the patient's question
	for _, s := range h.partsText(ui.ForSignIn, ui.ForStaff) {
		for _, m := range staffMarks {
			if strings.Contains(s, m) {
				t.Errorf("%q left on a staff screen after the lock: %q", m, s)
			}
		}
	}

	// the patient walks away: the reset leaves nothing on any screen
	h.clock.Advance(2 * time.Minute)
	h.k.Tick()
	h.wantScreen(ui.ScreenWelcome)
	all := append(h.partsText(ui.ForPatient, ui.ForSignIn, ui.ForStaff, ui.ForSetup), uitest.Texts(uitest.In(false, h.w.Content()))...)
	for _, p := range h.k.Parts(ui.ForPatient) {
		for _, o := range uitest.In(false, p.Objects()...) {
			if pad, ok := o.(*touch.SignaturePad); ok && !pad.Drawing().IsZero() {
				t.Errorf("a signature left after the reset: %v", pad.Drawing().Strokes)
			}
		}
	}
	for _, s := range all {
		for _, m := range staffMarks {
			if strings.Contains(s, m) {
				t.Errorf("%q left in a screen after the reset: %q", m, s)
			}
		}
	}
}

// consentMark is the person a patient names on the consent.
const consentMark = "Markerdoc"

// signConsent signs the consent form shown, naming one person: its pages,
// the single consent and the people named (the choices are the buttons
// without a label or an icon, in order), the name typed, a stroke, Sign
// and Confirm.
func (h *harness) signConsent(name string) {
	h.t.Helper()
	for h.k.Screen() == ui.ScreenSign && len(h.buttons(en("sign.sign"))) == 0 && len(h.choiceButtons()) == 0 {
		h.tap(en("nav.next"))
	}
	choices := h.choiceButtons()
	if len(choices) != 3 {
		h.t.Fatalf("%d choices on the consent: %q", len(choices), h.texts())
	}
	test.Tap(choices[0])
	test.Tap(choices[1])
	test.Type(find[*touch.Entry](h), name)
	h.tap(en("sign.add"))
	h.tap(en("sign.names_done"))
	h.tap(en("nav.next"))
	pad := find[*touch.SignaturePad](h)
	test.Drag(h.w.Canvas(), uitest.Where(h.w, pad).AddXY(300, 100), 120, 40)
	h.tap(en("sign.sign"))
	if !h.shows(name) {
		h.t.Fatalf("what was signed does not show %q: %q", name, h.texts())
	}
	h.tap(en("sign.confirm"))
}

// choiceButtons are the consent's choices shown: our buttons with neither
// a label nor an icon.
func (h *harness) choiceButtons() []*touch.Button {
	var bs []*touch.Button
	for _, b := range h.buttons("") {
		if b.Text == "" && b.Icon == nil {
			bs = append(bs, b)
		}
	}
	return bs
}

// longest is the longest of texts.
func longest(texts []string) string {
	var l string
	for _, t := range texts {
		if len(t) > len(l) {
			l = t
		}
	}
	return l
}
