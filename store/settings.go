package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"intakekiosk/screening"
)

// SettingDef describes one setting: its key, default and what it means.
type SettingDef struct {
	Key     string
	Default string
	Help    string
	check   func(string) error
	secret  bool // its value stays out of the audit log
}

var pinPattern = regexp.MustCompile(`^[0-9]{4,8}$`)

func seconds(lo, hi int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be a whole number of seconds from %d to %d", lo, hi)
		}
		return nil
	}
}

func text(max int) func(string) error {
	return func(v string) error {
		if !utf8.ValidString(v) || utf8.RuneCountInString(v) > max || strings.ContainsAny(v, "\n\r\t") {
			return fmt.Errorf("must be one line of at most %d characters", max)
		}
		return nil
	}
}

// SettingDefs lists every setting, in the order they are shown.
func SettingDefs() []SettingDef { return slices.Clone(settingDefs) }

var settingDefs = []SettingDef{
	{"clinic_name", "Intake Kiosk", "clinic name shown on the welcome screen", text(60), false},
	{"site_name", "", "this site's name (a satellite clinic)", text(60), false},
	{"idle_seconds", "60", "seconds without a touch before \"Are you still there?\"", seconds(10, 3600), false},
	{"idle_countdown_seconds", "30", "seconds the \"Are you still there?\" countdown runs before the kiosk resets", seconds(5, 600), false},
	{"finish_seconds", "20", "seconds the thank-you screen stays before the welcome screen returns", seconds(3, 600), false},
	{"exit_pin", "", "4 to 8 digits that close a full-screen kiosk after a long press on the corner logo", func(v string) error {
		if v != "" && !pinPattern.MatchString(v) {
			return errors.New("must be 4 to 8 digits")
		}
		return nil
	}, true},
	{"retention_days", "0", "days a session is kept before the kiosk deletes it (checked daily; 0 keeps everything)", func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 36500 {
			return errors.New("must be a whole number of days from 0 (keep everything) to 36500")
		}
		return nil
	}, false},
	{"enabled_instruments", "", "comma-separated instrument ids to ask (empty: all)", func(v string) error {
		for _, id := range splitList(v) {
			if !screening.IsID(id) {
				return fmt.Errorf("%q is not an instrument id", id)
			}
		}
		return nil
	}, false},
}

// ErrUnknownSetting: no setting has that key.
var ErrUnknownSetting = errors.New("unknown setting")

func settingDef(key string) (SettingDef, error) {
	i := slices.IndexFunc(settingDefs, func(d SettingDef) bool { return d.Key == key })
	if i < 0 {
		return SettingDef{}, fmt.Errorf("%w %q", ErrUnknownSetting, key)
	}
	return settingDefs[i], nil
}

// Setting returns a setting's value, or its default when it was never set.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	def, err := settingDef(key)
	if err != nil {
		return "", err
	}
	var v string
	err = s.db.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return def.Default, nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, classify(err))
	}
	return v, nil
}

// SetSetting checks and stores a setting, and records the change in the
// audit log as made by by (the exit PIN's value is not logged).
func (s *Store) SetSetting(ctx context.Context, key, value, by string, at time.Time) error {
	def, err := settingDef(key)
	if err != nil {
		return err
	}
	if err := def.check(value); err != nil {
		return fmt.Errorf("setting %s: %w", key, err)
	}
	logged := value
	if def.secret {
		logged = "(changed)"
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value); err != nil {
			return err
		}
		return appendAudit(ctx, tx, Entry{At: at, Actor: by, Action: ActSetting, Target: key, Detail: logged})
	})
	if err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return nil
}

// Settings is the kiosk's configuration, read once at start.
type Settings struct {
	ClinicName    string
	SiteName      string
	Idle          time.Duration
	IdleCountdown time.Duration
	Finish        time.Duration
	ExitPIN       string
	// Enabled lists the instrument ids to ask; nil means all.
	Enabled []string
	// Retention is how long sessions are kept; 0 keeps them.
	Retention time.Duration
}

// Settings reads every setting.
func (s *Store) Settings(ctx context.Context) (Settings, error) {
	v := map[string]string{}
	for _, d := range settingDefs {
		val, err := s.Setting(ctx, d.Key)
		if err != nil {
			return Settings{}, err
		}
		if d.check(val) != nil {
			val = d.Default // a value written by hand outside the program
		}
		v[d.Key] = val
	}
	secs := func(k string) time.Duration {
		n, _ := strconv.Atoi(v[k])
		return time.Duration(n) * time.Second
	}
	return Settings{
		ClinicName:    v["clinic_name"],
		SiteName:      v["site_name"],
		Idle:          secs("idle_seconds"),
		IdleCountdown: secs("idle_countdown_seconds"),
		Finish:        secs("finish_seconds"),
		ExitPIN:       v["exit_pin"],
		Enabled:       splitList(v["enabled_instruments"]),
		Retention:     time.Duration(atoi(v["retention_days"])) * 24 * time.Hour,
	}, nil
}

func atoi(v string) int {
	n, _ := strconv.Atoi(v)
	return n
}

func splitList(v string) []string {
	var out []string
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
