package screening_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"intakekiosk/internal/testkit"
	"intakekiosk/screening"
)

func TestBuiltinInstruments(t *testing.T) {
	c := testkit.Catalog(t)
	var ids []string
	for _, in := range c.Instruments() {
		ids = append(ids, in.ID)
	}
	// By order, then id: checkin_day and phq9 share order 30.
	want := []string{"checkin_use", "kratom", "sows", "checkin_day", "phq9", "checkin_safety", "gad7", "bam", "dast10", "auditc", "cows"}
	if !slices.Equal(ids, want) {
		t.Fatalf("instruments in order %v, want %v", ids, want)
	}
	tests := []struct {
		id              string
		items           int
		min, max        int
		panel, total    string
		clinicOwn       bool
		attributionHas  []string
		licenceHas      string
		conventionHas   string
		allowDeclineAll bool
		noTotal         bool // scored in subscores only
		screening       bool // asked at the first visit
		staff           bool // rated by staff at the desk
		checkin         bool // asked at a daily check-in
	}{
		{id: "checkin_use", items: 3, clinicOwn: true, attributionHas: []string{"clinic's own", "not a validated instrument"}, allowDeclineAll: true, checkin: true},
		{id: "kratom", items: 16, clinicOwn: true, attributionHas: []string{"clinic's own", "not a validated instrument"}, allowDeclineAll: true, screening: true},
		{id: "sows", items: 16, max: 64, attributionHas: []string{"Handelsman L", "Am J Drug Alcohol Abuse 1987;13:293-308"}, conventionHas: "convention", allowDeclineAll: true, screening: true, checkin: true},
		{id: "checkin_day", items: 7, clinicOwn: true, attributionHas: []string{"clinic's own", "not a validated instrument"}, allowDeclineAll: true, checkin: true},
		{id: "phq9", items: 10, max: 27, panel: "44249-1", total: "44261-6", attributionHas: []string{"Kroenke", "Pfizer"}, licenceHas: "No permission required", allowDeclineAll: true, screening: true},
		{id: "checkin_safety", items: 2, attributionHas: []string{"Columbia", "C-SSRS", "since last contact", "Unverified"}, licenceHas: "Columbia Lighthouse", allowDeclineAll: true, checkin: true},
		{id: "gad7", items: 8, max: 21, panel: "69737-5", total: "70274-6", attributionHas: []string{"Spitzer", "Pfizer"}, licenceHas: "No permission required", allowDeclineAll: true, screening: true},
		// 17 questions, item 7 as its seven drugs (7A-7G); no total, asked only where the clinic's schedule names it
		{id: "bam", items: 23, attributionHas: []string{"Cacciola JS", "J Subst Abuse Treat 2013;44(3):256-263", "VISN 4", "Unverified"}, licenceHas: "Public domain", conventionHas: "no total", allowDeclineAll: true, noTotal: true},
		{id: "dast10", items: 10, max: 10, panel: "82666-9", total: "82667-7", attributionHas: []string{"Skinner"}, licenceHas: "Centre for Addiction and Mental Health", allowDeclineAll: true, screening: true},
		{id: "cows", items: 11, max: 48, attributionHas: []string{"Wesson DR, Ling W", "J Psychoactive Drugs 2003;35(2):253-9", "NIDA", "never asked of the patient", "Unverified"}, licenceHas: "free to use", conventionHas: "convention", staff: true},
		{id: "auditc", items: 3, max: 12, panel: "72109-2", total: "75626-2", attributionHas: []string{"World Health Organization", "Bush K"}, licenceHas: "World Health Organization", allowDeclineAll: true, screening: true},
	}
	if len(tests) != len(want) {
		t.Errorf("%d instruments described, %d built in", len(tests), len(want))
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			in := instrument(t, c, tt.id)
			if len(in.Items) != tt.items {
				t.Errorf("%d items, want %d", len(in.Items), tt.items)
			}
			if got := in.AskedAt(screening.ForScreening); got != tt.screening {
				t.Errorf("asked at screening %v, want %v (for %q)", got, tt.screening, in.For)
			}
			if got := in.AskedAt(screening.ForCheckin); got != tt.checkin {
				t.Errorf("asked at check-in %v, want %v (for %q)", got, tt.checkin, in.For)
			}
			if got := in.RatedByStaff(); got != tt.staff {
				t.Errorf("rated by staff %v, want %v (for %q)", got, tt.staff, in.For)
			}
			if in.ClinicOwn != tt.clinicOwn {
				t.Errorf("clinic_own %v, want %v", in.ClinicOwn, tt.clinicOwn)
			}
			if tt.noTotal != (in.Scoring != nil && in.Scoring.NoTotal) {
				t.Errorf("no_total %v, want %v", !tt.noTotal, tt.noTotal)
			}
			if tt.max == 0 && in.Scoring != nil && !tt.noTotal {
				t.Errorf("unexpected scoring block")
			}
			if tt.max > 0 && (in.Scoring == nil || in.Scoring.Min != tt.min || in.Scoring.Max != tt.max) {
				t.Errorf("scoring %+v, want %d-%d", in.Scoring, tt.min, tt.max)
			}
			if in.LOINC.Panel != tt.panel || in.LOINC.Total != tt.total {
				t.Errorf("LOINC %+v, want panel %q total %q", in.LOINC, tt.panel, tt.total)
			}
			for _, s := range tt.attributionHas {
				if !strings.Contains(in.Attribution, s) {
					t.Errorf("attribution %q lacks %q", in.Attribution, s)
				}
			}
			if !strings.Contains(in.Licence, tt.licenceHas) {
				t.Errorf("licence %q lacks %q", in.Licence, tt.licenceHas)
			}
			if tt.conventionHas != "" && !strings.Contains(in.Scoring.Convention, tt.conventionHas) {
				t.Errorf("convention %q lacks %q", in.Scoring.Convention, tt.conventionHas)
			}
			for i := range in.Items {
				if in.CanDecline(&in.Items[i]) != tt.allowDeclineAll {
					t.Errorf("item %s: CanDecline %v", in.Items[i].ID, !tt.allowDeclineAll)
				}
			}
		})
	}
}

