package staff

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"intakekiosk"
	"intakekiosk/assets"
	"intakekiosk/internal/testtool"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/takehome"
	"intakekiosk/ui"
)

// The session view's Take-home sheet prints the sheet in the patient's
// language (the session's language record), under a job title that
// names no one, and puts it on record as a print; the session's summary
// is not marked printed by it. A session still in progress offers none.
func TestTakeHomeButton(t *testing.T) {
	type job struct{ title, pdf string }
	var printed []job
	set, errs := takehome.Load([]string{"en", "es"}, takehome.Source{Name: "built-in", FS: assets.TakeHome()})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) {
		c.TakeHome = set
		c.Print = func(title string, doc io.Reader) error {
			printed = append(printed, job{title, readAll(doc)})
			return nil
		}
	})
	ctx := context.Background()
	now := h.clock.Now()
	const es, open = "0190c0de-0000-7000-8000-0000000000e5", "0190c0de-0000-7000-8000-0000000000e6"
	for _, id := range []string{es, open} {
		if err := h.st.CreateSession(ctx, id, intakekiosk.Screening, now.Add(-30*time.Minute)); err != nil {
			t.Fatal(err)
		}
		for _, p := range []intakekiosk.Payload{
			{Event: intakekiosk.Event{Lang: "es"}},
			{Identity: &screening.Identity{First: "Marisol", Last: "Quintana", Birth: "1981-05-04"}},
		} {
			if err := h.st.Append(ctx, id, now.Add(-29*time.Minute), p); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := h.st.Complete(ctx, es, now.Add(-10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	h.openStaff()
	h.k.showSession(open)
	h.wantScreen(ui.ScreenSession)
	v := the[*sessionView](h.k, ui.ScreenSession)
	if !v.takeHome.Disabled() {
		t.Error("a session in progress offers a take-home sheet")
	}
	h.k.showSession(es)
	h.tap(takeHomeText.Button)
	h.wait()
	if len(printed) != 1 || printed[0].title != takeHomeText.Title || strings.Contains(printed[0].title, "Quintana") {
		t.Fatalf("printed %d, titled %q", len(printed), printed)
	}
	pdftotext := testtool.Need(t, "pdftotext", "apt-get install poppler-utils")
	file := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := os.WriteFile(file, []byte(printed[0].pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-raw", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"De vuelta a casa", "Por favor, pregunte en la recepción cuándo regresar.", "988"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet does not say %q: %s", want, text)
		}
	}
	if strings.Contains(text, "Quintana") || strings.Contains(text, "Marisol") {
		t.Errorf("the sheet names the patient: %s", text)
	}
	if !h.shows(sessionText.Printed) {
		t.Errorf("after the print: %q", h.texts())
	}
	log, _ := h.st.AuditLog(ctx)
	last := log[len(log)-1]
	if last.Action != sqlite.ActPrint || last.Target != es || last.Detail != "take-home sheet: printed" {
		t.Errorf("last audit entry %+v", last)
	}
	if ss, _ := h.st.Session(ctx, es); !ss.Printed.IsZero() {
		t.Error("the take-home sheet marked the summary printed")
	}
}
