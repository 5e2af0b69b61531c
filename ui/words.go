package ui

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"intakekiosk/ui/touch"
)

// wordsFor reads the widgets' words in lang from the catalog. A kiosk
// keeps the set of the patient's language in its kit (touch.Kit.Words);
// widgets read it when they are built and when they say something.
func wordsFor(c Messages, lang string) *touch.Words {
	t := func(key string) string { return c.T(lang, key) }
	w := &touch.Words{
		Keyboard: touch.KeyboardWords{Shift: t("keyboard.shift"), Space: t("keyboard.space"), Symbols: t("keyboard.symbols"),
			Letters: t("keyboard.letters")},
		Keypad: touch.KeypadWords{Clear: t("keypad.clear"), Empty: t("keypad.empty"), TooLong: t("keypad.too_long"),
			TooPreciseOne: t("keypad.too_precise_one"), TooPrecise: t("keypad.too_precise"), TooBig: t("keypad.too_big")},
		Date: touch.DateWords{Month: t("date.month"), Day: t("date.day"), Year: t("date.year"), MM: t("date.mm"), DD: t("date.dd"),
			YYYY: t("date.yyyy"), Clear: t("date.clear"), HintMonth: t("date.hint_month"), HintDay: t("date.hint_day"),
			HintYear: t("date.hint_year"), NoMonth: t("date.no_month"), NoDay: t("date.no_day"), NoDate: t("date.no_date"),
			NoLeapDay: t("date.no_leap_day"), NoYear: t("date.no_year"), Spelled: t("date.spelled"),
			SpelledShort: t("date.spelled_short")},
		When: touch.WhenWords{HoursAgo: t("when.hours_ago"), DaysAgo: t("when.days_ago"), DateTime: t("when.date_time"),
			HoursUnit: t("when.hours_unit"), HourUnit: t("when.hour_unit"), DaysUnit: t("when.days_unit"), DayUnit: t("when.day_unit"),
			AM: t("when.am"), PM: t("when.pm"), Midnight: t("when.midnight"), Noon: t("when.noon"), HourAM: t("when.hour_am"),
			HourPM: t("when.hour_pm"), At: t("when.at"), TapHour: t("when.tap_hour"),
			UnderHour: t("when.under_hour"), AgoAt: t("when.ago_at")},
	}
	for i := range w.Date.Months {
		w.Date.Months[i] = t("month." + strconv.Itoa(i+1))
	}
	return w
}

// ago says an instant as the review screen reads it back, in w's
// language: how long before now, then the day and hour it names in loc
// ("20 hours ago (November 24, 7 PM)", "20 horas atrás (24 de noviembre,
// 7 p.m.)"); short enough for the review's answer column.
func ago(w *touch.Words, t, now time.Time, loc *time.Location) string {
	ww := w.When
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
	day := fmt.Sprintf(w.Date.SpelledShort, w.Date.Months[lt.Month()-1], lt.Day())
	return fmt.Sprintf(ww.AgoAt, ago, day, ww.HourName(lt.Hour()))
}

// choose1 is one when n is 1, else many.
func choose1(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