// Options go on full-width touchscreen buttons: keep labels short.
func TestOptionLabelsFitButtons(t *testing.T) {
	for _, in := range testkit.Catalog(t).Instruments() {
		if in.RatedByStaff() {
			continue // rated at a desk, never a patient's touchscreen button
		}
		for _, it := range in.Items {
			for _, o := range it.Options {
				if n := len([]rune(o.Label["en"])); n > 45 {
					t.Errorf("%s/%s option %s: label %q is %d characters", in.ID, it.ID, o.Value, o.Label["en"], n)
				}
			}
		}
	}
}

// The validated scales are only valid as published: spot-check the wording
// and the LOINC codes against CLINICAL.md.
func TestPublishedWordingAndCodes(t *testing.T) {
	c := testkit.Catalog(t)
	items := []struct {
		inst, item, text, loinc string
	}{
		{"phq9", "1", "Little interest or pleasure in doing things", "44250-9"},
		{"phq9", "2", "Feeling down, depressed, or hopeless", "44255-8"},
		{"phq9", "3", "Trouble falling or staying asleep, or sleeping too much", "44259-0"},
		{"phq9", "4", "Feeling tired or having little energy", "44254-1"},
		{"phq9", "5", "Poor appetite or overeating", "44251-7"},
		{"phq9", "6", "Feeling bad about yourself — or that you are a failure or have let yourself or your family down", "44258-2"},
		{"phq9", "7", "Trouble concentrating on things, such as reading the newspaper or watching television", "44252-5"},
		{"phq9", "8", "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual", "44253-3"},
		{"phq9", "9", "Thoughts that you would be better off dead or of hurting yourself in some way", "44260-8"},
		{"phq9", "10", "If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?", "69722-7"},
		{"gad7", "1", "Feeling nervous, anxious, or on edge", "69725-0"},
		{"gad7", "2", "Not being able to stop or control worrying", "68509-9"},
		{"gad7", "3", "Worrying too much about different things", "69733-4"},
		{"gad7", "4", "Trouble relaxing", "69734-2"},
		{"gad7", "5", "Being so restless that it is hard to sit still", "69735-9"},
		{"gad7", "6", "Becoming easily annoyed or irritable", "69689-8"},
		{"gad7", "7", "Feeling afraid, as if something awful might happen", "69736-7"},
		// the published form's unscored question; LOINC's GAD-7 panel has no code for it
		{"gad7", "8", "If you checked off any problems, how difficult have these made it for you to do your work, take care of things at home, or get along with other people?", ""},
		{"auditc", "1", "How often do you have a drink containing alcohol?", "68518-0"},
		{"auditc", "2", "How many drinks containing alcohol do you have on a typical day when you are drinking?", "68519-8"},
		{"auditc", "3", "How often do you have six or more drinks on one occasion?", "68520-6"},
		{"dast10", "3", "Are you always able to stop using drugs when you want to?", ""},
		{"sows", "1", "I feel anxious", ""},
		{"sows", "10", "My bones and muscles ache", ""},
		{"sows", "16", "I feel like using now", ""},
	}
	for _, tt := range items {
		in := instrument(t, c, tt.inst)
		it, ok := in.Item(tt.item)
		if !ok {
			t.Errorf("%s: no item %s", tt.inst, tt.item)
			continue
		}
		if it.Text["en"] != tt.text {
			t.Errorf("%s/%s text %q, want %q", tt.inst, tt.item, it.Text["en"], tt.text)
		}
		if it.LOINC != tt.loinc {
			t.Errorf("%s/%s LOINC %q, want %q", tt.inst, tt.item, it.LOINC, tt.loinc)
		}
	}
	intros := map[string]string{
		"phq9":   "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
		"gad7":   "Over the last 2 weeks, how often have you been bothered by the following problems?",
		"auditc": "Think about the past year.",
		// the line above the DAST's questions, and the clinic's kratom
		// sentence (issue 12)
		"dast10": "These questions refer to the past 12 months. Kratom counts as a drug here.",
	}
	wantEach(t, c, "intro", intros, func(in *screening.Instrument) string { return in.Intro["en"] })
	// the DAST-10's published instructions, with its classes of drugs
	dast := instrument(t, c, "dast10").Instructions["en"]
	for _, s := range []string{
		"The following questions concern information about your possible involvement with drugs not including alcoholic beverages during the past 12 months.",
		"The various classes of drugs may include cannabis (marijuana, hashish), solvents (e.g., paint thinner), tranquilizers (e.g., Valium), barbiturates, cocaine, stimulants (e.g., speed), hallucinogens (e.g., LSD) or narcotics (e.g., heroin).",
		"Remember that the questions do not include alcoholic beverages.",
	} {
		if !strings.Contains(dast, s) {
			t.Errorf("the DAST-10's instructions %q lack %q", dast, s)
		}
	}
	for _, id := range []string{"phq9", "gad7"} {
		it, _ := instrument(t, c, id).Item("1")
		var got []string
		for _, o := range it.Options {
			got = append(got, o.Label["en"]+"="+o.LOINC)
		}
		want := []string{"Not at all=LA6568-5", "Several days=LA6569-3", "More than half the days=LA6570-1", "Nearly every day=LA6571-9"}
		if !slices.Equal(got, want) {
			t.Errorf("%s options %v, want %v", id, got, want)
		}
	}
	// PHQ-9's difficulty question (69722-7), its LOINC answer list
	// LL359-1 as CLINICAL.md gives it
	it10, _ := instrument(t, c, "phq9").Item("10")
	var difficulty []string
	for _, o := range it10.Options {
		difficulty = append(difficulty, o.Label["en"]+"="+o.LOINC)
	}
	if want := []string{"Not difficult at all=LA6572-7", "Somewhat difficult=LA6573-5", "Very difficult=LA6575-0", "Extremely difficult=LA6574-3"}; !slices.Equal(difficulty, want) {
		t.Errorf("phq9 item 10 options %v, want %v", difficulty, want)
	}
	var sows []string
	for _, it := range instrument(t, c, "sows").Items {
		sows = append(sows, it.Text["en"])
	}
	// Handelsman 1987 as reproduced in clinical guidance, "using" for
	// "shooting up" (kratom), "goose flesh" glossed for plain reading.
	wantSOWS := []string{"I feel anxious", "I feel like yawning", "I am perspiring", "My eyes are tearing", "My nose is running",
		"I have goose flesh (goosebumps)", "I am shaking", "I have hot flashes", "I have cold flashes", "My bones and muscles ache",
		"I feel restless", "I feel nauseous", "I feel like vomiting", "My muscles twitch", "I have cramps in my stomach", "I feel like using now"}
	if !slices.Equal(sows, wantSOWS) {
		t.Errorf("SOWS items %q", sows)
	}
}

