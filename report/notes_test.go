package report

import (
	"intakekiosk/summary"
	"strings"
	"testing"
	"time"
)

// Counselors' notes print in a section of their own, each with its author
// and time, in the staff's words (accents and all); a summary without
// notes has no such section.
func TestSummaryNotes(t *testing.T) {
	notes := []summary.Note{
		{At: completed.Add(40 * time.Minute), By: "Inés Álvarez", Text: "Paciente refiere náuseas y ansiedad; habló con la Dra. Muñoz."},
		{At: completed.Add(3 * time.Hour), By: "Sam Ortiz", Text: "Follow-up booked for Thursday. " +
			strings.Repeat("Long notes wrap within the page and keep every word. ", 6) + "¿Vuelve el jueves? Sí."},
	}
	// author, time in the clinic's zone, text
	want := [][3]string{
		{"Inés Álvarez", "Mar 2, 2026 9:44 AM", notes[0].Text},
		{"Sam Ortiz", "Mar 2, 2026 12:04 PM", notes[1].Text},
	}
	cases := []struct {
		name  string
		notes []summary.Note
	}{
		{"with notes", notes},
		{"none", nil},
		{"empty list", []summary.Note{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := fullInput(t)
			in.Notes = tc.notes
			text := flat(strings.Join(pdfPages(t, render(t, in)), "\n"))
			if len(tc.notes) == 0 {
				for _, s := range []string{"Counselor notes", "Inés Álvarez", "náuseas", "Sam Ortiz"} {
					if strings.Contains(text, s) {
						t.Errorf("a summary without notes shows %q", s)
					}
				}
				return
			}
			head := strings.Index(text, "Counselor notes")
			if head < 0 {
				t.Fatal("no Counselor notes section")
			}
			if k := strings.Index(text, "Kratom use"); k < 0 || k > head {
				t.Errorf("the notes come before the patient's kratom profile")
			}
			at := head
			for _, w := range want {
				by := strings.Index(text[at:], w[0]+", "+w[1])
				if by < 0 {
					t.Errorf("the notes lack %q after the heading and the note before", w[0]+", "+w[1])
					continue
				}
				at += by
				if !strings.Contains(text[at:], flat(w[2])) {
					t.Errorf("the note by %s lacks its text %q", w[0], w[2])
				}
			}
		})
	}
}
