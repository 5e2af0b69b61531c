package screening_test

import (
	"slices"
	"testing"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

// Sex at birth is asked before pregnancy, and only someone who may be
// pregnant is asked "Are you pregnant?": everyone but a patient who said
// male (intersex, "Prefer not to answer" and no answer yet are asked).
func TestPregnancyAskedBySexAtBirth(t *testing.T) {
	c := testkit.Catalog(t)
	steps := stepKeys(screening.NewSession(c, nil).Steps(now))
	if i, j := slices.Index(steps, "kratom/sex"), slices.Index(steps, "kratom/pregnant"); i < 0 || j != i+1 {
		t.Errorf("sex is step %d and pregnant %d: sex must come just before pregnant (%v)", i, j, steps)
	}
	tests := []struct {
		sex      *screening.Answer
		pregnant bool
	}{
		{nil, true},
		{ptr(pick("kratom", "sex", "female")), true},
		{ptr(pick("kratom", "sex", "male")), false},
		{ptr(pick("kratom", "sex", "intersex")), true},
		{ptr(decline("kratom", "sex")), true},
	}
	for _, tt := range tests {
		s := screening.NewSession(c, nil)
		if tt.sex != nil {
			set(t, s, *tt.sex)
		}
		if got := asked(s, "kratom", "pregnant"); got != tt.pregnant {
			t.Errorf("sex %s: pregnant asked %v, want %v", describeSex(tt.sex), got, tt.pregnant)
		}
	}
	// A stale "yes" from before the patient changed sex to male raises no
	// flag.
	s := screening.NewSession(c, nil)
	set(t, s, pick("kratom", "sex", "female"), pick("kratom", "pregnant", "yes"))
	if got := flagIDs(s.Results(now)[0]); !slices.Contains(got, "pregnant") {
		t.Errorf("female, pregnant yes: flags %v, want pregnant", got)
	}
	set(t, s, pick("kratom", "sex", "male"))
	if got := flagIDs(s.Results(now)[0]); slices.Contains(got, "pregnant") {
		t.Errorf("changed to male: flags %v still hold pregnant", got)
	}
}

func describeSex(a *screening.Answer) string {
	switch {
	case a == nil:
		return "unanswered"
	case a.Declined:
		return "declined"
	}
	return a.Choice
}

// The daily-use follow-up offers only the substances the patient said
// they use (and "None of these daily"); it is not asked when none of
// alcohol, benzodiazepines or opioids was ticked.
func TestDailyCoUseOffersOnlyTheSubstancesChosen(t *testing.T) {
	c := testkit.Catalog(t)
	tests := []struct {
		uses    []string
		offered []string // nil: not asked
	}{
		{[]string{"alcohol"}, []string{"alcohol", "none"}},
		{[]string{"opioids", "cannabis"}, []string{"opioids", "none"}},
		{[]string{"benzodiazepines", "alcohol", "stimulants"}, []string{"alcohol", "benzodiazepines", "none"}},
		{[]string{"alcohol", "benzodiazepines", "opioids"}, []string{"alcohol", "benzodiazepines", "opioids", "none"}},
		{[]string{"stimulants", "cannabis"}, nil},
		{[]string{"none"}, nil},
	}
	for _, tt := range tests {
		s := screening.NewSession(c, nil)
		set(t, s, picks("kratom", "other_substances", tt.uses...))
		st, ok := s.Step(key("kratom", "daily_co_use"), now)
		if !ok {
			if tt.offered != nil {
				t.Errorf("uses %v: daily_co_use not asked, want %v", tt.uses, tt.offered)
			}
			continue
		}
		if got := offered(st); !slices.Equal(got, tt.offered) {
			t.Errorf("uses %v: daily_co_use offers %v, want %v", tt.uses, got, tt.offered)
		}
		// the step is what the kiosk checks an answer against
		if err := st.Item.Validate(picks("kratom", "daily_co_use", "stimulants"), now); err == nil {
			t.Errorf("uses %v: a substance not offered is accepted", tt.uses)
		}
	}

	// Changing the substances on the review screen: a daily answer naming
	// one no longer ticked counts for nothing and is asked again.
	s := screening.NewSession(c, nil)
	set(t, s, picks("kratom", "other_substances", "alcohol", "opioids"), picks("kratom", "daily_co_use", "alcohol"))
	if got := flagIDs(s.Results(now)[0]); !slices.Contains(got, "daily_alcohol") {
		t.Fatalf("daily alcohol: flags %v", got)
	}
	before := s.Answered(now)
	set(t, s, picks("kratom", "other_substances", "opioids"))
	if got := flagIDs(s.Results(now)[0]); slices.Contains(got, "daily_alcohol") {
		t.Errorf("alcohol no longer ticked: flags %v still hold daily_alcohol", got)
	}
	if n := s.Answered(now); n != before-1 {
		t.Errorf("Answered %d, want %d: the stale daily answer still counts", n, before-1)
	}
	st, ok := s.NextUnanswered(key("kratom", "other_substances"), now)
	if !ok || st.Key() != key("kratom", "daily_co_use") || !slices.Equal(offered(st), []string{"opioids", "none"}) {
		t.Errorf("after the change: next unanswered %s offering %v (%v), want daily_co_use offering [opioids none]", st.Key(), offered(st), ok)
	}
}

// A check-in whose last dose was more than 24 hours before does not ask
// the grams "in the last 24 hours" nor the doses; one within the day does.
func TestCheckinAmountAskedOnlyAfterADoseToday(t *testing.T) {
	c := testkit.Catalog(t)
	tests := []struct {
		lastDose     *screening.Answer
		grams, doses bool
	}{
		{nil, true, true},
		{ptr(ago("checkin_use", "last_dose", 2)), true, true},
		{ptr(ago("checkin_use", "last_dose", 20)), true, true},
		{ptr(ago("checkin_use", "last_dose", 24)), true, true},
		{ptr(ago("checkin_use", "last_dose", 25)), false, false},
		{ptr(ago("checkin_use", "last_dose", 48)), false, false},
		{ptr(ago("checkin_use", "last_dose", 24*30)), false, false},
		{ptr(decline("checkin_use", "last_dose")), true, true},
	}
	for _, tt := range tests {
		s := screening.NewSessionFor(c, screening.ForCheckin, nil)
		if tt.lastDose != nil {
			set(t, s, *tt.lastDose)
		}
		name := "unanswered"
		if tt.lastDose != nil {
			name = "declined"
			if !tt.lastDose.Declined {
				name = screening.FormatNumber(tt.lastDose.Amount, 0) + " hours ago"
			}
		}
		if got := asked(s, "checkin_use", "grams"); got != tt.grams {
			t.Errorf("last dose %s: grams asked %v, want %v", name, got, tt.grams)
		}
		if got := asked(s, "checkin_use", "doses"); got != tt.doses {
			t.Errorf("last dose %s: doses asked %v, want %v", name, got, tt.doses)
		}
	}
	// a check-in two days after the last dose goes from it straight to SOWS
	s := screening.NewSessionFor(c, screening.ForCheckin, nil)
	set(t, s, ago("checkin_use", "last_dose", 48))
	if st, ok := s.Next(key("checkin_use", "last_dose"), now); !ok || st.Key() != key("sows", "1") {
		t.Errorf("after a last dose 2 days ago: next %s (%v), want sows/1", st.Key(), ok)
	}
	if st, _ := s.Step(key("checkin_use", "last_dose"), now); st.N != 1 || st.Of != 1 {
		t.Errorf("last dose is question %d of %d, want 1 of 1", st.N, st.Of)
	}
}