// Every kratom flag is a red flag for the clinician, none is urgent, and
// the two cut-offs without a standard say they are a convention.
func TestKratomFlagDefinitions(t *testing.T) {
	in := instrument(t, testkit.Catalog(t), "kratom")
	for _, f := range in.Flags {
		if !f.RedFlag || f.Urgent || f.Crisis {
			t.Errorf("flag %s: red_flag %v urgent %v crisis %v", f.ID, f.RedFlag, f.Urgent, f.Crisis)
		}
		if (f.ID == "many_doses" || f.ID == "high_amount") && !strings.Contains(f.Label["en"], "convention") {
			t.Errorf("flag %s label %q does not say it is a convention", f.ID, f.Label["en"])
		}
	}
}

// The answer codes as LOINC publishes them (README, "Codes"): every
// answer of a LOINC panel leaves the kiosk as its LOINC answer code,
// displayed as LOINC words it.
func TestPublishedAnswerCodes(t *testing.T) {
	c := testkit.Catalog(t)
	difficulty := []string{"Not difficult at all=LA6572-7", "Somewhat difficult=LA6573-5", "Very difficult=LA6575-0", "Extremely difficult=LA6574-3"}
	tests := []struct {
		inst, item string
		want       []string // LOINC's answer text=code
	}{
		{"phq9", "10", difficulty},
		{"gad7", "8", difficulty},
		{"auditc", "1", []string{"Never=LA6270-8", "Monthly or less=LA18926-8", "2-4 times a month=LA18927-6", "2-3 times a week=LA18928-4", "4 or more times a week=LA18929-2"}},
		{"auditc", "2", []string{"1 or 2=LA15694-5", "3 or 4=LA15695-2", "5 or 6=LA18930-0", "7 to 9=LA18931-8", "10 or more=LA18932-6"}},
		{"auditc", "3", []string{"Never=LA6270-8", "Less than monthly=LA18933-4", "Monthly=LA18876-5", "Weekly=LA18891-4", "Daily or almost daily=LA18934-2"}},
		{"dast10", "1", []string{"Yes=LA33-6", "No=LA32-8"}},
	}
	for _, tt := range tests {
		it, ok := instrument(t, c, tt.inst).Item(tt.item)
		if !ok {
			t.Fatalf("%s: no item %s", tt.inst, tt.item)
		}
		var got []string
		for _, o := range it.Options {
			text := o.LOINCDisplay
			if text == "" {
				text = o.Label["en"]
			}
			got = append(got, text+"="+o.LOINC)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s/%s answers %v, want %v", tt.inst, tt.item, got, tt.want)
		}
	}
	// every answer of a LOINC panel has its code (the loader requires it)
	for _, in := range c.Instruments() {
		if in.LOINC.Panel == "" {
			continue
		}
		for _, it := range in.Items {
			for _, o := range it.Options {
				if o.LOINC == "" {
					t.Errorf("%s/%s option %s has no LOINC answer code", in.ID, it.ID, o.Value)
				}
			}
		}
	}
}

