//go:build unix

package speech

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"intakekiosk/internal/testtool"
)

// voicesWith419 and voicesWithout419 are what the fake engine prints for
// `--voices=es`, with and without the Latin American voice.
const (
	voicesWith419 = `Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  es              --/M      Spanish_(Spain)    roa/es
 5  es-419          --/M      Spanish_(Latin_America) roa/es-419           (es-mx 6)(es 6)
`
	voicesWithout419 = `Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  es              --/M      Spanish_(Spain)    roa/es
`
)

// fakeEngine is a shell script standing in for espeak-ng. Each run records
// its arguments (one a line) in DIR/PID.args and its standard input in
// DIR/PID.stdin, starts a child `sleep`, records the child's pid in
// DIR/PID.child and its own pid as a line of DIR/started, and waits.
type fakeEngine struct {
	dir  string
	path string
}

// newFakeEngine writes the fake engine into a temporary directory; voices
// is what it prints for `--voices=...`.
func newFakeEngine(t *testing.T, voices string) fakeEngine {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "voices"), []byte(voices), 0o644); err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf(`#!/bin/sh
d=%q
case "$1" in --voices*) cat "$d/voices"; exit 0;; esac
for a in "$@"; do printf '%%s\n' "$a"; done > "$d/$$.args"
cat > "$d/$$.stdin"
sleep 30 &
echo $! > "$d/$$.child"
echo $$ >> "$d/started"
wait
`, dir)
	path := filepath.Join(dir, "fake-espeak")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return fakeEngine{dir: dir, path: path}
}

// open returns a Speaker running the fake engine.
func (f fakeEngine) open(t *testing.T) Speaker {
	t.Helper()
	sp, err := Espeak{Command: f.path}.Open()
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(sp.Stop)
	return sp
}

// waitStarted waits until n runs of the fake engine have started and
// returns their pids in order.
func (f fakeEngine) waitStarted(t *testing.T, n int) []int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := os.ReadFile(filepath.Join(f.dir, "started"))
		var pids []int
		for _, l := range strings.Fields(string(b)) {
			pid, err := strconv.Atoi(l)
			if err != nil {
				t.Fatalf("started: %v", err)
			}
			pids = append(pids, pid)
		}
		if len(pids) >= n {
			return pids
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d fake engine runs started after 5s", len(pids), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// run returns the arguments, standard input and child pid recorded by the
// fake engine run with pid.
func (f fakeEngine) run(t *testing.T, pid int) (args []string, stdin string, child int) {
	t.Helper()
	read := func(ext string) string {
		b, err := os.ReadFile(filepath.Join(f.dir, strconv.Itoa(pid)+ext))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	args = strings.Split(strings.TrimSuffix(read(".args"), "\n"), "\n")
	child, err := strconv.Atoi(strings.TrimSpace(read(".child")))
	if err != nil {
		t.Fatal(err)
	}
	return args, read(".stdin"), child
}

// gone reports whether process pid has ended (a zombie counts as ended:
// in a container nobody may reap an orphaned child).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	if runtime.GOOS == "linux" {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return true
		}
		if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) && b[i+2] == 'Z' {
			return true
		}
	}
	return false
}

