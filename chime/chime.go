// Package chime calls staff with a sound: a short rising chime played
// through the system's audio player (aplay, paplay, or a command the
// clinic names). Fyne has no audio; a kiosk without a player says so and
// calls staff by the screen alone.
package chime

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os/exec"
	"strings"
	"time"

	"intakekiosk/fault"
)

// Errors of a chime that cannot play.
var (
	// ErrOff: the clinic turned the sound off (the alert_sound setting).
	ErrOff error = fault.E(fault.Unavailable, "chime: the sound is off")
	// ErrNoPlayer: no audio player is installed.
	ErrNoPlayer error = fault.E(fault.Unavailable, "chime: no audio player (aplay or paplay) installed")
)

// Auto and Off are the alert_sound setting's words besides a command.
const (
	Auto = "auto"
	Off  = "off"
)

// players are the commands Find tries, in order: each reads a WAV file on
// its standard input.
var players = [][]string{{"aplay", "-q"}, {"paplay"}}

// Player plays the chime through a command that reads a WAV file on its
// standard input.
type Player struct {
	Command []string
}

// Find gives the player the alert_sound setting names: "auto" (or empty)
// the first of aplay and paplay installed, "off" none (ErrOff), else the
// command line given (its first word found on the PATH).
func Find(setting string, lookPath func(string) (string, error)) (Player, error) {
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	setting = strings.TrimSpace(setting)
	switch strings.ToLower(setting) {
	case Off:
		return Player{}, ErrOff
	case "", Auto:
		for _, p := range players {
			if _, err := lookPath(p[0]); err == nil {
				return Player{Command: p}, nil
			}
		}
		return Player{}, ErrNoPlayer
	}
	cmd := strings.Fields(setting)
	if _, err := lookPath(cmd[0]); err != nil {
		return Player{}, fmt.Errorf("%w: %s: %w", ErrNoPlayer, cmd[0], err)
	}
	return Player{Command: cmd}, nil
}

// Play plays the chime and returns when it has played (or ctx ended).
func (p Player) Play(ctx context.Context) error {
	if len(p.Command) == 0 {
		return ErrNoPlayer
	}
	cmd := exec.CommandContext(ctx, p.Command[0], p.Command[1:]...)
	cmd.Stdin = bytes.NewReader(Sound())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 200 {
			msg = msg[:200]
		}
		return &fault.Error{Op: "chime", Kind: fault.Unavailable, Err: fmt.Errorf("%s: %w (%s)", p.Command[0], err, msg)}
	}
	return nil
}

// Sound is the chime as a WAV file: three rising tones (A5, C#6, E6), a
// fifth of a second each with soft edges, 16-bit mono at 22.05 kHz.
func Sound() []byte {
	const rate = 22050
	tone := 200 * time.Millisecond
	gap := 60 * time.Millisecond
	var samples []int16
	for _, f := range []float64{880, 1108.73, 1318.51} {
		n := int(tone.Seconds() * rate)
		for i := range n {
			// a raised-cosine envelope: no click at either end
			env := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n-1))
			samples = append(samples, int16(0.6*env*math.MaxInt16*math.Sin(2*math.Pi*f*float64(i)/rate)))
		}
		samples = append(samples, make([]int16, int(gap.Seconds()*rate))...)
	}
	var b bytes.Buffer
	data := uint32(2 * len(samples))
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, 36+data)
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(2 * rate), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, data)
	binary.Write(&b, binary.LittleEndian, samples)
	return b.Bytes()
}
