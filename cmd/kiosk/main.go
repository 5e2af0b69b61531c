// Command kiosk is the intake kiosk's touchscreen GUI: it opens the
// database, loads the instruments and starts the patient flow.
//
//	kiosk [--db PATH] [--fullscreen | --station] [--demo] [--theme light|dark]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"intakekiosk/assets"
	"intakekiosk/chime"
	"intakekiosk/consent"
	"intakekiosk/demo"
	"intakekiosk/hub"
	"intakekiosk/i18n"
	"intakekiosk/printer"
	"intakekiosk/screening"
	"intakekiosk/speech"
	"intakekiosk/sqlite"
	"intakekiosk/takehome"
	"intakekiosk/ui"
	"intakekiosk/ui/patient"
	"intakekiosk/ui/staff"
	"intakekiosk/ui/touch"
)

func main() {
	start := time.Now()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "kiosk:", err)
		}
		os.Exit(2)
	}
	a := app.NewWithID("org.intakekiosk.kiosk")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon()))
	if err := run(a, start, log, o); err != nil {
		fmt.Fprintln(os.Stderr, "kiosk:", err)
		showFatal(a, err)
		os.Exit(1)
	}
}

// showFatal shows why the kiosk cannot start in a window of its own: on a
// kiosk nobody reads the terminal.
func showFatal(a fyne.App, err error) {
	a.Settings().SetTheme(&touch.Theme{})
	w := a.NewWindow("Intake Kiosk cannot start")
	msg := widget.NewLabel("The kiosk cannot start:\n\n" + err.Error() + "\n\nNo data was changed. Please tell the clinic's IT contact.")
	msg.Wrapping = fyne.TextWrapWord
	w.SetContent(container.NewBorder(nil, container.NewCenter(widget.NewButton("Close", a.Quit)), nil, nil, msg))
	w.Resize(fyne.NewSize(720, 360))
	w.ShowAndRun()
}

type options struct {
	db         string
	fullscreen bool
	demo       bool
	theme      string
	// station runs the program as a counselor's desk station: a normal
	// window, the pointer, staff sign-in first (ui.Config.Station)
	station bool
	// bench is what the benchmark flags ask for; always nil in the
	// product binary
	bench *bench
}

// bench is what the benchmark tooling asks of a run. The tooling (a frame
// probe, a bare window, the soak) is built only into the bench binary
// (go build -tags kioskbench: bench.go, soak.go; scripts/window-bench.sh
// measures with it); the kiosk a clinic runs carries none of it.
type bench struct {
	// window, if set, shows a window of the bench's own instead of the
	// kiosk, and returns when it closes.
	window func(a fyne.App, start time.Time, log *slog.Logger) error
	// kiosk, if set, is called with the kiosk's window and configuration
	// before the kiosk is built, and may change them; what it returns is
	// called with the built kiosk, before the window shows.
	kiosk func(a fyne.App, w fyne.Window, cfg *ui.Config, start time.Time, log *slog.Logger) func(*ui.Kiosk)
}

// benchFlags is the one seam between the kiosk and its benchmark tooling:
// it adds the benchmark flags to fl and returns what reads them, once
// parsed, into the run's bench (nil: none). The product's adds no flag
// and asks for nothing; the bench binary's bench.go replaces it in its
// init, before main runs, and nothing changes it after.
var benchFlags = func(fl *flag.FlagSet) func(options) (*bench, error) {
	return func(options) (*bench, error) { return nil, nil }
}

