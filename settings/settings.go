// Package settings is the kiosk's configuration without storage: every
// setting's key, default, meaning and check (Defs), and the typed
// Settings the kiosk runs with, made from stored values (From). The
// store keeps the values; this package says what they may be.
package settings

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	// the zone names are checked and loaded from the Go binary's own copy
	// of the IANA database where the system has none (Windows, a slim
	// image): a name kioskctl accepts is one the kiosk loads
	_ "time/tzdata"

	"intakekiosk/fault"
	"intakekiosk/screening"
)

// Def is one setting: its key, its default and what it means (Help,
// the staff's English, shown by the settings screen and kioskctl).
type Def struct {
	Key     string
	Default string
	Help    string
	check   func(string) error
}

// Local says whether the setting is a node's own (its name as a site,
// its printer, how it sounds an alert), which the clinic network does not
// carry to the other kiosks and desks; the others are the clinic's.
func (d Def) Local() bool {
	switch d.Key {
	case "site_name", "printer", "alert_sound":
		return true
	}
	return false
}

// Check says whether v is a value the setting takes: nil, or an Invalid
// error naming the setting and why (Reason).
func (d Def) Check(v string) error {
	if err := d.check(v); err != nil {
		return &fault.Error{Op: "setting", Field: d.Key, Kind: fault.Invalid, Err: err}
	}
	return nil
}

// seconds checks a whole number of seconds from lo to hi.
func seconds(lo, hi int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be a whole number of seconds from %d to %d", lo, hi)
		}
		return nil
	}
}

// text checks one line of at most max characters.
func text(max int) func(string) error {
	return func(v string) error {
		if !utf8.ValidString(v) || utf8.RuneCountInString(v) > max || strings.ContainsAny(v, "\n\r\t") {
			return fmt.Errorf("must be one line of at most %d characters", max)
		}
		return nil
	}
}

// printerName checks a CUPS queue name: up to 127 printable characters,
// no spaces, slashes or '#' (CUPS refuses those).
func printerName(v string) error {
	if len(v) > 127 || strings.ContainsAny(v, " /#\t\n\\") || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return errors.New("must be a print queue name (no spaces, slashes or #), or empty for the default printer")
	}
	return nil
}

// onOff checks an on/off setting.
func onOff(v string) error {
	if v != "on" && v != "off" {
		return errors.New("must be on or off")
	}
	return nil
}

// zone checks a time zone: an IANA name (America/New_York), or "" or
// "local" for the system's.
func zone(v string) error {
	if _, err := location(v); err != nil {
		return errors.New("must be a time zone name such as America/New_York, or empty for the system's")
	}
	return nil
}

// location is the time zone v names; "" and "local" are the system's.
func location(v string) (*time.Location, error) {
	if v == "" || strings.EqualFold(v, "local") {
		return time.Local, nil
	}
	return time.LoadLocation(v)
}

// Defs lists every setting, in the order they are shown.
func Defs() []Def { return slices.Clone(defs) }

