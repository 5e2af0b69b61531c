package screening

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Describe puts an answer in plain words for the review screen and the
// staff summary: the chosen options' labels, a number with its unit, "20
// hours ago" (counted from now) or the date and time, the text typed, or
// "Prefer not to answer".
func Describe(it *Item, a Answer, lang string, now time.Time) string {
	if a.Declined {
		return "Prefer not to answer"
	}
	switch it.Kind {
	case Single:
		if o, ok := it.Option(a.Choice); ok {
			return o.Label.In(lang)
		}
	case Multi:
		var labels []string
		for _, c := range a.Choices {
			if o, ok := it.Option(c); ok {
				labels = append(labels, o.Label.In(lang))
			}
		}
		return strings.Join(labels, "; ")
	case Number:
		if a.Number != nil {
			return FormatNumber(*a.Number, it.Decimals) + " " + it.Unit.In(lang)
		}
	case When:
		if a.Time != nil {
			return DescribeWhen(*a.Time, now)
		}
	case Free:
		return a.Text
	}
	return ""
}

// DescribeWhen says how long before now an instant was ("20 hours ago",
// "3 days ago"), with the local date and time.
func DescribeWhen(t, now time.Time) string {
	h := now.Sub(t).Hours()
	var ago string
	switch {
	case h < 1:
		ago = "less than an hour ago"
	case h < 48:
		ago = plural(int(math.Round(h)), "hour") + " ago"
	default:
		ago = plural(int(math.Round(h/24)), "day") + " ago"
	}
	return fmt.Sprintf("%s (%s)", ago, t.Local().Format("Mon Jan 2, 3 PM"))
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