// assertGone fails unless every pid ends within two seconds.
func assertGone(t *testing.T, what string, pids ...int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for _, pid := range pids {
		for !gone(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: process %d still running", what, pid)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// assertAlive fails if any pid has ended.
func assertAlive(t *testing.T, what string, pids ...int) {
	t.Helper()
	for _, pid := range pids {
		if gone(pid) {
			t.Fatalf("%s: process %d ended", what, pid)
		}
	}
}

// argAfter returns the argument following flag.
func argAfter(args []string, flag string) string {
	i := slices.Index(args, flag)
	if i < 0 || i+1 >= len(args) {
		return ""
	}
	return args[i+1]
}

func TestSayPassesTextOnStdinWithVoice(t *testing.T) {
	cases := []struct {
		lang, voice, text string
	}{
		{"en", "en-us", `-v "quoted" <speak> $HOME ` + "`id`; rm -rf /\nSecond line."},
		{"en-US", "en-us", "Over the last 2 weeks, how often have you been bothered?"},
		{"es", "es-419", "¿Con qué frecuencia? Señor: “poco interés” — ñandú."},
		{"es_MX", "es-419", "-x Más de la mitad de los días"},
	}
	f := newFakeEngine(t, voicesWith419)
	sp := f.open(t)
	for i, c := range cases {
		start := time.Now()
		if err := sp.Say(context.Background(), c.text, c.lang); err != nil {
			t.Fatalf("Say(%q): %v", c.lang, err)
		}
		if d := time.Since(start); d > 300*time.Millisecond {
			t.Errorf("Say(%q) took %v; it must return at once", c.lang, d)
		}
		pid := f.waitStarted(t, i+1)[i]
		args, stdin, _ := f.run(t, pid)
		if stdin != c.text {
			t.Errorf("%s: stdin = %q, want %q", c.lang, stdin, c.text)
		}
		if got := argAfter(args, "-v"); got != c.voice {
			t.Errorf("%s: voice %q, want %q (args %q)", c.lang, got, c.voice, args)
		}
		if got := argAfter(args, "-s"); got != "150" {
			t.Errorf("%s: rate %q, want 150", c.lang, got)
		}
		if !slices.Contains(args, "--stdin") || argAfter(args, "-b") != "1" {
			t.Errorf("%s: args %q lack --stdin or -b 1", c.lang, args)
		}
		for _, a := range args {
			if strings.Contains(c.text, a) && len(a) > 3 {
				t.Errorf("%s: text leaked into argument %q", c.lang, a)
			}
		}
	}
}

func TestSpanishFallsBackToEs(t *testing.T) {
	f := newFakeEngine(t, voicesWithout419)
	sp := f.open(t)
	if err := sp.Say(context.Background(), "Hola", "es"); err != nil {
		t.Fatal(err)
	}
	args, _, _ := f.run(t, f.waitStarted(t, 1)[0])
	if got := argAfter(args, "-v"); got != "es" {
		t.Errorf("voice %q, want es when es-419 is not installed", got)
	}
}

func TestRate(t *testing.T) {
	f := newFakeEngine(t, voicesWith419)
	sp, err := Espeak{Command: f.path, Rate: 120}.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Stop()
	if err := sp.Say(context.Background(), "Hello", "en"); err != nil {
		t.Fatal(err)
	}
	args, _, _ := f.run(t, f.waitStarted(t, 1)[0])
	if got := argAfter(args, "-s"); got != "120" {
		t.Errorf("rate %q, want 120", got)
	}
	if _, err := (Espeak{Command: f.path, Rate: 10}).Open(); err == nil {
		t.Error("Open with rate 10 succeeded")
	}
}

func TestSecondSayKillsFirst(t *testing.T) {
	f := newFakeEngine(t, voicesWith419)
	sp := f.open(t)
	if err := sp.Say(context.Background(), "first", "en"); err != nil {
		t.Fatal(err)
	}
	first := f.waitStarted(t, 1)[0]
	_, _, firstChild := f.run(t, first)
	assertAlive(t, "first before second Say", first, firstChild)
	if err := sp.Say(context.Background(), "second", "es"); err != nil {
		t.Fatal(err)
	}
	// The first run must be gone as soon as the second Say returns (the
	// orphaned child only needs its SIGKILL delivered).
	if !gone(first) {
		t.Errorf("first engine process %d still running when the second Say returned", first)
	}
	assertGone(t, "first after second Say", first, firstChild)
	second := f.waitStarted(t, 2)[1]
	_, stdin, secondChild := f.run(t, second)
	if stdin != "second" {
		t.Errorf("second run read %q", stdin)
	}
	assertAlive(t, "second", second, secondChild)
}

func TestStopKills(t *testing.T) {
	f := newFakeEngine(t, voicesWith419)
	sp := f.open(t)
	sp.Stop() // nothing playing: a no-op
	if err := sp.Say(context.Background(), "Hello", "en"); err != nil {
		t.Fatal(err)
	}
	pid := f.waitStarted(t, 1)[0]
	_, _, child := f.run(t, pid)
	sp.Stop()
	if !gone(pid) {
		t.Errorf("engine process %d still running when Stop returned", pid)
	}
	assertGone(t, "after Stop", pid, child)
	sp.Stop() // again: still a no-op
}

func TestBlankTextOnlyStops(t *testing.T) {
	f := newFakeEngine(t, voicesWith419)
	sp := f.open(t)
	if err := sp.Say(context.Background(), "Hello", "en"); err != nil {
		t.Fatal(err)
	}
	pid := f.waitStarted(t, 1)[0]
	if err := sp.Say(context.Background(), " \n", "en"); err != nil {
		t.Fatal(err)
	}
	assertGone(t, "after blank Say", pid)
	// Say runs in order: had the blank Say started the engine, its run
	// would come before this one's
	if err := sp.Say(context.Background(), "World", "en"); err != nil {
		t.Fatal(err)
	}
	pids := f.waitStarted(t, 2)
	if _, stdin, _ := f.run(t, pids[1]); len(pids) != 2 || stdin != "World" {
		t.Errorf("blank Say started the engine: runs %v, the second read %q", pids, stdin)
	}
}

func TestContextCancelKills(t *testing.T) {
	f := newFakeEngine(t, voicesWith419)
	sp := f.open(t)
	ctx, cancel := context.WithCancel(context.Background())
	if err := sp.Say(ctx, "Hello", "en"); err != nil {
		t.Fatal(err)
	}
	pid := f.waitStarted(t, 1)[0]
	_, _, child := f.run(t, pid)
	assertAlive(t, "before cancel", pid, child)
	cancel()
	assertGone(t, "after cancel", pid, child)

	// A context that has already ended starts nothing.
	if err := sp.Say(ctx, "Hello", "en"); !errors.Is(err, context.Canceled) {
		t.Errorf("Say with an ended context: %v, want context.Canceled", err)
	}
}

func TestCancelOfOldSayLeavesNewOne(t *testing.T) {
	f := newFakeEngine(t, voicesWith419)
	sp := f.open(t)
	ctx, cancel := context.WithCancel(context.Background())
	if err := sp.Say(ctx, "first", "en"); err != nil {
		t.Fatal(err)
	}
	f.waitStarted(t, 1)
	first := sp.(*espeakSpeaker).player.cur
	if err := sp.Say(context.Background(), "second", "en"); err != nil {
		t.Fatal(err)
	}
	second := f.waitStarted(t, 2)[1]
	// the first run was reaped before the second started: its context
	// watcher ended with its Wait, so nothing is left to act on cancel
	select {
	case <-first.done:
	default:
		t.Fatal("the first run was not reaped before the second started")
	}
	cancel()
	assertAlive(t, "second after first's context ended", second)
}

func TestUnsupportedLanguage(t *testing.T) {
	f := newFakeEngine(t, voicesWith419)
	sp := f.open(t)
	if err := sp.Say(context.Background(), "Bonjour", "fr"); !errors.Is(err, ErrUnsupportedLanguage) {
		t.Errorf("Say(fr): %v, want ErrUnsupportedLanguage", err)
	}
}

func TestNoEngine(t *testing.T) {
	notFound := func(file string) (string, error) {
		return "", &exec.Error{Name: file, Err: exec.ErrNotFound}
	}
	_, err := Espeak{LookPath: notFound}.Open()
	if !errors.Is(err, ErrNoEngine) || !errors.Is(err, exec.ErrNotFound) {
		t.Errorf("Open with no engine: %v, want ErrNoEngine wrapping exec.ErrNotFound", err)
	}
	if _, err := (Espeak{Command: filepath.Join(t.TempDir(), "espeak-ng")}).Open(); !errors.Is(err, ErrNoEngine) {
		t.Errorf("Open of a missing path: %v, want ErrNoEngine", err)
	}
	if err := (Espeak{LookPath: notFound}).WriteWAV(context.Background(), "Hi", "en", filepath.Join(t.TempDir(), "a.wav")); !errors.Is(err, ErrNoEngine) {
		t.Errorf("WriteWAV with no engine: %v, want ErrNoEngine", err)
	}
	if runtime.GOOS != "darwin" {
		t.Setenv("PATH", t.TempDir())
		if sp, err := New(); !errors.Is(err, ErrNoEngine) || sp != nil {
			t.Errorf("New with espeak-ng off PATH: %v, %v; want nil, ErrNoEngine", sp, err)
		}
	}
}

func TestLookPathIsUsed(t *testing.T) {
	f := newFakeEngine(t, voicesWith419)
	var asked string
	sp, err := Espeak{LookPath: func(file string) (string, error) {
		asked = file
		return f.path, nil
	}}.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Stop()
	if asked != DefaultEspeakCommand {
		t.Errorf("looked up %q, want %q", asked, DefaultEspeakCommand)
	}
	if err := sp.Say(context.Background(), "Hi", "en"); err != nil {
		t.Fatal(err)
	}
	f.waitStarted(t, 1)
}

func TestPickMacVoices(t *testing.T) {
	list := `Alex                en_US    # Most people recognize me by my voice.
Eddy (Spanish (Mexico)) es_MX    # ¡Hola! Me llamo Eddy.
Mónica              es_ES    # Hola, me llamo Mónica y soy una voz española.
Paulina             es_MX    # Hola, me llamo Paulina y soy una voz mexicana.
Samantha            en_US    # Hello, my name is Samantha. I am an American-English voice.
`
	got := pickMacVoices(parseMacVoices([]byte(list)))
	if got["en"] != "Samantha" || got["es"] != "Paulina" {
		t.Errorf("picked %v, want Samantha and Paulina", got)
	}
	got = pickMacVoices(parseMacVoices([]byte("Alex                en_US    # Hi\nEddy (Spanish (Mexico)) es_MX    # Hola\nJorge es_ES # Hola\n")))
	if got["en"] != "Alex" || got["es"] != "Eddy (Spanish (Mexico))" {
		t.Errorf("fallback picked %v, want Alex and Eddy (Spanish (Mexico))", got)
	}
	got = pickMacVoices(parseMacVoices([]byte("Alex en_US # Hi\n")))
	if _, ok := got["es"]; ok {
		t.Errorf("picked a Spanish voice from an English-only list: %v", got)
	}
}

// wavAudio is what readWAV finds in a WAV file.
type wavAudio struct {
	channels, rate, bits int
	data                 []byte
}

// readWAV parses a RIFF/WAVE file's fmt and data chunks. espeak-ng writes
// 0x7fffffff-ish sizes when it cannot seek, so a data chunk may claim more
// than the file has; the bytes present are what count.
func readWAV(b []byte) (wavAudio, error) {
	var w wavAudio
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return w, errors.New("not a RIFF/WAVE file")
	}
	le := binary.LittleEndian
	fmtSeen := false
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(le.Uint32(b[p+4:p+8]))
		body := b[p+8:]
		if size < len(body) {
			body = body[:size]
		}
		switch id {
		case "fmt ":
			if len(body) < 16 {
				return w, errors.New("short fmt chunk")
			}
			if tag := le.Uint16(body[0:2]); tag != 1 {
				return w, fmt.Errorf("format tag %d, want 1 (PCM)", tag)
			}
			w.channels = int(le.Uint16(body[2:4]))
			w.rate = int(le.Uint32(body[4:8]))
			w.bits = int(le.Uint16(body[14:16]))
			fmtSeen = true
		case "data":
			if !fmtSeen {
				return w, errors.New("data chunk before fmt chunk")
			}
			w.data = body
			return w, nil
		}
		p += 8 + size + size%2
	}
	return w, errors.New("no data chunk")
}

// realEspeak returns espeak-ng's path, or skips the test when it is not
// installed.
func realEspeak(tb testing.TB) string {
	tb.Helper()
	return testtool.Need(tb, DefaultEspeakCommand, "Debian: apt-get install espeak-ng")
}

func TestEspeakWritesAudio(t *testing.T) {
	realEspeak(t)
	texts := map[string]string{
		"en": "Over the last two weeks, how often have you felt down, depressed, or hopeless?",
		"es": "Durante las últimas dos semanas, ¿con qué frecuencia se ha sentido decaído, deprimido o sin esperanzas?",
	}
	for _, lang := range []string{"en", "es"} {
		t.Run(lang, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), lang+".wav")
			start := time.Now()
			if err := (Espeak{}).WriteWAV(context.Background(), texts[lang], lang, path); err != nil {
				t.Fatal(err)
			}
			t.Logf("espeak-ng -w wrote %q in %v", lang, time.Since(start))
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			w, err := readWAV(b)
			if err != nil {
				t.Fatal(err)
			}
			if w.bits != 16 || w.channels != 1 || w.rate < 8000 {
				t.Errorf("format %d channels, %d Hz, %d bits; want mono 16-bit", w.channels, w.rate, w.bits)
			}
			if len(w.data) <= 8000 {
				t.Fatalf("data chunk %d bytes, want more than 8000", len(w.data))
			}
			var peak, nonzero int
			for i := 0; i+1 < len(w.data); i += 2 {
				s := int(int16(binary.LittleEndian.Uint16(w.data[i:])))
				if s != 0 {
					nonzero++
				}
				peak = max(peak, s, -s)
			}
			secs := float64(len(w.data)) / float64(w.rate*2)
			t.Logf("%s: %.1f s of audio, %d of %d samples non-zero, peak %d", lang, secs, nonzero, len(w.data)/2, peak)
			if nonzero == 0 {
				t.Fatal("every sample is zero")
			}
			if peak < 1000 {
				t.Errorf("peak amplitude %d: that is silence, not speech", peak)
			}
			if secs < 2 {
				t.Errorf("%.1f s of audio for a long sentence", secs)
			}
		})
	}
}

