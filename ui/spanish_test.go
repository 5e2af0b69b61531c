package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"intakekiosk/store"
)

// Every screen fits 1280x800 in Spanish too: each question of every
// instrument, the keypads, the review.
func TestSpanishScreensFit(t *testing.T) {
	h := newHarness(t, store.Options{}, nil)
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
	*store.Store
	failed bool
}

func (f *langFailsOnce) Append(ctx context.Context, id string, at time.Time, p store.Payload) error {
	if strings.HasPrefix(p.Event, "lang:") && !f.failed {
		f.failed = true
		return store.ErrFull
	}
	return f.Store.Append(ctx, id, at, p)
}

// The session's language is on record even when its first write fails:
// after Try again, the summary knows the answers are Spanish.
func TestSpanishLanguageRetried(t *testing.T) {
	h := newHarness(t, store.Options{}, nil)
	h.k.cfg.Store = &langFailsOnce{Store: h.st}
	h.tap("Español")
	h.tap("Comenzar")
	h.tap("Estoy de acuerdo")
	// the write failed: the error screen, Try again, and the notice
	// again to agree to
	h.wantScreen(ScreenError)
	h.tap(h.k.tr("error.retry"))
	if h.k.Screen() == ScreenConsent {
		h.tap("Estoy de acuerdo")
	}
	h.wantScreen(ScreenFirst)
	if h.k.visit == nil {
		t.Fatal("no session after the privacy notice")
	}
	recs, err := h.st.Records(context.Background(), h.k.visit.id, h.key)
	if err != nil {
		t.Fatal(err)
	}
	langs := 0
	for _, r := range recs {
		if r.Event == "lang:es" {
			langs++
		}
	}
	if langs != 1 {
		t.Errorf("%d lang:es records", langs)
	}
}