func parseFlags(args []string) (options, error) {
	var o options
	fl := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fl.StringVar(&o.db, "db", "", "database file (default: intake-kiosk/kiosk.db in the user's data folder)")
	fl.BoolVar(&o.fullscreen, "fullscreen", false, "run as a kiosk: full screen, no pointer, closed only by signed-in staff")
	fl.BoolVar(&o.station, "station", false, "run as a counselor's desk station: a normal window, staff sign-in, no patient screens")
	fl.BoolVar(&o.demo, "demo", false, "use a throwaway database, deleted on exit")
	fl.StringVar(&o.theme, "theme", "", "light, dark or high-contrast (default: follow the system)")
	readBench := benchFlags(fl)
	if err := fl.Parse(args); err != nil {
		return o, err
	}
	if fl.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fl.Arg(0))
	}
	if o.station && o.fullscreen {
		return o, errors.New("--station is a desk's window: not with --fullscreen")
	}
	if o.theme != "" && o.theme != "light" && o.theme != "dark" && o.theme != "high-contrast" {
		return o, fmt.Errorf("--theme must be light, dark or high-contrast, not %q", o.theme)
	}
	var err error
	o.bench, err = readBench(o)
	return o, err
}

// memoryLimit is the Go heap's soft limit: the kiosk's live heap is about
// 30 MB (mostly parsed fonts), and a kiosk runs for weeks, so the runtime
// collects and returns memory well before the default GOGC pacing would
// (GOMEMLIMIT overrides it).
const memoryLimit = 48 << 20

// run starts the kiosk in the app a with the parsed options and returns
// when it closes, or at once with why it cannot start.
func run(a fyne.App, start time.Time, log *slog.Logger, o options) error {
	var err error
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	if o.bench != nil && o.bench.window != nil {
		return o.bench.window(a, start, log)
	}
	ctx := context.Background()
	path := o.db
	switch {
	case o.demo:
		dir, err := os.MkdirTemp("", "intake-kiosk-demo-")
		if err != nil {
			return fmt.Errorf("demo database: %w", err)
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "kiosk.db")
	case path == "":
		if path, err = sqlite.DefaultPath(); err != nil {
			return err
		}
	}
	opts := sqlite.Options{Exclusive: true}
	if o.demo {
		opts.WorkFactor = demoWorkFactor
	}
	st, err := sqlite.Open(ctx, path, opts)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, w := range st.Warnings() {
		log.Warn("database", "warning", w.Error())
	}
	var demoCodes []demo.Returning
	if o.demo {
		if demoCodes, err = setUpDemo(ctx, st, log); err != nil {
			return err
		}
	}
	if n, err := st.RecoverInterrupted(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("sessions cut off earlier are on record as incomplete", "count", n)
	}
	settings, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	cat := loadInstruments(path, log)
	if len(cat.Instruments()) == 0 {
		return errors.New("no valid instrument to ask: see the errors above")
	}

	w := a.NewWindow(settings.ClinicName)
	w.SetPadded(false) // the screens pad themselves; the idle shade reaches the edges
	cfg := ui.Config{
		Catalog:   cat,
		Consents:  loadConsents(path, log),
		TakeHome:  loadTakeHome(path, log),
		Store:     st,
		Staff:     st,
		Patient:   patient.New,
		Staffing:  staff.New,
		Settings:  settings,
		Location:  settings.Location,
		Now:       time.Now,
		NewID:     func() (string, error) { id, err := uuid.NewV7(); return id.String(), err },
		KioskMode: o.fullscreen,
		Station:   o.station,
		Quit:      a.Quit,
		Log:       log,
	}
	if o.demo {
		cfg.Notice = fmt.Sprintf("Demo: test data only, deleted on exit. Staff: hold the logo 3 s, name %q, passphrase %q.", demoStaff, demoPassphrase)
		if len(demoCodes) > 0 {
			// a synthetic patient's code, to try the daily check-in
			born := demoCodes[0].Birth
			if d, err := time.Parse(time.DateOnly, born); err == nil {
				born = d.Format("1/2/2006")
			}
			cfg.Notice += fmt.Sprintf(" Check-in code to try: %s, born %s.", sqlite.GroupCode(demoCodes[0].Code), born)
		}
	}
	if !st.IsSetUp() {
		cfg.Setup = func(admin, passphrase string) (string, error) {
			return st.SetUp(ctx, admin, passphrase, time.Now())
		}
	}
	cfg.Print = func(title string, doc io.Reader) error {
		// a print system that hangs must not hold the button for ever
		pctx, cancel := context.WithTimeout(ctx, printTimeout)
		defer cancel()
		_, err := printer.Printer{Name: settings.Printer}.Print(pctx, title, doc)
		return err
	}
	cfg.Folders = saveFolders
	// what a crash during a save left on a stick or in Documents goes
	// (off the window's start: a USB drive can be slow)
	go sweepFolders(saveFolders(), log)
	if pl, err := chime.Find(settings.AlertSound, nil); err == nil {
		cfg.Alert = pl.Play
	} else {
		log.Info("no sound to call staff: the crisis screen asks the patient to tell staff", "err", err)
	}
	if sp, err := speech.New(); err == nil {
		cfg.Speaker = sp
	} else {
		log.Info("no speech engine: the speaker button is hidden", "err", err)
	}
	sync := network(path, st, log)
	// the privacy notice says where answers go once the kiosk has joined
	cfg.Networked = sync != nil
	var built func(*ui.Kiosk)
	if o.bench != nil && o.bench.kiosk != nil {
		built = o.bench.kiosk(a, w, &cfg, start, log)
	}
	k := ui.New(w, cfg)
	if built != nil {
		built(k)
	}
	if sync != nil {
		// every answer is already durable here: the network only carries
		// it on, in the background, and stops with the kiosk
		// (what another node sent shows at once: the queue, an alert, the
		// answer to this kiosk's call)
		sync.Pulled = func(p hub.Pulled) { k.Changed(p.Sessions...) }
		nctx, stop := context.WithCancel(ctx)
		defer stop()
		go sync.Run(nctx)
	}
	applyTheme(a, o.theme)
	if o.fullscreen {
		w.SetFullScreen(true)
		w.SetCloseIntercept(func() { log.Info("window close ignored: staff close the kiosk from staff mode") })
	} else {
		w.Resize(fyne.NewSize(1280, 800))
	}
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for range tick.C {
			fyne.Do(k.Tick)
		}
	}()
	if settings.Retention > 0 {
		go keepRetention(ctx, st, settings.Retention, log)
	}
	w.ShowAndRun()
	return nil
}