var defs = []Def{
	{"clinic_name", "Intake Kiosk", "clinic name shown on the welcome screen", text(60)},
	{"site_name", "", "this site's name (a satellite clinic)", text(60)},
	{"idle_seconds", "60", "seconds without a touch before \"Are you still there?\"", seconds(10, 3600)},
	{"idle_countdown_seconds", "30", "seconds the \"Are you still there?\" countdown runs before the kiosk resets", seconds(5, 600)},
	{"finish_seconds", "20", "seconds the thank-you screen stays before the welcome screen returns", seconds(3, 600)},
	{"staff_lock_seconds", "120", "seconds without a touch before staff mode locks itself", seconds(30, 3600)},
	{"printer", "", "the print queue summaries go to (empty: the system's default printer)", printerName},
	{"read_aloud", "off", "read every patient screen aloud by itself (on/off; the speaker button reads on demand)", onOff},
	{"retention_days", "0", "days a session is kept before the kiosk deletes it (checked daily; 0 keeps everything)", func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 36500 {
			return errors.New("must be a whole number of days from 0 (keep everything) to 36500")
		}
		return nil
	}},
	{"enabled_instruments", "", "comma-separated instrument ids to ask (empty: all)", func(v string) error {
		for _, id := range splitList(v) {
			if !screening.IsID(id) {
				return fmt.Errorf("must be instrument ids separated by commas (%q is not one)", id)
			}
		}
		return nil
	}},
	{"time_zone", "", "the clinic's time zone, for dates and check-in days (such as America/New_York; empty: the system's)", zone},
	{"alert_sound", "auto", "how the kiosk calls staff when a patient needs help: auto (aplay or paplay, whichever is installed), off, or a player command that reads a WAV file on its input", alertSound},
	{"induction_cows_min", "8", "the clinic's induction threshold on the COWS total, shown beside the latest COWS as met or not met (1-48)", whole(1, 48, "a COWS total")},
	{"induction_hours_min", "12", "the clinic's induction threshold on hours since the last reported dose, shown beside them as met or not met (1-96)", whole(1, 96, "hours")},
	{"fhir_base", "", "the clinic's FHIR base URL (https, such as https://fhir.yourclinic.org/fhir), where the canonical URLs of its exported Questionnaires begin; a FHIR export refuses while it is empty", FHIRBase},
	{"checkin_schedule", DefaultSchedule, "what a check-in asks: instrument ids by commas, each alone (every check-in) or id:DAYS (every DAYS days)", func(v string) error {
		if _, err := screening.ParseSchedule(v); err != nil {
			return fmt.Errorf("must be instrument ids, each alone or as id:DAYS, separated by commas (%w)", err)
		}
		return nil
	}},
}

// whole checks a whole number from lo to hi of what.
func whole(lo, hi int, what string) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be %s, a whole number from %d to %d", what, lo, hi)
		}
		return nil
	}
}

// DefaultSchedule is the check-in schedule of a new clinic: the
// withdrawal scale and the safety questions at every check-in, the BAM
// weekly, the PHQ-9 and GAD-7 every two weeks.
const DefaultSchedule = "sows, checkin_safety, bam:7, phq9:14, gad7:14"

// alertSound checks the alert_sound setting: auto, off, or a command
// line of printable characters.
func alertSound(v string) error {
	if strings.TrimSpace(v) == "" || len(v) > 200 || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return errors.New("must be auto, off, or a player command (such as paplay)")
	}
	return nil
}

// FHIRBase checks the fhir_base setting: empty (not set yet), or an
// absolute https URL of at most 200 characters without user, query or
// fragment, on a host that is not reserved for examples and tests (RFC
// 2606, RFC 6761: example, example.com, .net and .org, .test, .invalid,
// .localhost), since canonical URLs there can never resolve.
func FHIRBase(v string) error {
	if v == "" {
		return nil
	}
	bad := errors.New("must be the clinic's FHIR base URL: https://, a host the clinic owns and a path, without a query or fragment (such as https://fhir.yourclinic.org/fhir)")
	if len(v) > 200 || strings.ContainsAny(v, "?# \\") || strings.ContainsFunc(v, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return bad
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" || u.Port() != "" && u.Port() != "443" {
		return bad
	}
	if reservedHost(u.Hostname()) {
		return errors.New("must not be on a domain reserved for examples and tests (example.org, .example, .test, .invalid, .localhost): canonical URLs there never resolve")
	}
	return nil
}

// reservedHost says whether host is a name reserved for documentation
// and testing, which no clinic can own.
func reservedHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	labels := strings.Split(host, ".")
	switch labels[len(labels)-1] {
	case "example", "test", "invalid", "localhost":
		return true
	}
	if n := len(labels); n >= 2 && labels[n-2] == "example" {
		switch labels[n-1] {
		case "com", "net", "org":
			return true
		}
	}
	return false
}

