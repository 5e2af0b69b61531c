//go:build kioskbench

package main

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"intakekiosk/ui"
)

// soak plays n complete sessions through the real window, one tap every
// 20 ms, and logs the process's memory (PSS) after every 10, then quits.
// It measures the kiosk the way a clinic runs it: for weeks, session after
// session.
func soak(k *ui.Kiosk, n int, log *slog.Logger, quit func()) {
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
				logMemory(log, done)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if path := os.Getenv("KIOSK_HEAP_PROFILE"); path != "" {
		if err := writeHeapProfile(path); err != nil {
			log.Error("no heap profile", "err", err)
		}
	}
	fyne.Do(quit)
}

// writeHeapProfile writes the heap's profile after a collection to path
// (KIOSK_HEAP_PROFILE: where the soak's memory goes).
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("heap profile %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("heap profile %s: %w", path, err)
	}
	return nil
}

// logMemory logs PSS and the Go heap in use.
func logMemory(log *slog.Logger, sessions int) {
	pss, err := pssKB()
	if err != nil {
		log.Warn("cannot read memory", "err", err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	log.Info("soak", "sessions", sessions, "pss_kb", pss, "heap_inuse_kb", ms.HeapInuse/1024)
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
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("smaps_rollup: %w", err)
	}
	return 0, errors.New("no Pss line in smaps_rollup")
}
