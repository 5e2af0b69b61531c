package settings

import (
	"errors"
	"slices"
	"testing"
	"time"

	"intakekiosk/fault"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		key, value string
		ok         bool
	}{
		{"idle_seconds", "60", true},
		{"idle_seconds", "10", true},
		{"idle_seconds", "9", false},
		{"idle_seconds", "3601", false},
		{"idle_seconds", "ten", false},
		{"staff_lock_seconds", "5", false},
		{"retention_days", "0", true},
		{"retention_days", "-1", false},
		{"retention_days", "36501", false},
		{"clinic_name", "Clínica Esperanza", true},
		{"clinic_name", "two\nlines", false},
		{"clinic_name", string(make([]byte, 61)), false},
		{"enabled_instruments", "phq9, gad7", true},
		{"enabled_instruments", "phq9,Bad Id", false},
		{"printer", "", true},
		{"printer", "Front_Desk-HP", true},
		{"printer", "Front Desk", false},
		{"printer", "a/b", false},
		{"printer", "q#1", false},
		{"read_aloud", "on", true},
		{"read_aloud", "yes", false},
		{"time_zone", "", true},
		{"time_zone", "local", true},
		{"time_zone", "America/New_York", true},
		{"time_zone", "Europe/Madrid", true},
		{"time_zone", "UTC", true},
		{"time_zone", "Eastern", false},
		{"time_zone", "Mars/Olympus_Mons", false},
		{"time_zone", "../../etc/passwd", false},
		{"time_zone", "/etc/localtime", false},
		{"alert_sound", "auto", true},
		{"alert_sound", "off", true},
		{"alert_sound", "paplay --volume 65536", true},
		{"alert_sound", "", false},
		{"alert_sound", "aplay\n-q", false},
		{"induction_cows_min", "8", true},
		{"induction_cows_min", "1", true},
		{"induction_cows_min", "48", true},
		{"induction_cows_min", "0", false},
		{"induction_cows_min", "49", false},
		{"induction_cows_min", "8.5", false},
		{"induction_hours_min", "12", true},
		{"induction_hours_min", "1", true},
		{"induction_hours_min", "96", true},
		{"induction_hours_min", "0", false},
		{"induction_hours_min", "97", false},
		{"induction_hours_min", "twelve", false},
		{"fhir_base", "", true},
		{"fhir_base", "https://fhir.clinicaesperanza.org/fhir", true},
		{"fhir_base", "https://ehr.clinic.health/baseR4/", true},
		{"fhir_base", "https://fhir.clinic.org:443/r4", true},
		{"fhir_base", "http://fhir.clinic.org/fhir", false},
		{"fhir_base", "fhir.clinic.org/fhir", false},
		{"fhir_base", "/fhir", false},
		{"fhir_base", "https:///fhir", false},
		{"fhir_base", "https://fhir.clinic.org/fhir?x=1", false},
		{"fhir_base", "https://fhir.clinic.org/fhir#q", false},
		{"fhir_base", "https://fhir.clinic.org/fhir?", false},
		{"fhir_base", "https://user@fhir.clinic.org/fhir", false},
		{"fhir_base", "https://fhir.clinic.org:8443/fhir", false},
		{"fhir_base", "https://fhir.clinic.org/my fhir", false},
		{"fhir_base", "https://intake-kiosk.example/fhir", false},
		{"fhir_base", "https://example.org/fhir", false},
		{"fhir_base", "https://fhir.EXAMPLE.com./fhir", false},
		{"fhir_base", "https://clinic.test/fhir", false},
		{"fhir_base", "https://localhost/fhir", false},
		{"fhir_base", "https://a.invalid", false},
		{"fhir_base", "https://example.clinic.org/fhir", true},
		{"checkin_schedule", "", true},
		{"checkin_schedule", "sows, bam:7, phq9:365", true},
		{"checkin_schedule", "bam:0", false},
		{"checkin_schedule", "bam:366", false},
		{"checkin_schedule", "bam:weekly", false},
		{"checkin_schedule", "bam:7, bam:14", false},
		{"checkin_schedule", "Bad Id:7", false},
	} {
		d, err := Lookup(tc.key)
		if err != nil {
			t.Fatalf("Lookup(%s): %v", tc.key, err)
		}
		err = d.Check(tc.value)
		if (err == nil) != tc.ok {
			t.Errorf("Check(%s, %q) = %v; want ok %v", tc.key, tc.value, err, tc.ok)
		}
		if err == nil {
			continue
		}
		e, ok := errors.AsType[*fault.Error](err)
		if !ok || e.Kind != fault.Invalid || e.Field != tc.key || e.Op != "setting" || e.Reason() == "" {
			t.Errorf("Check(%s, %q) = %#v; want an Invalid setting error naming the key, with a reason", tc.key, tc.value, err)
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	_, err := Lookup("no_such")
	if !errors.Is(err, ErrUnknown) || fault.KindOf(err) != fault.NotFound {
		t.Errorf("Lookup(no_such) = %v; want ErrUnknown, NotFound", err)
	}
}

// Every default is a value its setting takes, and every key is unique.
func TestDefaults(t *testing.T) {
	var keys []string
	for _, d := range Defs() {
		if err := d.Check(d.Default); err != nil {
			t.Errorf("%s: default %q refused: %v", d.Key, d.Default, err)
		}
		if d.Help == "" {
			t.Errorf("%s has no help", d.Key)
		}
		if slices.Contains(keys, d.Key) {
			t.Errorf("%s twice", d.Key)
		}
		keys = append(keys, d.Key)
	}
}

func TestFrom(t *testing.T) {
	got := From(map[string]string{
		"idle_seconds":        "90",
		"staff_lock_seconds":  "5", // refused: reads as the default
		"retention_days":      "730",
		"enabled_instruments": "phq9, gad7,",
		"read_aloud":          "on",
		"fhir_base":           "https://fhir.clinic.org/r4/",
	})
	want := Settings{ClinicName: "Intake Kiosk", Idle: 90 * time.Second, IdleCountdown: 30 * time.Second,
		Finish: 20 * time.Second, StaffLock: 2 * time.Minute, Enabled: []string{"phq9", "gad7"},
		Retention: 730 * 24 * time.Hour, ReadAloud: true}
	if got.ClinicName != want.ClinicName || got.Idle != want.Idle || got.IdleCountdown != want.IdleCountdown ||
		got.Finish != want.Finish || got.StaffLock != want.StaffLock || !slices.Equal(got.Enabled, want.Enabled) ||
		got.Retention != want.Retention || got.ReadAloud != want.ReadAloud || got.Printer != "" || got.SiteName != "" ||
		got.FHIRBase != "https://fhir.clinic.org/r4" {
		t.Errorf("From = %+v; want %+v", got, want)
	}
	if got := From(map[string]string{"induction_cows_min": "11", "induction_hours_min": "200"}); got.InductionCOWS != 11 || got.InductionHours != 12 {
		t.Errorf("induction thresholds %d, %d h; want 11 and the default 12 h", got.InductionCOWS, got.InductionHours)
	}
	if empty := From(nil); empty.Enabled != nil || empty.Idle != time.Minute || empty.Location != time.Local || empty.InductionCOWS != 8 || empty.InductionHours != 12 || empty.FHIRBase != "" ||
		empty.Schedule.String() != "sows, checkin_safety, bam:7, phq9:14, gad7:14" {
		t.Errorf("From(nil) = %+v; want the defaults", empty)
	}
	// a schedule written by hand that does not read reads as the default;
	// an empty one asks the check-in's own questions only
	if s := From(map[string]string{"checkin_schedule": "bam:often"}).Schedule; s.String() != DefaultSchedule {
		t.Errorf("a bad schedule reads as %q", s)
	}
	if s := From(map[string]string{"checkin_schedule": ""}).Schedule; len(s) != 0 {
		t.Errorf("an empty schedule reads as %q", s)
	}
}

// The clinic's zone is the one named, or the system's when it is not set,
// "local", or a name written by hand that no zone has.
func TestFromLocation(t *testing.T) {
	for _, tc := range []struct {
		stored, want string
	}{
		{"America/New_York", "America/New_York"},
		{"Europe/Madrid", "Europe/Madrid"},
		{"", time.Local.String()},
		{"local", time.Local.String()},
		{"Mars/Olympus_Mons", time.Local.String()},
	} {
		if got := From(map[string]string{"time_zone": tc.stored}).Location; got == nil || got.String() != tc.want {
			t.Errorf("time_zone %q: Location %v; want %s", tc.stored, got, tc.want)
		}
	}
}
