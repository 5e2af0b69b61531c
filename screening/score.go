package screening

import (
	"slices"
	"time"
)

// Result is the outcome of one instrument for one session.
type Result struct {
	Instrument *Instrument
	// Skipped is true when a branching rule skipped the whole instrument.
	Skipped bool
	// Scored is false when a scored item was declined or left unanswered:
	// the total is then not reported, never silently low. Total is 0 for
	// an instrument without one (Scoring.NoTotal): read its Subscores.
	Scored bool
	Total  int
	// Band is the severity band of the total (nil when not scored or the
	// instrument has no bands); BandNote explains the band set chosen.
	Band     *Band
	BandNote Text
	// Missing lists the scored items declined or unanswered.
	Missing   []string
	Subscores []SubResult
	// Flags lists the flags raised, in the instrument's order.
	Flags []*Flag
	// NotFollowed lists, when scored as written (ScoreAsWritten), the
	// items answered that the form's branching skips (or whose answer
	// chooses an option it no longer offers): each is kept and counted
	// as written, and a summary says the branching was not followed.
	NotFollowed []string
}

// SubResult is the outcome of one subscore.
type SubResult struct {
	Subscore *Subscore
	Scored   bool
	Total    int
	Band     *Band
}

// Urgent reports whether any raised flag is urgent.
func (r Result) Urgent() bool {
	return slices.ContainsFunc(r.Flags, func(f *Flag) bool { return f.Urgent })
}

// Score scores one instrument against a session's answers. now is the
// instant "hours ago" answers are measured from (the session's time).
// An answer to an item that branching skips counts for nothing.
func (c *Catalog) Score(in *Instrument, answers Answers, now time.Time) Result {
	return c.score(evalContext{cat: c, self: in, answers: answers, now: now})
}

// ScoreAsWritten scores as Score does, counting every answer as written,
// whatever the instrument's branching says: a paper form's answers, where
// a patient may answer a question the form tells them to skip. The items
// branching would have dropped are the Result's NotFollowed.
func (c *Catalog) ScoreAsWritten(in *Instrument, answers Answers, now time.Time) Result {
	r := c.score(evalContext{cat: c, self: in, answers: answers, now: now, written: true})
	followed := evalContext{cat: c, self: in, answers: answers, now: now}
	for i := range in.Items {
		it := &in.Items[i]
		if _, given := answers.Get(in.ID, it.ID); given {
			if _, counts := followed.answer(in, it); !counts {
				r.NotFollowed = append(r.NotFollowed, it.ID)
			}
		}
	}
	return r
}

func (c *Catalog) score(ctx evalContext) Result {
	in := ctx.self
	r := Result{Instrument: in}
	if ctx.skips(in) {
		r.Skipped = true
		return r
	}
	if s := in.Scoring; s != nil {
		r.Total, r.Scored, r.Missing = in.sum(s.Items, ctx)
		if s.NoTotal {
			r.Total = 0 // not a score of the instrument: its subscores are
		}
		if r.Scored && !s.NoTotal {
			bands, note := in.bandsFor(ctx)
			r.Band, r.BandNote = findBand(bands, r.Total), note
		}
		for i := range s.Subscores {
			sub := &s.Subscores[i]
			sr := SubResult{Subscore: sub}
			sr.Total, sr.Scored, _ = in.sum(sub.Items, ctx)
			if sr.Scored {
				sr.Band = findBand(sub.Bands, sr.Total)
			}
			r.Subscores = append(r.Subscores, sr)
		}
	}
	for i := range in.Flags {
		if ctx.eval(&in.Flags[i].When) {
			r.Flags = append(r.Flags, &in.Flags[i])
		}
	}
	return r
}

// sum adds the points of items. An item branching skips (its rule, or no
// option offered) counts 0 and is not missing; a declined or unanswered one is missing and
// makes the sum not scored.
func (in *Instrument) sum(items []string, ctx evalContext) (total int, scored bool, missing []string) {
	for _, id := range items {
		it, ok := in.Item(id)
		if !ok {
			continue
		}
		if _, asked := ctx.asked(it); !asked {
			continue
		}
		if p, ok := in.itemPoints(id, ctx); ok {
			total += p
			continue
		}
		missing = append(missing, id)
	}
	return total, len(missing) == 0, missing
}

// itemPoints is the points an answered item scores, reverse-scored where
// the instrument says so.
func (in *Instrument) itemPoints(id string, ctx evalContext) (int, bool) {
	it, ok := in.Item(id)
	if !ok {
		return 0, false
	}
	a, ok := ctx.answer(in, it)
	if !ok {
		return 0, false
	}
	return in.ItemPoints(it, a)
}

// ItemPoints is what an answer to one of the instrument's items scores,
// reverse-scored where the instrument says so: false for a declined
// answer, one that does not fit, or an item of a kind (or a number item
// without steps) that scores nothing.
func (in *Instrument) ItemPoints(it *Item, a Answer) (int, bool) {
	score := it.spec().points
	if a.Declined || score == nil {
		return 0, false
	}
	p, ok := score(it, a)
	if !ok {
		return 0, false
	}
	if in.Scoring != nil && slices.Contains(in.Scoring.Reverse, it.ID) {
		lo, hi := it.pointRange()
		p = lo + hi - p
	}
	return p, true
}

// SubscoreRange is the lowest and highest a subscore can be: its items'
// points added.
func (in *Instrument) SubscoreRange(sub *Subscore) (lo, hi int) {
	for _, id := range sub.Items {
		if it, ok := in.Item(id); ok && it.scorable() {
			l, h := it.spec().span(it)
			lo, hi = lo+l, hi+h
		}
	}
	return lo, hi
}

// bandsFor chooses the band set whose rule holds, else the default one.
func (in *Instrument) bandsFor(ctx evalContext) ([]Band, Text) {
	s := in.Scoring
	if len(s.BandSets) == 0 {
		return s.Bands, nil
	}
	var def *BandSet
	for i := range s.BandSets {
		bs := &s.BandSets[i]
		if bs.When == nil {
			def = bs
			continue
		}
		if ctx.eval(bs.When) {
			return bs.Bands, bs.Note
		}
	}
	if def == nil {
		return nil, nil
	}
	return def.Bands, def.Note
}

func findBand(bands []Band, v int) *Band {
	for i := range bands {
		if v >= bands[i].Min && v <= bands[i].Max {
			return &bands[i]
		}
	}
	return nil
}
