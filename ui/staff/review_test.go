package staff

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk"
	"intakekiosk/demo"
	"intakekiosk/desk"
	"intakekiosk/printer"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/uitest"
	"intakekiosk/vault"
)

// rows returns the ids of the queue's rows shown.
func (h *harness) rows() []string {
	var ids []string
	for _, r := range the[*staffHome](h.k, ui.ScreenStaff).queue.rows {
		if r.Visible() {
			ids = append(ids, r.row.Session.ID)
		}
	}
	return ids
}

// openStaff signs the test admin in and waits for the queue.
func (h *harness) openStaff() *queue {
	h.t.Helper()
	h.signIn(testAdmin, testAdminPass)
	h.wantScreen(ui.ScreenStaff)
	q := the[*staffHome](h.k, ui.ScreenStaff).queue
	h.wait()
	return q
}

func TestQueueUrgentFirstAndPaging(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	ids := h.seed(7, screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"})
	q := h.openStaff()
	// s00 is the oldest of today but urgent: pinned on top; then newest
	// first; yesterday's session is not listed. s00's alert banner over
	// the queue takes the room of a row
	per := queuePage - 1
	want := append([]string{"s00"}, ids[:per-1]...)
	if got := h.rows(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("page 1 = %v, want %v", got, want)
	}
	if !h.shows("URGENT") || !h.shows("Ana R.") || !h.shows("7 sessions") || !h.shows("Page 1 of 2") {
		t.Errorf("queue shows %q", h.texts())
	}
	if h.shows("Ana Ruiz") {
		t.Error("the queue shows a full name")
	}
	if q.prev.Disabled() == false || q.next.Disabled() {
		t.Error("paging buttons: want back disabled, next enabled")
	}
	test.Tap(q.next)
	if got := h.rows(); strings.Join(got, " ") != strings.Join(ids[per-1:6], " ") {
		t.Errorf("page 2 = %v, want %v", got, ids[per-1:6])
	}
	if !q.next.Disabled() || !h.shows("Page 2 of 2") {
		t.Error("page 2 of 2 with next enabled")
	}
	// the day before lists yesterday's session only
	test.Tap(q.today)
	test.Tap(q.prevDay)
	if got := h.rows(); len(got) != 1 || got[0] != "s07" {
		t.Errorf("yesterday = %v", got)
	}
	// any day, on the date keypad; not one to come
	test.Tap(q.pickDay)
	h.wantScreen(ui.ScreenDay)
	the[*dayScreen](h.k, ui.ScreenDay).de.Clear()
	test.Type(the[*dayScreen](h.k, ui.ScreenDay).de, "11262026")
	h.tap(dayText.Show)
	if !h.shows(dayText.Future) {
		t.Errorf("a day to come: %q", h.texts())
	}
	the[*dayScreen](h.k, ui.ScreenDay).de.Clear()
	test.Type(the[*dayScreen](h.k, ui.ScreenDay).de, "11242026")
	h.tap(dayText.Show)
	h.wantScreen(ui.ScreenStaff)
	if got := h.rows(); len(got) != 1 || got[0] != "s07" || !h.shows("Tue, Nov 24, 2026") {
		t.Errorf("Nov 24 = %v, %q", got, h.texts())
	}
	test.Tap(q.allDays)
	h.wait()
	if !h.shows("8 sessions") {
		t.Errorf("all dates: %q", h.texts())
	}
	// reading the queue is an access: each load that opened sessions is
	// in the audit log, with counts, never names
	log, _ := h.st.AuditLog(context.Background())
	var reads []string
	for _, e := range log {
		if e.Action == sqlite.ActQueue {
			reads = append(reads, e.Detail)
		}
	}
	want = []string{"4 sessions opened for the queue, 2026-11-25", "3 sessions opened for the queue, 2026-11-25",
		"1 session opened for the queue, 2026-11-24"}
	if strings.Join(reads, "|") != strings.Join(want, "|") {
		t.Errorf("queue reads audited: %q, want %q", reads, want)
	}
}

func TestQueueSearch(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seed(4,
		screening.Identity{First: "José", Last: "Peña-Ibáñez", Birth: "1990-12-01"},
		screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"},
		screening.Identity{First: "Ana", Last: "Núñez", Birth: "1979-01-02"})
	q := h.openStaff()
	search := func(text string) []string {
		t.Helper()
		test.Tap(q.search)
		h.wantScreen(ui.ScreenSearch)
		s := the[*searchScreen](h.k, ui.ScreenSearch)
		if s.fields[0].Text != q.qtext {
			t.Errorf("search field holds %q, want the current search %q", s.fields[0].Text, q.qtext)
		}
		s.setText(0, "")
		test.Type(h.focused(), text)
		h.tap(searchText.Search)
		h.wantScreen(ui.ScreenStaff)
		h.wait()
		return h.rows()
	}
	for _, tc := range []struct{ q, want string }{
		{"ana", "s02 s01"},
		{"pena", "s00"},
		{"nunez ana", "s02"},
		{"3/7/1985", "s01"},
		{"zzz", ""},
	} {
		if got := strings.Join(search(tc.q), " "); got != tc.want {
			t.Errorf("search %q = %q, want %q", tc.q, got, tc.want)
		}
	}
	if !h.shows("No session in this period matches.") {
		t.Errorf("no-match message missing: %q", h.texts())
	}
	test.Tap(q.unsearch)
	if len(h.rows()) != 4 {
		t.Errorf("after clearing the search: %v", h.rows())
	}
	// a search over all dates opens the sessions not yet opened on other
	// goroutines, with progress shown, then lists the matches
	q.syncOpen = 0
	test.Tap(q.allDays)
	h.wait()
	if !q.progress.Hidden || q.state.Visible() || !h.shows("5 sessions") {
		t.Errorf("after opening yesterday's session: progress shown %v, %q", !q.progress.Hidden, h.texts())
	}
	search("ana")
	if got := strings.Join(h.rows(), " "); got != "s02 s01" {
		t.Errorf("all dates, ana: %v", got)
	}
}

func TestSessionViewReviewAndNote(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seed(2, screening.Identity{First: "Begoña", Last: "Zúñiga", Birth: "1979-01-02"})
	q := h.openStaff()
	test.Tap(q.rows[0])
	h.wantScreen(ui.ScreenSession)
	v := the[*sessionView](h.k, ui.ScreenSession)
	for _, want := range []string{"Begoña Zúñiga", "Born Jan 2, 1979", "Status: New", "PHQ-9", "Red flags for medical supervision"} {
		if !h.shows(want) {
			t.Errorf("session view lacks %q: %q", want, h.texts())
		}
	}
	// the answers, a page at a time: every question of the session is on
	// one of the pages, and the pages end
	h.tap(sessionText.Answers)
	pages := len(v.pages[tabAnswers])
	shown := map[string]bool{}
	for i := range pages {
		if i > 0 {
			test.Tap(v.next)
		}
		for _, s := range h.texts() {
			shown[s] = true
		}
	}
	if pages < 4 || !v.next.Disabled() {
		t.Errorf("%d answer pages; next enabled on the last: %v", pages, !v.next.Disabled())
	}
	for _, in := range v.facts.Instruments {
		for _, it := range in.Items {
			if q := fmt.Sprintf("%s. %s", it.Number, it.Question); !shown[q] {
				t.Errorf("no page shows %q", q)
			}
		}
	}

	h.tap(sessionText.Review)
	if got, _ := h.st.Session(context.Background(), "s00"); got.Reviewed.IsZero() || got.ReviewedBy != testAdmin {
		t.Errorf("reviewed %v by %q after Mark reviewed", got.Reviewed, got.ReviewedBy)
	}
	if !h.shows("Status: Reviewed by "+testAdmin) || !v.reviewB.Disabled() {
		t.Error("the view does not show the session reviewed")
	}

	h.tap(sessionText.Note)
	h.wantScreen(ui.ScreenNote)
	h.tap(noteText.Save)
	if !h.shows(noteText.Empty) {
		t.Error("an empty note was not refused")
	}
	test.Type(h.focused(), "Referred to IOP; señora prefers Spanish")
	h.tap(noteText.Save)
	h.wantScreen(ui.ScreenSession)
	if !h.shows("Referred to IOP; señora prefers Spanish") || !h.shows("Notes (1)") || !h.shows(testAdmin+", Nov 25, 2026 3:00 PM") {
		t.Errorf("note not shown: %q", h.texts())
	}
	recs, err := h.st.Records(context.Background(), "s00", h.key)
	if err != nil {
		t.Fatal(err)
	}
	last := recs[len(recs)-1]
	if last.Note == nil || last.Note.By != testAdmin || recs[0].Identity == nil {
		t.Errorf("records after the note: first %+v, last %+v", recs[0], last)
	}
	log, _ := h.st.AuditLog(context.Background())
	acts := map[string]int{}
	for _, e := range log {
		acts[e.Action]++
	}
	if acts[sqlite.ActViewSession] != 1 || acts[sqlite.ActReview] != 1 || acts[sqlite.ActNote] != 1 {
		t.Errorf("audit %v", acts)
	}
	// back to the queue: the row says reviewed
	h.tap(sessionText.Queue)
	h.wantScreen(ui.ScreenStaff)
	if !h.shows("Screening · Reviewed by " + testAdmin) {
		t.Errorf("queue after review: %q", h.texts())
	}
	// lock leaves nothing of the session on any staff screen
	h.tap(staffText.Lock)
	for _, s := range uitest.Texts(uitest.In(false, v.obj, the[*staffHome](h.k, ui.ScreenStaff).obj, the[*noteScreen](h.k, ui.ScreenNote).obj)) {
		if strings.Contains(s, "Zúñiga") || strings.Contains(s, "Begoña") || strings.Contains(s, "IOP") {
			t.Errorf("left on a staff screen after lock: %q", s)
		}
	}
}

func TestPrintAndSave(t *testing.T) {
	dir := t.TempDir()
	var printed [][]byte
	var titles []string
	printErr := error(nil)
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.Print = func(title string, doc io.Reader) error {
			if printErr != nil {
				return printErr
			}
			titles = append(titles, title)
			printed = append(printed, []byte(readAll(doc)))
			return nil
		}
		c.Folders = func() []ui.Folder { return []ui.Folder{{Name: "USB drive", Path: dir}} }
	})
	h.seed(1, screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"})
	q := h.openStaff()
	test.Tap(q.rows[0])

	printErr = fmt.Errorf("wrapped: %w", printer.ErrNoPrinter)
	h.tap(sessionText.Print)
	h.wait()
	if !h.shows(sessionText.NoPrinter) {
		t.Errorf("no printer: %q", h.texts())
	}
	if got, _ := h.st.Session(context.Background(), "s00"); !got.Printed.IsZero() {
		t.Errorf("printed %v after a failed print", got.Printed)
	}
	printErr = nil
	h.tap(sessionText.Print)
	h.wait()
	if len(printed) != 1 || !strings.HasPrefix(string(printed[0]), "%PDF") || strings.Contains(titles[0], "Ana") {
		t.Fatalf("printed %d documents titled %q", len(printed), titles)
	}
	// a print is not a review: Mark reviewed is still there to tap
	if !h.shows(sessionText.Printed) || !h.shows("Status: New, printed") || the[*sessionView](h.k, ui.ScreenSession).reviewB.Disabled() {
		t.Errorf("after print: %q", h.texts())
	}

	h.tap(sessionText.Save)
	h.wantScreen(ui.ScreenSave)
	h.tap("USB drive")
	h.wait()
	h.wantScreen(ui.ScreenSession)
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(files) != 1 || strings.Contains(files[0], "Ana") || strings.Contains(files[0], "Ruiz") {
		t.Fatalf("saved %v", files)
	}
	fi, _ := os.Stat(files[0])
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("saved with mode %v", fi.Mode().Perm())
	}
	if !h.shows(fmt.Sprintf(saveText.Saved, files[0])) {
		t.Errorf("after save: %q", h.texts())
	}
	// saving again never overwrites
	h.tap(sessionText.Save)
	h.tap("USB drive")
	h.wait()
	if files, _ := filepath.Glob(filepath.Join(dir, "*.pdf")); len(files) != 2 {
		t.Errorf("second save: %v", files)
	}
	// a folder that cannot be written says so and stays
	h.tap(sessionText.Save)
	the[*saveScreen](h.k, ui.ScreenSave).saveTo(ui.Folder{Name: "gone", Path: filepath.Join(dir, "no", "such")})
	h.wait()
	h.wantScreen(ui.ScreenSave)
	if !h.shows("Could not save") {
		t.Errorf("bad folder: %q", h.texts())
	}
	log, _ := h.st.AuditLog(context.Background())
	var prints []string
	for _, e := range log {
		if e.Action == sqlite.ActPrint {
			prints = append(prints, e.Detail)
		}
	}
	if strings.Join(prints, ",") != "printed,saved as PDF to USB drive,saved as PDF to USB drive" {
		t.Errorf("print audit %q", prints)
	}
}

