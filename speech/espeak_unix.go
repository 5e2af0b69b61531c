//go:build unix

package speech

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// DefaultEspeakCommand is the espeak-ng program Espeak runs when its
// Command is empty.
const DefaultEspeakCommand = "espeak-ng"

// DefaultEspeakRate is Espeak's speaking rate in words per minute when its
// Rate is zero: a little slower than espeak-ng's own 175, for patients who
// read poorly or are unwell.
const DefaultEspeakRate = 150

// voiceListTimeout bounds `espeak-ng --voices=es`, which Open runs once.
const voiceListTimeout = 3 * time.Second

// Espeak configures the espeak-ng speech engine. The zero value runs
// "espeak-ng" from PATH at 150 words per minute.
//
// espeak-ng plays through the sound device itself; the text always goes on
// its standard input, so text that starts with "-" or holds quotes, "<" or
// non-ASCII letters is read as text.
type Espeak struct {
	// Command is the program to run, a name looked up on PATH or a path;
	// empty means DefaultEspeakCommand.
	Command string
	// Rate is the speaking rate in words per minute (espeak-ng accepts 80
	// to 450); zero means DefaultEspeakRate.
	Rate int
	// LookPath resolves Command to a path; nil means exec.LookPath. Tests
	// set it to pretend the engine is or is not installed.
	LookPath func(file string) (string, error)
}

// espeakSpeaker is the Speaker Espeak.Open returns.
type espeakSpeaker struct {
	path   string            // resolved program path
	rate   int               // words per minute
	voices map[string]string // primary language subtag to espeak-ng voice
	player procPlayer
}

// Open finds the espeak-ng program and its voices and returns a Speaker
// that reads English with the "en-us" voice and Spanish with "es-419"
// (Latin American), or with "es" where es-419 is not installed. It returns
// an error wrapping ErrNoEngine when the program cannot be found.
func (e Espeak) Open() (Speaker, error) {
	path, rate, err := e.resolve()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), voiceListTimeout)
	defer cancel()
	return &espeakSpeaker{path: path, rate: rate, voices: espeakVoices(ctx, path)}, nil
}

// WriteWAV reads text in lang into the WAV file path (`espeak-ng -w path`)
// instead of the sound device, and waits until the file is written. Tests
// use it to check that the engine really produces audio without a sound
// device.
func (e Espeak) WriteWAV(ctx context.Context, text, lang, path string) error {
	prog, rate, err := e.resolve()
	if err != nil {
		return err
	}
	voice, ok := espeakVoices(ctx, prog)[primaryLang(lang)]
	if !ok {
		return fmt.Errorf("speech: espeak-ng: %w %q", ErrUnsupportedLanguage, lang)
	}
	args := append(espeakArgs(voice, rate), "-w", path)
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Stdin = strings.NewReader(text)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("speech: %s -w %s: %w: %s", prog, path, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// resolve returns the program's path and the rate to use, or an error
// wrapping ErrNoEngine when the program cannot be found.
func (e Espeak) resolve() (path string, rate int, err error) {
	name := e.Command
	if name == "" {
		name = DefaultEspeakCommand
	}
	rate = e.Rate
	if rate == 0 {
		rate = DefaultEspeakRate
	}
	if rate < 80 || rate > 450 {
		return "", 0, fmt.Errorf("speech: espeak-ng rate %d words per minute is outside 80 to 450", rate)
	}
	lookPath := e.LookPath
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	path, err = lookPath(name)
	if err != nil {
		return "", 0, fmt.Errorf("%w: %s: %w", ErrNoEngine, name, err)
	}
	return path, rate, nil
}

// Say implements Speaker: it kills what is playing and starts espeak-ng
// on text without waiting for it.
func (s *espeakSpeaker) Say(ctx context.Context, text, lang string) error {
	voice, ok := s.voices[primaryLang(lang)]
	if !ok {
		s.player.stop()
		return fmt.Errorf("speech: espeak-ng: %w %q", ErrUnsupportedLanguage, lang)
	}
	if blank(text) {
		s.player.stop()
		return nil
	}
	return s.player.play(ctx, s.path, espeakArgs(voice, s.rate), text)
}

// Stop implements Speaker.
func (s *espeakSpeaker) Stop() { s.player.stop() }

// Speaks implements Speaker.
func (s *espeakSpeaker) Speaks(lang string) bool {
	_, ok := s.voices[primaryLang(lang)]
	return ok
}

// espeakArgs returns the arguments that make espeak-ng read UTF-8 text from
// standard input with voice at rate words per minute.
func espeakArgs(voice string, rate int) []string {
	return []string{"-v", voice, "-s", strconv.Itoa(rate), "-b", "1", "--stdin"}
}

// espeakVoices maps the kiosk's languages to espeak-ng voices, asking the
// program at path whether the Latin American Spanish voice is installed.
// Any failure to ask falls back to "es", which every espeak-ng has.
func espeakVoices(ctx context.Context, path string) map[string]string {
	es := "es"
	out, err := exec.CommandContext(ctx, path, "--voices=es").Output()
	if err == nil && hasEspeakVoice(out, "es-419") {
		es = "es-419"
	}
	return map[string]string{"en": "en-us", "es": es}
}

// hasEspeakVoice reports whether the output of `espeak-ng --voices=...`
// lists a voice whose language (second column) is lang.
func hasEspeakVoice(list []byte, lang string) bool {
	sc := bufio.NewScanner(bytes.NewReader(list))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[1] == lang {
			return true
		}
	}
	return false
}
