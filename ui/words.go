package ui

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// words are the texts of the kiosk's own widgets (keyboard, keypads, date
// and time entries) in one language, from the message catalog. A kiosk
// keeps the set of the patient's language on its touch; widgets read it
// when they are built and when they say something.
type words struct {
	keyboard keyboardWords
	keypad   keypadWords
	date     dateWords
	when     whenWords
}

// keyboardWords are the on-screen keyboard's words.
type keyboardWords struct {
	Shift, Space, Symbols, Letters string
}

// keypadWords are the number keypad's words.
type keypadWords struct {
	Clear, Empty, TooLong, TooPreciseOne, TooPrecise, TooBig string
}

// dateWords are the date entry's words.
type dateWords struct {
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

// whenWords are the time entry's words.
type whenWords struct {
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

// wordsFor reads the widgets' words in lang from the catalog.
func wordsFor(c Messages, lang string) *words {
	t := func(key string) string { return c.T(lang, key) }
	w := &words{
		keyboard: keyboardWords{t("keyboard.shift"), t("keyboard.space"), t("keyboard.symbols"), t("keyboard.letters")},
		keypad: keypadWords{t("keypad.clear"), t("keypad.empty"), t("keypad.too_long"), t("keypad.too_precise_one"),
			t("keypad.too_precise"), t("keypad.too_big")},
		date: dateWords{Month: t("date.month"), Day: t("date.day"), Year: t("date.year"), MM: t("date.mm"), DD: t("date.dd"),
			YYYY: t("date.yyyy"), Clear: t("date.clear"), HintMonth: t("date.hint_month"), HintDay: t("date.hint_day"),
			HintYear: t("date.hint_year"), NoMonth: t("date.no_month"), NoDay: t("date.no_day"), NoDate: t("date.no_date"),
			NoLeapDay: t("date.no_leap_day"), NoYear: t("date.no_year"), Spelled: t("date.spelled"),
			SpelledShort: t("date.spelled_short")},
		when: whenWords{HoursAgo: t("when.hours_ago"), DaysAgo: t("when.days_ago"), DateTime: t("when.date_time"),
			HoursUnit: t("when.hours_unit"), HourUnit: t("when.hour_unit"), DaysUnit: t("when.days_unit"), DayUnit: t("when.day_unit"),
			AM: t("when.am"), PM: t("when.pm"), Midnight: t("when.midnight"), Noon: t("when.noon"), HourAM: t("when.hour_am"),
			HourPM: t("when.hour_pm"), At: t("when.at"), TapHour: t("when.tap_hour"),
			UnderHour: t("when.under_hour"), AgoAt: t("when.ago_at")},
	}
	for i := range w.date.Months {
		w.date.Months[i] = t("month." + strconv.Itoa(i+1))
	}
	return w
}

// spelled writes a date out for the patient to check ("March 7, 1985",
// "7 de marzo de 1985").
func (dw dateWords) spelled(d time.Time) string {
	return fmt.Sprintf(dw.Spelled, dw.Months[d.Month()-1], d.Day(), d.Year())
}

// hourName is an hour of the day on a 12-hour clock.
func (ww whenWords) hourName(h int) string {
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

// ago says an instant as the review screen reads it back: how long before
// now, then the day and hour it names in loc ("20 hours ago (November 24,
// 7 PM)", "20 horas atrás (24 de noviembre, 7 p.m.)"); short enough for
// the review's answer column.
func (w *words) ago(t, now time.Time, loc *time.Location) string {
	ww := w.when
	h := now.Sub(t).Hours()
	var ago string
	switch n := int(math.Round(h)); {
	case h < 1:
		ago = ww.UnderHour
	case h < 48:
		ago = fmt.Sprintf("%d %s", n, choose1(n, ww.HourUnit, ww.HoursUnit))
	default:
		d := int(math.Round(h / 24))
		ago = fmt.Sprintf("%d %s", d, choose1(d, ww.DayUnit, ww.DaysUnit))
	}
	lt := t.In(loc)
	day := fmt.Sprintf(w.date.SpelledShort, w.date.Months[lt.Month()-1], lt.Day())
	return fmt.Sprintf(ww.AgoAt, ago, day, ww.hourName(lt.Hour()))
}

// choose1 is one when n is 1, else many.
func choose1(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
