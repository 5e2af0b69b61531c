package main

import (
	"bufio"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"intakekiosk/ui"
)

// soak plays n complete sessions through the real window, one tap every
// 20 ms, and logs the process's memory (PSS) after every 10, then quits.
// It measures the kiosk the way a clinic runs it: for weeks, session after
// session.
func soak(k *ui.Kiosk, _ fyne.Window, n int, log *slog.Logger, quit func()) {
	time.Sleep(time.Second) // let the window map
	done := 0
	for done < n {
		var screen string
		fyne.DoAndWait(func() {
			k.AutoTap()
			screen = k.Screen()
		})
		if screen == ui.ScreenWelcome {
			done++
			if done%10 == 0 || done == 1 {
				pss, err := pssKB()
				if err != nil {
					log.Warn("cannot read memory", "err", err)
				}
				log.Info("soak", "sessions", done, "pss_kb", pss)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	fyne.Do(quit)
}

// pssKB reads this process's proportional set size (Linux).
func pssKB() (int, error) {
	f, err := os.Open("/proc/self/smaps_rollup")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "Pss:"); ok {
			var kb int
			_, err := fmt.Sscan(rest, &kb)
			return kb, err
		}
	}
	return 0, fmt.Errorf("no Pss line in smaps_rollup")
}
