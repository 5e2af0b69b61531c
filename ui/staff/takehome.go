package staff

import (
	"bytes"
	"context"
	"io"

	"intakekiosk"
)

// takeHomeText holds the words of the take-home sheet's button, from the
// catalog's staff.takehome.* keys.
var takeHomeText = staffWords[struct{ Button, Title, NoPrinter string }]("takehome")

// canTakeHome says whether the session view offers the take-home sheet:
// a finished session, and a sheet to print.
func (v *sessionView) canTakeHome() bool {
	_, ok := v.k.Config().TakeHome.Sheet("en")
	return ok && v.detail.Session.Status != intakekiosk.InProgress
}

// printTakeHome prints the session's take-home sheet, in the patient's
// language, and puts the print on record. Its print job's title names no
// one.
func (v *sessionView) printTakeHome() {
	k := v.k
	if k.on == nil || !v.canTakeHome() {
		return
	}
	d, staff, loc, clinic, set := v.detail, k.on.desk, k.Location(), k.Config().Settings.ClinicName, k.Config().TakeHome
	v.printDoc(printJob{title: takeHomeText.Title,
		draw: func(w io.Writer) error {
			pdf, err := staff.TakeHome(context.Background(), d, set, clinic, loc)
			if err == nil {
				_, err = io.Copy(w, bytes.NewReader(pdf))
			}
			clear(pdf)
			return err
		},
		record:    func() error { return staff.TakeHomePrinted(context.Background(), d.Session.ID, "printed") },
		noPrinter: takeHomeText.NoPrinter})
}