// The score codes and their long common names, and the coded bands.
func TestScoreCodes(t *testing.T) {
	c := testkit.Catalog(t)
	names := map[string]string{
		"phq9":   "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
		"gad7":   "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
		"auditc": "Total score [AUDIT-C]",
		"dast10": "Total score [DAST-10]",
	}
	wantEach(t, c, "total display", names, func(in *screening.Instrument) string { return in.LOINC.TotalDisplay })
	// every code of a built-in instrument carries LOINC's name
	for _, in := range c.Instruments() {
		if (in.LOINC.Panel != "") != (in.LOINC.PanelDisplay != "") || (in.LOINC.Total != "") != (in.LOINC.TotalDisplay != "") {
			t.Errorf("%s: LOINC %+v", in.ID, in.LOINC)
		}
	}
	phq := instrument(t, c, "phq9")
	phq2 := phq.Scoring.Subscores[0]
	if phq2.ID != "phq2" || phq2.LOINC.Panel != "55757-9" || phq2.LOINC.Total != "55758-7" ||
		phq2.LOINC.TotalDisplay != "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]" || !slices.Equal(phq2.Items, []string{"1", "2"}) {
		t.Errorf("PHQ-2 %+v", phq2)
	}
	var bands []string
	for _, b := range phq.Scoring.Bands {
		bands = append(bands, fmt.Sprintf("%d-%d %s %s %s", b.Min, b.Max, b.Code, b.LOINC, b.LOINCDisplay))
	}
	want := []string{"0-4 minimal LA6708-7 0-4 = None", "5-9 mild LA6709-5 5-9 = Mild depression", "10-14 moderate LA6710-3 10-14 = Moderate depression",
		"15-19 moderately_severe LA6711-1 15-19 = Moderately severe depression", "20-27 severe LA6712-9 20-27 = Severe depression"}
	if !slices.Equal(bands, want) {
		t.Errorf("PHQ-9 bands %q, want %q", bands, want)
	}
	// a screen's bands are HL7's NEG and POS
	screens := append([]screening.Band{}, phq2.Bands...)
	for _, bs := range instrument(t, c, "auditc").Scoring.BandSets {
		screens = append(screens, bs.Bands...)
	}
	for _, b := range screens {
		if want := map[int]string{0: "NEG", 2: "POS"}[b.Level]; b.Interpretation != want {
			t.Errorf("band %q: interpretation %q, want %q", b.Label["en"], b.Interpretation, want)
		}
	}
	// every band of a built-in instrument is coded
	for _, in := range c.Instruments() {
		if in.Scoring == nil {
			continue
		}
		all := append([]screening.Band{}, in.Scoring.Bands...)
		for _, bs := range in.Scoring.BandSets {
			all = append(all, bs.Bands...)
		}
		for _, sub := range in.Scoring.Subscores {
			all = append(all, sub.Bands...)
		}
		for _, b := range all {
			if b.Code == "" {
				t.Errorf("%s band %q has no code", in.ID, b.Label["en"])
			}
		}
	}
}

// wantEach checks one text of each instrument named.
func wantEach(t *testing.T, c *screening.Catalog, what string, want map[string]string, get func(*screening.Instrument) string) {
	t.Helper()
	for id, w := range want {
		if got := get(instrument(t, c, id)); got != w {
			t.Errorf("%s %s %q, want %q", id, what, got, w)
		}
	}
}
