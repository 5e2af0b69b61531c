// Package speech reads text aloud, offline, through the system's own speech
// engine: espeak-ng on Linux (and other Unix systems), `say` on macOS and
// SAPI's ISpVoice on Windows.
//
// The kiosk asks New for a Speaker once at start. When New returns
// ErrNoEngine the kiosk hides its speaker button instead of showing a button
// that does nothing.
package speech

import (
	"context"
	"strings"

	"intakekiosk/fault"
)

// Speaker reads text aloud in a language ("en", "es").
type Speaker interface {
	// Say starts reading text aloud and returns at once; a Say while
	// another is playing stops the first. ctx ending stops it too.
	//
	// lang is a language tag whose primary subtag picks the voice: "en",
	// "en-US" and "en_US" all read in English. A language with no voice
	// gives an error wrapping ErrUnsupportedLanguage. Empty (or
	// all-blank) text only stops what is playing.
	Say(ctx context.Context, text, lang string) error
	// Stop stops what is being read (no-op when nothing is).
	Stop()
	// Speaks tells whether there is a voice for a language (its primary
	// subtag, as Say): a kiosk hides its speaker button without one.
	Speaks(lang string) bool
}

// ErrNoEngine is returned (wrapped) by New when the system has no speech
// engine installed; the kiosk then hides its speaker button.
var ErrNoEngine error = fault.E(fault.Unavailable, "speech: no speech engine installed")

// ErrUnsupportedLanguage is returned (wrapped) by Say for a language the
// engine has no voice for.
var ErrUnsupportedLanguage error = fault.E(fault.Unavailable, "speech: no voice for language")

// primaryLang returns the lower-cased primary subtag of a language tag:
// "es-MX" and "es_mx" give "es".
func primaryLang(lang string) string {
	lang = strings.TrimSpace(lang)
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	return strings.ToLower(lang)
}

// blank reports whether text has nothing to read.
func blank(text string) bool {
	return strings.TrimSpace(text) == ""
}
