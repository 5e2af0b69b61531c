//go:build darwin

package speech

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"time"
)

// DefaultMacSayCommand is the program MacSay runs when its Command is empty.
const DefaultMacSayCommand = "say"

// DefaultMacSayRate is MacSay's speaking rate in words per minute when its
// Rate is zero, a little slower than the voices' own rate.
const DefaultMacSayRate = 150

// MacSay configures macOS's built-in `say` command. The zero value runs
// "say" from PATH at 150 words per minute, with the voice Samantha for
// English and Paulina (Mexico) or Mónica (Spain) for Spanish, or else any
// installed voice of the language.
type MacSay struct {
	// Command is the program to run, a name looked up on PATH or a path;
	// empty means DefaultMacSayCommand.
	Command string
	// Rate is the speaking rate in words per minute; zero means
	// DefaultMacSayRate.
	Rate int
	// LookPath resolves Command to a path; nil means exec.LookPath.
	LookPath func(file string) (string, error)
}

// macSpeaker is the Speaker MacSay.Open returns.
type macSpeaker struct {
	path   string
	rate   int
	voices map[string]string // primary language subtag to voice name
	player procPlayer
}

// New returns the system's speech engine: macOS's `say`. It returns an
// error wrapping ErrNoEngine when `say` cannot be found.
func New() (Speaker, error) {
	return MacSay{}.Open()
}

// Open finds `say` and its installed voices and returns a Speaker, or an
// error wrapping ErrNoEngine when the program cannot be found.
func (m MacSay) Open() (Speaker, error) {
	name := m.Command
	if name == "" {
		name = DefaultMacSayCommand
	}
	rate := m.Rate
	if rate == 0 {
		rate = DefaultMacSayRate
	}
	if rate < 0 {
		return nil, fmt.Errorf("speech: say rate %d words per minute is negative", rate)
	}
	lookPath := m.LookPath
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	path, err := lookPath(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrNoEngine, name, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "-v", "?").Output()
	if err != nil {
		return nil, fmt.Errorf("speech: list voices with %s -v '?': %w", path, err)
	}
	return &macSpeaker{path: path, rate: rate, voices: pickMacVoices(parseMacVoices(out))}, nil
}

// Say implements Speaker: it kills what is playing and starts `say` on
// text (given on its standard input) without waiting for it.
func (s *macSpeaker) Say(ctx context.Context, text, lang string) error {
	voice, ok := s.voices[primaryLang(lang)]
	if !ok {
		s.player.stop()
		return fmt.Errorf("speech: say: %w %q", ErrUnsupportedLanguage, lang)
	}
	if blank(text) {
		s.player.stop()
		return nil
	}
	return s.player.play(ctx, s.path, []string{"-v", voice, "-r", strconv.Itoa(s.rate)}, text)
}

// Stop implements Speaker.
func (s *macSpeaker) Stop() { s.player.stop() }

// Speaks implements Speaker.
func (s *macSpeaker) Speaks(lang string) bool {
	_, ok := s.voices[primaryLang(lang)]
	return ok
}