// ErrUnknown says no setting has that key.
var ErrUnknown error = fault.E(fault.NotFound, "unknown setting")

// Lookup finds the setting of key; ErrUnknown (NotFound) when there is
// none.
func Lookup(key string) (Def, error) {
	i := slices.IndexFunc(defs, func(d Def) bool { return d.Key == key })
	if i < 0 {
		return Def{}, &fault.Error{Op: "setting", Field: key, Err: ErrUnknown}
	}
	return defs[i], nil
}

// Settings is the kiosk's configuration, read once at start.
type Settings struct {
	ClinicName    string
	SiteName      string
	Idle          time.Duration
	IdleCountdown time.Duration
	Finish        time.Duration
	// StaffLock is how long unlocked staff mode waits for a touch before
	// it locks itself and drops the clinic key.
	StaffLock time.Duration
	// Enabled lists the instrument ids to ask; nil means all.
	Enabled []string
	// Retention is how long sessions are kept; 0 keeps them.
	Retention time.Duration
	// Printer is the print queue; empty means the system's default.
	Printer string
	// ReadAloud reads every patient screen aloud by itself.
	ReadAloud bool
	// Location is the clinic's time zone (time_zone; the system's when
	// not set): its calendar days count the check-ins, and times are
	// shown in it.
	Location *time.Location
	// AlertSound is how the kiosk calls staff: "auto", "off" or a player
	// command (chime.Find reads it).
	AlertSound string
	// InductionCOWS and InductionHours are the clinic's induction
	// thresholds: a COWS total of at least InductionCOWS, at least
	// InductionHours since the last reported dose. The session view
	// compares the patient's facts with them; nothing is recommended.
	InductionCOWS, InductionHours int
	// FHIRBase is the canonical base of the clinic's FHIR exports
	// (fhir_base, without a final slash); empty while it is not set.
	FHIRBase string
	// Schedule is how often a check-in asks which instruments
	// (checkin_schedule).
	Schedule screening.Schedule
}

// From makes the settings out of stored values by key: a key missing, or
// a value the setting does not take (written by hand outside the
// program), reads as the default.
func From(stored map[string]string) Settings {
	v := map[string]string{}
	for _, d := range defs {
		val, ok := stored[d.Key]
		if !ok || d.check(val) != nil {
			val = d.Default
		}
		v[d.Key] = val
	}
	loc, err := location(v["time_zone"])
	if err != nil {
		loc = time.Local // checked above; the zone database went missing since
	}
	secs := func(k string) time.Duration {
		n, _ := strconv.Atoi(v[k])
		return time.Duration(n) * time.Second
	}
	return Settings{
		ClinicName:     v["clinic_name"],
		SiteName:       v["site_name"],
		Idle:           secs("idle_seconds"),
		IdleCountdown:  secs("idle_countdown_seconds"),
		Finish:         secs("finish_seconds"),
		StaffLock:      secs("staff_lock_seconds"),
		Enabled:        splitList(v["enabled_instruments"]),
		Retention:      time.Duration(atoi(v["retention_days"])) * 24 * time.Hour,
		Printer:        v["printer"],
		ReadAloud:      v["read_aloud"] == "on",
		Location:       loc,
		AlertSound:     v["alert_sound"],
		InductionCOWS:  atoi(v["induction_cows_min"]),
		InductionHours: atoi(v["induction_hours_min"]),
		FHIRBase:       strings.TrimRight(v["fhir_base"], "/"),
		Schedule:       schedule(v["checkin_schedule"]),
	}
}

// schedule is the check-in schedule v holds (checked in From).
func schedule(v string) screening.Schedule {
	s, _ := screening.ParseSchedule(v)
	return s
}

// atoi is v as a whole number (0 when it is not one).
func atoi(v string) int {
	n, _ := strconv.Atoi(v)
	return n
}

// splitList splits a comma-separated list, spaces and empty entries
// aside.
func splitList(v string) []string {
	var out []string
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
