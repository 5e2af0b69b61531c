package sqlite

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// DefaultPath is where the kiosk keeps its database when no --db is given:
// intake-kiosk/kiosk.db under the user's data folder ($XDG_DATA_HOME or
// ~/.local/share on Linux, %AppData% on Windows, ~/Library/Application
// Support on macOS).
func DefaultPath() (string, error) {
	var base string
	switch runtime.GOOS {
	case "windows", "darwin":
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("no data folder: %w", err)
		}
		base = dir
	default:
		if dir := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
			base = dir
		} else {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("no data folder: %w", err)
			}
			base = filepath.Join(home, ".local", "share")
		}
	}
	return filepath.Join(base, "intake-kiosk", "kiosk.db"), nil
}

// InstrumentDir is the folder beside the database where a clinic puts its
// own instrument files.
func InstrumentDir(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "instruments")
}

// ConsentDir is the folder beside the database where a clinic puts its
// own consent forms, a file per form, version and language.
func ConsentDir(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "consents")
}

// TakeHomeDir is the folder beside the database where a clinic puts its
// own take-home sheet, a file per version and language
// (takehome.LANG.json).
func TakeHomeDir(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "takehome")
}
