package chime

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"intakekiosk/fault"
)

func TestFind(t *testing.T) {
	only := func(names ...string) func(string) (string, error) {
		return func(n string) (string, error) {
			for _, m := range names {
				if m == n {
					return "/usr/bin/" + n, nil
				}
			}
			return "", exec.ErrNotFound
		}
	}
	tests := []struct {
		setting string
		have    []string
		want    []string
		err     error
	}{
		{"auto", []string{"aplay", "paplay"}, []string{"aplay", "-q"}, nil},
		{"", []string{"paplay"}, []string{"paplay"}, nil},
		{"AUTO", nil, nil, ErrNoPlayer},
		{"off", []string{"aplay"}, nil, ErrOff},
		{" Off ", []string{"aplay"}, nil, ErrOff},
		{"pw-play --volume 1.0 -", []string{"pw-play"}, []string{"pw-play", "--volume", "1.0", "-"}, nil},
		{"pw-play -", nil, nil, ErrNoPlayer},
	}
	for _, tt := range tests {
		p, err := Find(tt.setting, only(tt.have...))
		if !errors.Is(err, tt.err) || len(p.Command) != len(tt.want) {
			t.Errorf("Find(%q) = %v, %v; want %v, %v", tt.setting, p.Command, err, tt.want, tt.err)
			continue
		}
		for i := range tt.want {
			if p.Command[i] != tt.want[i] {
				t.Errorf("Find(%q) = %v, want %v", tt.setting, p.Command, tt.want)
			}
		}
		if err != nil && !fault.Is(fault.Unavailable, err) {
			t.Errorf("Find(%q): %v is not Unavailable", tt.setting, err)
		}
	}
}

// The chime is a real WAV file, handed whole to the player on its
// standard input; a player that fails says so.
func TestPlay(t *testing.T) {
	out := filepath.Join(t.TempDir(), "played.wav")
	p := Player{Command: []string{"sh", "-c", "cat > " + out}}
	if err := p.Play(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil || !bytes.Equal(got, Sound()) {
		t.Fatalf("the player got %d bytes, %v; want the chime's %d", len(got), err, len(Sound()))
	}
	w := Sound()
	if string(w[:4]) != "RIFF" || string(w[8:16]) != "WAVEfmt " || string(w[36:40]) != "data" || len(w) < 20000 {
		t.Errorf("not a WAV file: % x…", w[:44])
	}
	bad := Player{Command: []string{"sh", "-c", "echo no sound card >&2; exit 3"}}
	if err := bad.Play(context.Background()); !fault.Is(fault.Unavailable, err) || !bytes.Contains([]byte(err.Error()), []byte("no sound card")) {
		t.Errorf("a failing player: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	slow := Player{Command: []string{"sleep", "5"}}
	if err := slow.Play(ctx); err == nil || time.Since(start) > 2*time.Second {
		t.Errorf("a player that hangs: %v after %v", err, time.Since(start))
	}
}
