package screening_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"intakekiosk/screening"
)

// randomAnswer is an answer to it that fits, chosen by rng: any option
// or set of options, a number or an instant across the item's range (the
// 30 days of SOWS's skip either side), some text, or a decline where the
// item allows one.
func randomAnswer(rng *rand.Rand, in *screening.Instrument, it *screening.Item, at time.Time) screening.Answer {
	a := screening.Answer{Instrument: in.ID, Item: it.ID, At: at}
	if in.CanDecline(it) && rng.IntN(6) == 0 {
		a.Declined = true
		return a
	}
	switch it.Kind {
	case screening.Single:
		a.Choice = it.Options[rng.IntN(len(it.Options))].Value
	case screening.Multi:
		for _, o := range it.Options {
			if rng.IntN(3) == 0 && !o.Exclusive {
				a.Choices = append(a.Choices, o.Value)
			}
		}
		if len(a.Choices) == 0 {
			a.Choices = []string{it.Options[rng.IntN(len(it.Options))].Value}
		}
	case screening.Number:
		n := *it.Min
		if rng.IntN(2) == 0 {
			n = float64(int(*it.Min) + rng.IntN(int(*it.Max-*it.Min)+1))
		}
		a.Number = &n
	case screening.When:
		h := rng.IntN(24 * 60)
		t := at.Add(-time.Duration(h) * time.Hour)
		a.Time, a.Given, a.Amount = &t, "hours", float64(h)
	default:
		a.Text = "some words"
	}
	return a
}

// The visit's parts and its questions are counted ahead: over random
// walks through the built-in instruments (screening and check-in, every
// answer and decline, so every branch both ways), answering question
// after question, neither the parts nor the total ever grows, the
// question is always in a part and among the total, the questions asked
// never outnumber it, and once every question asked is answered the
// total is the number asked.
func TestProgressNeverGrows(t *testing.T) {
	c, errs := screening.Load(screening.Source{Name: "built-in", FS: assetsFS()})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	rng := rand.New(rand.NewPCG(12, 5))
	shrank := map[string]int{} // walks whose total fell, by kind: branches closed
	for _, kind := range []string{screening.ForScreening, screening.ForCheckin} {
		for walk := range 400 {
			s := screening.NewSessionFor(c, kind, nil)
			at := now
			last := screening.Progress{Parts: 1 << 30, Total: 1 << 30}
			first := -1
			st, ok := s.Next(screening.Key{}, at)
			for n := 0; ok; n++ {
				if n > 200 {
					t.Fatalf("%s walk %d: no end", kind, walk)
				}
				p := s.Progress(st.Key(), at)
				switch {
				case p.Parts > last.Parts || p.Total > last.Total:
					t.Fatalf("%s walk %d at %v: %+v after %+v", kind, walk, st.Key(), p, last)
				case p.Part < 1 || p.Part > p.Parts || p.Done >= p.Total || p.Done < last.Done && n > 0:
					t.Fatalf("%s walk %d at %v: %+v (before %+v)", kind, walk, st.Key(), p, last)
				case len(s.Steps(at)) > p.Total:
					t.Fatalf("%s walk %d at %v: %d asked, more than %+v", kind, walk, st.Key(), len(s.Steps(at)), p)
				}
				last = p
				if first < 0 {
					first = p.Total
				}
				a := randomAnswer(rng, st.Instrument, st.Item, at)
				for tries := 0; ; tries++ {
					if _, err := s.Set(a, at); err == nil {
						break
					} else if tries > 50 {
						t.Fatalf("%s walk %d: no answer fits %v: %v", kind, walk, st.Key(), err)
					}
					a = randomAnswer(rng, st.Instrument, st.Item, at)
				}
				at = at.Add(7 * time.Second)
				st, ok = s.Next(st.Key(), at)
			}
			steps := s.Steps(at)
			if len(steps) == 0 {
				continue
			}
			if len(steps) < first {
				shrank[kind]++
			}
			if p := s.Progress(steps[len(steps)-1].Key(), at); p.Total != len(steps) || p.Done != len(steps)-1 {
				t.Errorf("%s walk %d: all answered, %+v for %d asked", kind, walk, p, len(steps))
			}
		}
		if shrank[kind] == 0 {
			t.Errorf("%s: no walk closed a branch", kind)
		}
	}
}