// seedLongest stores a session answered at its longest: every option of
// every multiple choice picked, every text at its longest, help pressed,
// a long note.
func (h *harness) seedLongest(id string) {
	h.t.Helper()
	cat := h.k.Config().Catalog
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(5, 5))}
	ns, err := g.Screening(id, h.clock.Now().Add(-time.Hour), 1)
	if err != nil {
		h.t.Fatal(err)
	}
	for i, r := range ns.Records {
		if r.Answer == nil {
			continue
		}
		a := *r.Answer
		in, _ := cat.Instrument(a.Instrument)
		it, _ := in.Item(a.Item)
		switch it.Kind {
		case screening.Multi:
			a.Choices = nil
			for _, o := range it.Options {
				if !o.Exclusive {
					a.Choices = append(a.Choices, o.Value)
				}
			}
		case screening.Free:
			a.Text = strings.Repeat("Gabapentina 300 mg tres veces al día, ", 10)[:200]
		}
		ns.Records[i].Answer = &a
	}
	ns.Records = append(ns.Records, intakekiosk.Record{Recorded: ns.Completed, Payload: intakekiosk.Payload{Event: intakekiosk.Event{Help: true}}})
	ns.Urgent = true
	if err := h.st.AddSessions(context.Background(), []sqlite.NewSession{ns}); err != nil {
		h.t.Fatal(err)
	}
	note := strings.Repeat("Long note: the patient described the taper and the family support in detail. ", 30)
	if err := h.st.AddNote(context.Background(), id, h.key, intakekiosk.Note{By: testAdmin, Text: note[:sqlite.MaxNoteLen]}, h.clock.Now()); err != nil {
		h.t.Fatal(err)
	}
}

