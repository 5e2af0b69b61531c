package touch

import (
	"fmt"
	"time"
)

// Words are the texts of the kit's widgets (keyboard, keypads, date and
// time entries) in one language. The kiosk reads them from its message
// catalog; the widgets only show them.
type Words struct {
	Keyboard KeyboardWords
	Keypad   KeypadWords
	Date     DateWords
	When     WhenWords
}

// KeyboardWords are the on-screen keyboard's words.
type KeyboardWords struct {
	Shift, Space, Symbols, Letters string
}

// KeypadWords are the number keypad's words.
type KeypadWords struct {
	Clear, Empty, TooLong, TooPreciseOne, TooPrecise, TooBig string
}

// DateWords are the date entry's words.
type DateWords struct {
	Month, Day, Year   string
	MM, DD, YYYY       string
	Clear              string
	HintMonth, HintDay string
	HintYear           string
	NoMonth, NoDay     string // %d: the number typed
	NoDate             string // month name, day
	NoLeapDay, NoYear  string // %d: the year
	Spelled            string // month name, day, year
	SpelledShort       string // month name, day
	Months             [12]string
}

// WhenWords are the time entry's words.
type WhenWords struct {
	HoursAgo, DaysAgo, DateTime string
	HoursUnit, HourUnit         string
	DaysUnit, DayUnit           string
	AM, PM                      string
	Midnight, Noon              string // hour 0 and hour 12 as they are read back
	HourAM, HourPM              string // %d: the hour on the clock, 1 to 11
	At                          string // the date spelled out, the hour
	TapHour                     string // %s: the date spelled out
	UnderHour                   string // an instant less than an hour ago
	AgoAt                       string // how long ago, the day, the hour
}

// spelled writes a date out for the patient to check ("March 7, 1985",
// "7 de marzo de 1985").
func (dw DateWords) spelled(d time.Time) string {
	return fmt.Sprintf(dw.Spelled, dw.Months[d.Month()-1], d.Day(), d.Year())
}

// HourName is hour h of the day (0 to 23) on a 12-hour clock ("8 PM",
// "12 AM (midnight)").
func (ww WhenWords) HourName(h int) string {
	switch {
	case h == 0:
		return ww.Midnight
	case h == 12:
		return ww.Noon
	case h < 12:
		return fmt.Sprintf(ww.HourAM, h)
	}
	return fmt.Sprintf(ww.HourPM, h-12)
}
