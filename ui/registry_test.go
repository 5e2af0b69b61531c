package ui

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

	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui/touch"
)

// the returns the part of the screen named, or its zero value when it
// has not been built.
func the[T Part](k *Kiosk, name string) T {
	p, _ := Built[T](k, name)
	return p
}

// partsText returns every text held by the built parts of the audiences
// given, shown or not.
func (h *harness) partsText(auds ...Audience) []string {
	var roots []fyne.CanvasObject
	for _, r := range h.k.rows {
		p, ok := h.k.parts[r.Names[0]]
		if !ok {
			continue
		}
		for _, a := range auds {
			if r.Audience == a {
				roots = append(roots, p.Objects()...)
			}
		}
	}
	return textsOf(objectsIn(false, roots...))
}

// TestEveryScreenRegistered checks the registry against the screen names
// the package declares: each is in exactly one row, and every row names
// an audience.
func TestEveryScreenRegistered(t *testing.T) {
	files, err := filepath.Glob("*.go")
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
	for _, r := range screenRows() {
		if r.Audience == 0 {
			t.Errorf("row %v has no Audience", r.Names)
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
	h := newHarness(t, sqlite.Options{}, func(c *Config) {
		c.Folders = func() []Folder { return []Folder{{Name: "USB drive", Path: dir}} }
	})
	h.seed(1, screening.Identity{First: "Begoña", Last: "Zúñiga", Birth: "1979-01-02"})
	_, code, err := h.st.IssueCode(context.Background(), "s00", testAdmin, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}

	// a returning patient checks in, with a note for the counselor; the
	// next starts typing their code, then goes back
	h.tap(h.k.tr("welcome.checkin"))
	h.typeCode(code)
	for h.k.Screen() == ScreenQuestion {
		st, _ := h.k.flow.visit.Session().Step(h.k.flow.visit.at, h.clock.Now())
		if st.Item.Kind == screening.Free {
			test.Type(find[*touch.Entry](h), "Markerfree")
			h.tap(h.k.tr("nav.next"))
			continue
		}
		h.answer("")
	}
	h.wantScreen(ScreenReview)
	if !h.shows("20 hours ago") {
		t.Fatalf("review screen: %q", h.texts())
	}
	h.tap(h.k.tr("review.submit"))
	h.wantScreen(ScreenFinish)
	course := the[*finishScreen](h.k, ScreenFinish).course.Text
	if course == "" {
		t.Fatal("no course words on the finish screen")
	}
	h.tap(h.k.tr("finish.done"))
	h.wantScreen(ScreenWelcome)
	h.tap(h.k.tr("welcome.checkin"))
	c := the[*codeScreen](h.k, ScreenCode)
	for _, r := range code[:3] {
		test.Tap(c.keys[strings.IndexRune(sqlite.CodeAlphabet, r)])
	}
	typed := code[:3] + "·"
	if !h.shows(typed) {
		t.Fatalf("code screen does not show %q: %q", typed, h.texts())
	}
	h.tap(h.k.tr("nav.back"))
	h.wantScreen(ScreenWelcome)

	// a patient answers a few questions
	h.begin("Zelda", "Quixote")
	for range 4 {
		h.answer("")
	}
	patientMarks := []string{"Zelda", "Quixote", "Mar 7, 1985", "March 7", typed, "Markerfree", "20 hours ago", course}

	// a counselor signs in over them and uses every staff screen
	q := h.openStaff()
	test.Tap(q.rows[0]) // s00: urgent, pinned on top
	h.wantScreen(ScreenSession)
	if !h.shows("Zúñiga") {
		t.Fatalf("session view: %q", h.texts())
	}
	v := the[*sessionView](h.k, ScreenSession)
	test.Tap(v.tabs[tabCheckins])
	h.tap(checkinText.SetPlan)
	h.wantScreen(ScreenPlan)
	the[*planScreen](h.k, ScreenPlan).setText(planDose, "37")
	h.tap(planText.Cancel)
	h.tap(sessionText.Note)
	h.wantScreen(ScreenNote)
	test.Type(h.focused(), "Markernote about IOP")
	h.tap(noteText.Cancel)
	h.tap(sessionText.Save)
	h.wantScreen(ScreenSave)
	h.tap(saveText.Cancel)
	h.tap(sessionText.Queue)
	test.Tap(q.pickDay)
	h.wantScreen(ScreenDay)
	test.Type(the[*dayScreen](h.k, ScreenDay).de, "11242026")
	h.tap(dayText.Cancel)
	test.Tap(q.search)
	h.wantScreen(ScreenSearch)
	test.Type(h.focused(), "Zúñiga")
	h.tap(searchText.Search)
	h.wantScreen(ScreenStaff)
	h.wait()
	h.tap(staffText.Settings)
	h.editSetting("clinic_name")
	test.Type(h.focused(), " Markerclinic")
	h.tap(settingsText.Cancel)
	h.tap(h.k.tr("nav.back"))
	h.wantScreen(ScreenStaff)

	// every screen a patient or staff member sees has been used
	for _, r := range h.k.rows {
		if _, ok := h.k.parts[r.Names[0]]; r.Build != nil && r.Audience != ForSetup && !ok {
			t.Errorf("the test did not use the screen %v: add it here", r.Names)
		}
	}
	staffMarks := append([]string{"Begoña", "Zúñiga", "1979", "Markernote", "Markerclinic", code[:4]}, patientMarks...)

	h.tap(staffText.Lock)
	h.wantScreen(ScreenQuestion) // back to the patient's question
	for _, s := range h.partsText(ForSignIn, ForStaff) {
		for _, m := range staffMarks {
			if strings.Contains(s, m) {
				t.Errorf("%q left on a staff screen after the lock: %q", m, s)
			}
		}
	}

	// the patient walks away: the reset leaves nothing on any screen
	h.clock.Advance(2 * time.Minute)
	h.k.Tick()
	h.wantScreen(ScreenWelcome)
	all := append(h.partsText(ForPatient, ForSignIn, ForStaff, ForSetup), textsOf(objectsIn(false, h.w.Content()))...)
	for _, s := range all {
		for _, m := range staffMarks {
			if strings.Contains(s, m) {
				t.Errorf("%q left in a screen after the reset: %q", m, s)
			}
		}
	}
}