// Staff screens fit 1280x800 with a full queue page and the longest
// session: every page of every tab.
func TestStaffReviewFits(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.seedLongest("longest")
	h.seed(9, screening.Identity{First: "María José", Last: "Peña-Ibáñez de la Concepción", Birth: "1979-01-02"})
	// a real window measures text a little wider than the test driver
	check := h.fits(t, fyne.NewSize(30, 10))
	q := h.openStaff()
	check("queue")
	test.Tap(q.allDays)
	check("queue, all dates")
	test.Tap(q.rows[0])
	v := the[*sessionView](h.k, ui.ScreenSession)
	check("session summary")
	for tab, name := range []string{"summary", "answers", "notes"} {
		v.setTab(tab)
		for i := range v.pages[tab] {
			v.page = i
			v.draw()
			check(fmt.Sprintf("%s page %d", name, i+1))
		}
	}
	test.Tap(v.tabs[tabNotes])
	check("notes")
	h.tap(sessionText.Note)
	check("add note")
	h.tap(noteText.Cancel)
	h.tap(sessionText.Save)
	check("save")
	h.tap(saveText.Cancel)
	h.tap(sessionText.Queue)
	test.Tap(q.search)
	check("search")
	test.Type(h.focused(), "María José Peña-Ibáñez")
	h.tap(searchText.Search)
	check("queue with a long search")
	test.Tap(q.pickDay)
	check("day picker")
}

