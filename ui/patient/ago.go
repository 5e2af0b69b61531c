package patient

import (
	"fmt"
	"intakekiosk/ui/touch"
	"math"
	"time"
)

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
