package patient

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"intakekiosk"
	"intakekiosk/screening"
	"intakekiosk/sqlite"
	"intakekiosk/ui"
	"intakekiosk/ui/touch"
)

// Every screen fits 1280x800 in Spanish too: each question of every
// instrument, the keypads, the review.
func TestSpanishScreensFit(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	k := h.k
	h.tap("Español")
	check := h.fits(t, fyne.Size{})
	check("welcome")
	h.tap("Comenzar")
	check("consent")
	h.tap("Estoy de acuerdo")
	check("first name")
	k.showBirth()
	check("date of birth")
	k.showCode()
	check("check-in code")
	h.eachQuestion(check, "Horas atrás", "Días atrás", "Fecha y hora")
	k.showReview(0)
	check("review")
	k.showCrisis()
	check("crisis")
}

// langFailsOnce is the store with the first write of a session's
// language failing (a disk full for a moment).
type langFailsOnce struct {
	*sqlite.Store
	failed bool
}

func (f *langFailsOnce) Append(ctx context.Context, id string, at time.Time, p intakekiosk.Payload) error {
	if p.Event.Lang != "" && !f.failed {
		f.failed = true
		return sqlite.ErrFull
	}
	return f.Store.Append(ctx, id, at, p)
}

// The session's language is on record even when its first write fails:
// after Try again, the summary knows the answers are Spanish.
func TestSpanishLanguageRetried(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, nil)
	h.useStore(&langFailsOnce{Store: h.st})
	h.tap("Español")
	h.tap("Comenzar")
	h.tap("Estoy de acuerdo")
	// the write failed: the error screen, Try again, and the notice
	// again to agree to
	h.wantScreen(ui.ScreenError)
	h.tap(h.k.T("error.retry"))
	if h.k.Screen() == ui.ScreenConsent {
		h.tap("Estoy de acuerdo")
	}
	h.wantScreen(ui.ScreenFirst)
	if h.k.visit == nil {
		t.Fatal("no session after the privacy notice")
	}
	recs, err := h.st.Records(context.Background(), h.k.visit.ID(), h.key)
	if err != nil {
		t.Fatal(err)
	}
	langs := 0
	for _, r := range recs {
		if r.Event.Lang == "es" {
			langs++
		}
	}
	if langs != 1 {
		t.Errorf("%d lang:es records", langs)
	}
}

// The review screen reads a declined item and an "hours ago" answer back
// in the patient's language, with no English words.
func TestSpanishReviewWords(t *testing.T) {
	h := newHarness(t, sqlite.Options{}, func(c *ui.Config) { c.Settings.Enabled = []string{"kratom", "phq9"} })
	h.tap("Español")
	h.tap("Comenzar")
	h.tap("Estoy de acuerdo")
	test.Type(find[*touch.Entry](h), "Ana")
	h.tap("Siguiente")
	test.Type(find[*touch.Entry](h), "Ruiz")
	h.tap("Siguiente")
	test.Type(find[*touch.DateEntry](h), "03071985")
	h.tap("Siguiente")
	declined := false
	for n := 0; h.asking(); n++ {
		if n > 60 {
			t.Fatal("the questions do not end")
		}
		st, _ := h.k.visit.Session().Step(h.k.visit.at, h.clock.Now())
		switch it := st.Item; {
		case it.Kind == screening.When:
			h.tap(h.k.Kit().Words.When.HoursAgo)
			test.Type(find[*touch.NumberEntry](h), "20")
			h.tap("Siguiente")
		case !declined && len(h.buttons("Prefiero no contestar")) > 0:
			declined = true
			h.tap("Prefiero no contestar")
		case it.Kind == screening.Single:
			h.tap(it.Options[0].Label.In("es"))
		case it.Kind == screening.Multi:
			h.tap(it.Options[0].Label.In("es"))
			h.tap("Siguiente")
		case it.Kind == screening.Number:
			test.Type(find[*touch.NumberEntry](h), "4")
			h.tap("Siguiente")
		default:
			test.Type(find[*touch.Entry](h), "nada")
			h.tap("Siguiente")
		}
	}
	h.wantScreen(ui.ScreenReview)
	r := the[*reviewScreen](h.k, ui.ScreenReview)
	var shown []string
	for p := range len(r.starts) {
		r.show(p)
		shown = append(shown, h.texts()...)
	}
	all := strings.Join(shown, "\n")
	for _, want := range []string{"Prefiero no contestar", "20 horas atrás (24 de noviembre, 7 p.m.)"} {
		if !strings.Contains(all, want) {
			t.Errorf("review does not show %q: %q", want, shown)
		}
	}
	for _, en := range []string{"Prefer not", "hours ago", "Mon", "Tue", " PM", "November"} {
		if strings.Contains(all, en) {
			t.Errorf("English %q on the Spanish review screen: %q", en, shown)
		}
	}
}