// countingStaff counts the sessions opened with the clinic key.
type countingStaff struct {
	desk.Store
	mu     sync.Mutex
	opened map[string]int
}

func (c *countingStaff) Records(ctx context.Context, id string, key *vault.ClinicKey) ([]intakekiosk.Record, error) {
	c.mu.Lock()
	c.opened[id]++
	c.mu.Unlock()
	return c.Store.Records(ctx, id, key)
}

func (c *countingStaff) count(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.opened[id]
}

// TestOpenPrintReviewDecryptOnce opens a session from the queue, prints
// marks it reviewed, prints it and saves it: its records are opened with the
// clinic key once, the status shown follows each step.
func TestOpenPrintReviewDecryptOnce(t *testing.T) {
	dir := t.TempDir()
	var pdf []byte
	counter := &countingStaff{opened: map[string]int{}}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		counter.Store = c.Staff
		c.Staff = counter
		c.Print = func(title string, doc io.Reader) error { pdf = []byte(readAll(doc)); return nil }
		c.Folders = func() []ui.Folder { return []ui.Folder{{Name: "USB drive", Path: dir}} }
	})
	h.seed(1, screening.Identity{First: "Ana", Last: "Ruiz", Birth: "1985-03-07"})
	q := h.openStaff()
	before := counter.count("s00") // the queue's summary
	test.Tap(q.rows[0])
	h.wantScreen(ui.ScreenSession)
	h.tap(sessionText.Review)
	if !h.shows("Status: Reviewed") {
		t.Fatalf("after review: %q", h.texts())
	}
	h.tap(sessionText.Print)
	h.wait()
	if !strings.HasPrefix(string(pdf), "%PDF") || !h.shows("Status: Reviewed by "+testAdmin+", printed") {
		t.Fatalf("after print: %q", h.texts())
	}
	h.tap(sessionText.Save)
	h.tap("USB drive")
	h.wait()
	h.wantScreen(ui.ScreenSession)
	if !h.shows("Status: Reviewed by " + testAdmin + ", printed") {
		t.Fatalf("after save: %q", h.texts())
	}
	if n := counter.count("s00") - before; n != 1 {
		t.Errorf("open, review, print and save opened the session's records %d times, want 1", n)
	}
}
