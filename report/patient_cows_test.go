package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"intakekiosk/trend"
)

// The clinicians' COWS ratings are charted beside the SOWS on a scale of
// their own (0-48, at the right, labelled), under a taper plan by day of
// the plan and without one by day since the last dose reported before
// each; a rating with no dose before it is named as not plotted.
func TestPatientCOWS(t *testing.T) {
	at := func(day int, hour float64) time.Time {
		return taperStart.AddDate(0, 0, day).Add(time.Duration(hour * float64(time.Hour)))
	}
	cows := []trend.Rating{{At: at(3, 10), Total: 31}, {At: at(0, 10), Total: 13}, {At: at(6, 11), Total: 7}}
	for _, tc := range []struct {
		name string
		plan bool
	}{{"taper", true}, {"since the last dose", false}} {
		t.Run(tc.name, func(t *testing.T) {
			in := taperInput()
			if !tc.plan {
				in.Plan, in.Flags = nil, trend.Flags(in.Points, nil, taperMade, zone)
			}
			in.COWS = append(append([]trend.Rating(nil), cows...), trend.Rating{At: taperStart.AddDate(0, 0, -3), Total: 40})
			in.Doses = trend.DosesOf(in.Points)
			pdf := renderPatient(t, in)
			pages := pdfPages(t, pdf)
			one := flat(pages[0])
			for _, s := range []string{"COWS, the clinician's (0-48, right)", "SOWS, the patient's (0-64, left)", "31", "13"} {
				if !strings.Contains(one, s) {
					t.Errorf("page one lacks %q", s)
				}
			}
			// the one rated before the first dose the patient reported,
			// or before the plan, has no place
			why := "1 COWS rating has no last dose reported before it"
			title := "Withdrawal: SOWS (0-64) and COWS (0-48) by day since the last dose"
			if tc.plan {
				why, title = "1 COWS rating has a time before the plan's start", "Withdrawal: SOWS (0-64) and COWS (0-48) by day of the taper plan"
			}
			if !strings.Contains(one, title) {
				t.Errorf("page one lacks the title %q", title)
			}
			if !strings.Contains(one, why) {
				t.Errorf("the unplaced rating is not named: %q", one)
			}
			if os.Getenv("KIOSK_KEEP_PDF") != "" {
				_ = os.WriteFile(filepath.Join(os.Getenv("KIOSK_KEEP_PDF"), strings.ReplaceAll(tc.name, " ", "_")+".pdf"), pdf, 0o600)
			}
		})
	}
}
