package screening_test

import (
	"io/fs"
	"slices"
	"strconv"
	"testing"
	"time"

	"intakekiosk/assets"
	"intakekiosk/screening"
)

// now is the session time of every test.
var now = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

func assetsFS() fs.FS { return assets.Instruments() }

func instrument(tb testing.TB, c *screening.Catalog, id string) *screening.Instrument {
	tb.Helper()
	in, ok := c.Instrument(id)
	if !ok {
		tb.Fatalf("no instrument %q", id)
	}
	return in
}

func pick(inst, item, value string) screening.Answer {
	return screening.Answer{Instrument: inst, Item: item, Choice: value, At: now}
}

func picks(inst, item string, values ...string) screening.Answer {
	return screening.Answer{Instrument: inst, Item: item, Choices: values, At: now}
}

func num(inst, item string, n float64) screening.Answer {
	return screening.Answer{Instrument: inst, Item: item, Number: &n, At: now}
}

func text(inst, item, s string) screening.Answer {
	return screening.Answer{Instrument: inst, Item: item, Text: s, At: now}
}

// ago answers a when item with an instant the given hours before now.
func ago(inst, item string, hours float64) screening.Answer {
	t := now.Add(-time.Duration(hours * float64(time.Hour)))
	return screening.Answer{Instrument: inst, Item: item, Time: &t, Given: "hours", Amount: hours, At: now}
}

func decline(inst, item string) screening.Answer {
	return screening.Answer{Instrument: inst, Item: item, Declined: true, At: now}
}

func answers(as ...screening.Answer) screening.Answers {
	m := screening.Answers{}
	for _, a := range as {
		m[a.Key()] = a
	}
	return m
}

// byPoints answers the instrument's scored items, in scoring order, with
// the options worth the given points.
func byPoints(tb testing.TB, in *screening.Instrument, points []int) []screening.Answer {
	tb.Helper()
	if len(points) != len(in.Scoring.Items) {
		tb.Fatalf("%s: %d points for %d scored items", in.ID, len(points), len(in.Scoring.Items))
	}
	var as []screening.Answer
	for i, id := range in.Scoring.Items {
		it, _ := in.Item(id)
		j := slices.IndexFunc(it.Options, func(o screening.Option) bool { return o.Points == points[i] })
		if j < 0 {
			tb.Fatalf("%s item %s has no option worth %d", in.ID, id, points[i])
		}
		as = append(as, pick(in.ID, id, it.Options[j].Value))
	}
	return as
}

// yesNo answers DAST-10 from a string such as "YNNY...": Y yes, N no.
func yesNo(tb testing.TB, s string) []screening.Answer {
	tb.Helper()
	if len(s) != 10 {
		tb.Fatalf("DAST-10 needs 10 answers, got %q", s)
	}
	var as []screening.Answer
	for i, c := range s {
		v := map[rune]string{'Y': "yes", 'N': "no"}[c]
		as = append(as, pick("dast10", strconv.Itoa(i+1), v))
	}
	return as
}

func flagIDs(r screening.Result) []string {
	ids := []string{}
	for _, f := range r.Flags {
		ids = append(ids, f.ID)
	}
	return ids
}

func bandLabel(r screening.Result) string {
	if r.Band == nil {
		return ""
	}
	return r.Band.Label["en"]
}

func sum(points []int) int {
	t := 0
	for _, p := range points {
		t += p
	}
	return t
}
