//go:build kioskbench

// The benchmark tooling of the bench binary (go build -tags
// no_emoji,kioskbench -o bin/kiosk-bench ./cmd/kiosk; scripts/window-bench.sh
// measures with it): a frame probe in the kiosk's window, a bare Fyne
// window to compare with (--baseline-window) and the soak (--soak N, in
// soak.go). The product binary is built without the tag and carries none
// of it.

package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"intakekiosk/ui"
)

func init() { benchFlags = addBenchFlags }

// addBenchFlags adds --baseline-window and --soak to fl and returns what
// reads them into a bench: the bare window, or the kiosk with a frame
// probe (and the soak when asked for).
func addBenchFlags(fl *flag.FlagSet) func(options) (*bench, error) {
	bare := fl.Bool("baseline-window", false, "show a bare Fyne window and log its first frame (start-up benchmark)")
	sessions := fl.Int("soak", 0, "drive N complete sessions through the real window, logging memory (benchmark)")
	return func(o options) (*bench, error) {
		if *sessions > 0 && !o.demo {
			return nil, errors.New("--soak plays synthetic sessions: it runs only with --demo")
		}
		if *bare {
			return &bench{window: baseline}, nil
		}
		n := *sessions
		return &bench{kiosk: func(a fyne.App, w fyne.Window, cfg *ui.Config, start time.Time, log *slog.Logger) func(*ui.Kiosk) {
			probe := newFrameProbe(log, start)
			cfg.OnScreen = probe.screenChanged
			return func(k *ui.Kiosk) {
				w.SetContent(container.NewStack(w.Content(), container.NewWithoutLayout(probe.raster)))
				probe.touched = k.LastTouch
				if n > 0 {
					k.NoTapGuard() // the soak taps every 20 ms, faster than a person
					go soak(k, n, log, a.Quit)
				}
			}
		}}, nil
	}
}

// frameProbe logs when frames are painted: the first one after start, and
// the first one after each screen change (time from the tap). A 1x1
// transparent raster's generator runs when the painter draws it.
type frameProbe struct {
	raster  *canvas.Raster
	start   time.Time
	log     *slog.Logger
	first   bool
	pending bool
	screen  string
	touched func() time.Time
}

// newFrameProbe makes a probe that logs to log, timing the first frame from
// start.
func newFrameProbe(log *slog.Logger, start time.Time) *frameProbe {
	p := &frameProbe{start: start, log: log}
	p.raster = canvas.NewRaster(func(w, h int) image.Image {
		now := time.Now()
		if !p.first {
			p.first = true
			p.log.Info("first frame painted", "since_start_ms", ms(now.Sub(p.start)), "unix_ms", now.UnixMilli())
		} else if p.pending && p.touched != nil {
			p.log.Info("screen painted", "screen", p.screen, "since_tap_ms", ms(now.Sub(p.touched())))
		}
		p.pending = false
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	})
	p.raster.Resize(fyne.NewSize(1, 1))
	return p
}

// screenChanged notes a new screen: the next frame painted is timed from
// the tap.
func (p *frameProbe) screenChanged(name string) {
	p.pending, p.screen = true, name
	p.raster.Refresh()
}

// ms formats d in milliseconds.
func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

// baseline shows a bare Fyne window with a label, for comparing start-up
// time on the same machine.
func baseline(a fyne.App, start time.Time, log *slog.Logger) error {
	w := a.NewWindow("baseline")
	p := newFrameProbe(log, start)
	w.SetContent(container.NewStack(widget.NewLabel("bare Fyne window"), container.NewWithoutLayout(p.raster)))
	w.Resize(fyne.NewSize(1280, 800))
	w.ShowAndRun()
	return nil
}