// printTimeout is how long a print job may take to reach the print
// system.
const printTimeout = time.Minute

// The demo's staff account, shown in the log and the README. The demo
// database is thrown away on exit, so its key is wrapped with a low work
// factor to start at once.
const (
	demoStaff      = "demo"
	demoPassphrase = "demo passphrase"
	demoWorkFactor = 12
)

// setUpDemo names the demo clinic and makes its staff account.
func setUpDemo(ctx context.Context, st *sqlite.Store, log *slog.Logger) ([]demo.Returning, error) {
	if _, err := st.SetUp(ctx, demoStaff, demoPassphrase, time.Now()); err != nil {
		return nil, err
	}
	if err := st.SetSetting(ctx, "clinic_name", "Demo Clinic", demoStaff, time.Now()); err != nil {
		return nil, err
	}
	if err := st.SetSetting(ctx, "fhir_base", demo.FHIRBase, demoStaff, time.Now()); err != nil {
		return nil, err
	}
	log.Info("demo database: staff account", "name", demoStaff, "passphrase", demoPassphrase)
	// synthetic patients for the staff side, the same every run
	cat, errs := screening.Load(screening.Source{Name: "built-in", FS: assets.Instruments()})
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	key, _, err := st.Unlock(ctx, demoStaff, demoPassphrase, time.Now())
	if err != nil {
		return nil, err
	}
	g := demo.Generator{Catalog: cat, Rand: rand.New(rand.NewPCG(2026, 11))}
	// the synthetic patients signed the built-in consent form
	if set, _ := consent.Load([]string{"en"}, consent.Source{Name: "built-in", FS: assets.Consents()}); set != nil {
		g.Consent, _ = set.Main("en")
	}
	codes, err := demo.Fill(ctx, st, key, g, time.Now(), demoPatients, demoStaff)
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// demoPatients is how many synthetic sessions the demo database holds.
const demoPatients = 36

// keepRetention deletes sessions older than the retention setting, at
// start and then daily.
func keepRetention(ctx context.Context, st *sqlite.Store, keep time.Duration, log *slog.Logger) {
	for {
		now := time.Now()
		n, err := st.Purge(ctx, now.Add(-keep), "kiosk (retention setting)", now)
		if err != nil {
			log.Error("retention purge failed", "err", err)
		} else if n > 0 {
			log.Info("retention purge", "sessions_deleted", n)
		}
		time.Sleep(24 * time.Hour)
	}
}

// clinicFolder is the clinic's own folder of what (instrument files,
// consent forms, the take-home sheet) beside the database, at dir, when
// there is one; an unreadable one is logged and left out.
func clinicFolder(dir, what string, log *slog.Logger) (fs.FS, bool) {
	fi, err := os.Stat(dir)
	switch {
	case err == nil && fi.IsDir():
		return os.DirFS(dir), true
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		log.Warn("clinic "+what+" folder unreadable", "folder", dir, "err", err)
	}
	return nil, false
}

// loadInstruments loads the built-in instruments and the clinic's folder
// beside the database; a bad file is reported and left out.
func loadInstruments(dbPath string, log *slog.Logger) *screening.Catalog {
	sources := []screening.Source{{Name: "built-in", FS: assets.Instruments()}}
	dir := sqlite.InstrumentDir(dbPath)
	if fsys, ok := clinicFolder(dir, "instrument", log); ok {
		sources = append(sources, screening.Source{Name: dir, FS: fsys})
	}
	cat, errs := screening.Load(sources...)
	for _, err := range errs {
		log.Error("instrument file rejected", "err", err)
	}
	return cat
}

// languages are the languages the kiosk offers: its catalog's (nil when
// the catalog does not load, logged).
func languages(log *slog.Logger) []string {
	msgs, err := i18n.Load(assets.Messages())
	if err != nil {
		log.Error("message catalog", "err", err)
		return nil
	}
	return msgs.Languages()
}

// loadConsents loads the built-in consent forms and the clinic's folder
// beside the database; a bad file is reported and its version left out,
// so the kiosk keeps the last good one.
func loadConsents(dbPath string, log *slog.Logger) *consent.Set {
	sources := []consent.Source{{Name: "built-in", FS: assets.Consents()}}
	dir := sqlite.ConsentDir(dbPath)
	if fsys, ok := clinicFolder(dir, "consent", log); ok {
		sources = append(sources, consent.Source{Name: dir, FS: fsys})
	}
	langs := languages(log)
	if langs == nil {
		return nil
	}
	set, errs := consent.Load(langs, sources...)
	for _, err := range errs {
		log.Error("consent file rejected", "err", err)
	}
	return set
}

// loadTakeHome loads the built-in take-home sheet and the clinic's folder
// beside the database; a bad file is reported and its version left out,
// so the kiosk keeps the last good one.
func loadTakeHome(dbPath string, log *slog.Logger) *takehome.Set {
	sources := []takehome.Source{{Name: "built-in", FS: assets.TakeHome()}}
	dir := sqlite.TakeHomeDir(dbPath)
	if fsys, ok := clinicFolder(dir, "take-home", log); ok {
		sources = append(sources, takehome.Source{Name: dir, FS: fsys})
	}
	langs := languages(log)
	if langs == nil {
		return nil
	}
	set, errs := takehome.Load(langs, sources...)
	for _, err := range errs {
		log.Error("take-home file rejected", "err", err)
	}
	return set
}

// applyTheme sets the kiosk theme once the app has started: a theme that
// extends the default fully applies only then (fyne issue 6056).
func applyTheme(a fyne.App, name string) {
	t := &touch.Theme{}
	switch name {
	case "light":
		v := theme.VariantLight
		t.Variant = &v
	case "dark":
		v := theme.VariantDark
		t.Variant = &v
	case "high-contrast":
		v := theme.VariantLight
		t.Variant, t.HighContrast = &v, true
	}
	a.Settings().SetTheme(t)
	a.Lifecycle().SetOnStarted(func() { a.Settings().SetTheme(t) })
}
