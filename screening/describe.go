package screening

import "time"

// Said is an answer as it reads back. Words are the instrument's own: the
// labels of the options chosen (one each), a number with its unit, the
// text typed. What an instrument has no words for is left to the reader's
// catalog: Declined ("Prefer not to answer"), and At, the instant a when
// item names (how long ago it was and its date depend on the reader's
// language, zone and now).
type Said struct {
	Declined bool
	Words    []string
	At       *time.Time
}

// Said reads an answer back in lang.
func (it *Item) Said(a Answer, lang string) Said {
	if a.Declined {
		return Said{Declined: true}
	}
	spec := it.spec()
	switch {
	case spec.instant:
		return Said{At: a.Time}
	case spec.words != nil:
		return Said{Words: spec.words(it, a, lang)}
	}
	return Said{}
}
