package ui

import (
	"strconv"

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