// BenchmarkSayStart measures Say with the real espeak-ng: killing the
// previous run and starting the process (Say returns once the program has
// been exec'd). It can briefly click on a machine with a sound device.
func BenchmarkSayStart(b *testing.B) {
	realEspeak(b)
	sp, err := New()
	if err != nil {
		b.Fatal(err)
	}
	defer sp.Stop()
	ctx := context.Background()
	for b.Loop() {
		if err := sp.Say(ctx, "Yes.", "en"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteWAV measures `espeak-ng -w` writing a short sentence (it
// includes the `--voices=es` look-up WriteWAV does each time).
func BenchmarkWriteWAV(b *testing.B) {
	realEspeak(b)
	path := filepath.Join(b.TempDir(), "a.wav")
	for b.Loop() {
		if err := (Espeak{}).WriteWAV(context.Background(), "How are you feeling today?", "en", path); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstAudio measures the time from starting espeak-ng to its
// first non-silent audio samples on standard output (--stdout), the part
// of tap-to-sound latency that does not depend on the sound device.
func BenchmarkFirstAudio(b *testing.B) {
	path := realEspeak(b)
	for b.Loop() {
		cmd := exec.Command(path, append(espeakArgs("en-us", DefaultEspeakRate), "--stdout")...)
		cmd.Stdin = strings.NewReader("How are you feeling today?")
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		if err := firstSound(out); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_, _ = io.Copy(io.Discard, out)
		_ = cmd.Wait()
		b.StartTimer()
	}
}

// firstSound reads a WAV stream until a 16-bit sample past the 44-byte
// header is clearly not silence.
func firstSound(r io.Reader) error {
	br := bufio.NewReader(r)
	if _, err := io.CopyN(io.Discard, br, 44); err != nil {
		return fmt.Errorf("WAV header: %w", err)
	}
	var sample [2]byte
	for n := 0; ; n++ {
		if _, err := io.ReadFull(br, sample[:]); err != nil {
			return fmt.Errorf("no sound in %d samples: %w", n, err)
		}
		if s := int16(binary.LittleEndian.Uint16(sample[:])); s > 500 || s < -500 {
			return nil
		}
	}
}
