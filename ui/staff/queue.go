package staff

import (
	"context"
	"fmt"
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"intakekiosk"
	"intakekiosk/desk"
	"intakekiosk/review"
	"intakekiosk/sqlite"
	"intakekiosk/summary"
	"intakekiosk/trend"
	"intakekiosk/ui/touch"
)

// queueText holds every word of the review queue, from the
// catalog's staff.queue.* keys.
var queueText = staffWords[struct {
	Today, Days30, All, Search, Count, One, None, NoMatch, Page,
	Opening, Urgent, Attention, Help, RedFlags, RedFlag, Damaged, NotOpened, Failed string
	// where a session stands
	AtKiosk, New, Incomplete, Reviewed, By, StillIncomplete, Printed string
	// the kinds of session
	Screening, Checkin string
	// a screening's consent
	ConsentSigned, ConsentDeclined, ConsentRevoked, ConsentPartly, ConsentNone string
}]("queue")

// queuePage is how many sessions a queue page lists: paging buttons, not
// drag scrolling, on a touchscreen. Alert banners over the queue take the
// room of a row each (queue.per).
const queuePage = 5

// span is the period the queue lists.
type span int

const (
	spanDay span = iota
	span30
	spanAll
)

// queue is the middle of staff mode's home screen: the sessions of a day
// (or the last 30 days, or all), urgent ones still to review pinned at the
// top, a page at a time, and a search within the period.
type queue struct {
	k *mode

	span  span
	day   time.Time // local midnight of the day listed
	query review.Query
	qtext string
	all   []review.Row // the period's sessions, in queue order
	shown []review.Row // after the search
	page  int
	// per is how many rows a page lists now: queuePage less the room the
	// alert banners take
	per int
	// gen counts the loads: the answer of an older one is dropped
	gen int
	// syncOpen is how many unopened sessions are opened on the Fyne
	// thread; more are opened on other goroutines, with progress shown
	syncOpen int

	obj                    fyne.CanvasObject
	dayLabel, count, state *widget.Label
	// empty says why no row is listed
	empty                  *widget.Label
	prevDay, nextDay       *touch.Button
	today, days30, allDays *touch.Button
	pickDay                *touch.Button
	search, unsearch       *touch.Button
	progress               *widget.ProgressBar
	rows                   []*queueRow
	prev, next             *touch.Button
	pageLabel              *widget.Label
	// pager is the paging row, for the staff home's nav bar
	pager fyne.CanvasObject
}

func newQueue(k *mode) *queue {
	q := &queue{k: k, dayLabel: widget.NewLabel(""), count: widget.NewLabel(""), state: touch.Para(""), empty: touch.Para(""),
		progress: widget.NewProgressBar(), pageLabel: widget.NewLabel(""), syncOpen: syncOpen, per: queuePage}
	q.dayLabel.TextStyle = fyne.TextStyle{Bold: true}
	q.count.Importance = widget.LowImportance
	q.count.Truncation = fyne.TextTruncateEllipsis
	q.empty.Importance = widget.LowImportance
	q.empty.Hide()
	q.pageLabel.Alignment = fyne.TextAlignCenter
	small := func(label string, icon fyne.Resource, tapped func()) *touch.Button {
		return k.Kit().NewButton(label, icon, touch.OptionHeight, tapped)
	}
	q.prevDay = small("", theme.NavigateBackIcon(), func() { q.setDay(q.day.AddDate(0, 0, -1)) })
	q.nextDay = small("", theme.NavigateNextIcon(), func() { q.setDay(q.day.AddDate(0, 0, 1)) })
	q.today = small(queueText.Today, nil, func() { q.setDay(q.localDay(k.Config().Now())) })
	q.days30 = small(queueText.Days30, nil, func() { q.setSpan(span30) })
	q.allDays = small(queueText.All, nil, func() { q.setSpan(spanAll) })
	q.pickDay = small(dayText.Button, theme.CalendarIcon(), k.showDay)
	q.search = small(queueText.Search, theme.SearchIcon(), k.showSearch)
	// the search's text is on the Search button; this clears it
	q.unsearch = small("", theme.ContentClearIcon(), func() { q.setQuery("") })
	q.unsearch.Hide()
	q.progress.Hide()
	q.state.Hide()

	filters := container.NewHBox(q.prevDay, q.dayLabel, q.nextDay, q.today, q.pickDay, q.days30, q.allDays)
	bar := container.NewBorder(nil, nil, filters, container.NewHBox(q.unsearch, q.search), q.count)
	list := container.NewVBox(q.empty)
	for range queuePage {
		r := newQueueRow(q)
		q.rows = append(q.rows, r)
		list.Add(r)
	}
	q.prev = k.Kit().NewButton("", theme.NavigateBackIcon(), touch.OptionHeight, func() { q.turn(-1) })
	q.next = k.Kit().NewButton("", theme.NavigateNextIcon(), touch.OptionHeight, func() { q.turn(1) })
	q.prev.MinWidth, q.next.MinWidth = touch.OptionHeight*1.5, touch.OptionHeight*1.5
	q.pager = container.NewHBox(q.prev, container.NewCenter(q.pageLabel), q.next)
	q.obj = container.NewBorder(container.NewVBox(bar, q.state, q.progress), nil, nil, nil,
		container.NewVBox(list, layout.NewSpacer()))
	return q
}

// localDay is the local midnight of t's day.
func (q *queue) localDay(t time.Time) time.Time { return trend.Day(t, q.k.Location()) }

// start shows today's queue with no search (at unlock).
func (q *queue) start() {
	q.span, q.day, q.query, q.qtext, q.page = spanDay, q.localDay(q.k.Config().Now()), review.Query{}, "", 0
	q.load()
}

// clear forgets every session listed (at lock).
func (q *queue) Clear() {
	q.gen++
	q.all, q.shown, q.query, q.qtext, q.page, q.per = nil, nil, review.Query{}, "", 0, queuePage
	for _, r := range q.rows {
		r.set(review.Row{}, false)
	}
	q.state.SetText("")
	q.state.Hide()
	q.progress.Hide()
	q.search.SetText(queueText.Search)
	q.unsearch.Hide()
	q.count.SetText("")
	q.empty.Hide()
}

// refresh lists the period again as it is kept (its page and search):
// the store changed under it (an alert answered, a pull from the clinic's
// server). A session whose clear row moved (finished, urgent) is opened
// again, for what it holds now; one only answered or printed keeps its
// summary.
func (q *queue) refresh() {
	s := q.k.on
	if s == nil {
		return
	}
	from, to := q.bounds()
	rows, err := s.desk.Index().Range(s.ctx, from, to)
	if err != nil {
		q.fail(err)
		return
	}
	before := map[string]intakekiosk.Session{}
	for _, r := range q.all {
		before[r.Session.ID] = r.Session
	}
	for _, r := range rows {
		if was, ok := before[r.Session.ID]; ok && moved(was, r.Session) {
			s.desk.Index().Forget(r.Session.ID)
		}
	}
	q.load()
}

// moved says whether a session's clear row changed in what its summary
// is made from: its status, its end, its concern.
func moved(was, now intakekiosk.Session) bool {
	return was.Status != now.Status || !was.Ended.Equal(now.Ended) || was.Urgent != now.Urgent || was.Attention != now.Attention
}

func (q *queue) setDay(day time.Time) {
	q.span, q.day, q.page = spanDay, day, 0
	q.load()
}

func (q *queue) setSpan(s span) {
	q.span, q.page = s, 0
	q.load()
}

// setQuery searches the period for text ("" ends the search).
func (q *queue) setQuery(text string) {
	q.qtext = strings.TrimSpace(text)
	q.query = review.ParseQuery(q.qtext)
	q.page = 0
	q.load()
}

// bounds is the period listed, as start times.
func (q *queue) bounds() (from, to time.Time) {
	switch q.span {
	case spanDay:
		return q.day, q.day.AddDate(0, 0, 1)
	case span30:
		return q.localDay(q.k.Config().Now()).AddDate(0, 0, -29), time.Time{}
	}
	return time.Time{}, time.Time{}
}

// syncOpen is how many unsummarized sessions a queue opens on the Fyne
// thread (about 0.3 ms each opened with the clinic key, 20 µs read from
// the summary cache); more are opened on other goroutines, with progress
// shown.
const syncOpen = 40

// load lists the period's sessions and opens what it must: the page shown
// or, for a search, every session of the period (the summaries are kept
// in memory until lock, and sealed in the database's summary cache
// between sign-ins: a session is opened with the clinic key, a key
// unwrap, only when it changed since it was last summarized).
func (q *queue) load() {
	s := q.k.on
	if s == nil {
		return
	}
	q.gen++
	gen := q.gen
	q.showFilters()
	from, to := q.bounds()
	rows, err := s.desk.Index().Range(s.ctx, from, to)
	if err != nil {
		q.fail(err)
		return
	}
	q.all = rows
	need := rows
	if q.query.Empty() {
		end := min(len(rows), (q.page+1)*q.per)
		need = rows[min(q.page*q.per, end):end]
	}
	todo := 0
	for _, r := range need {
		if r.Summary == nil {
			todo++
		}
	}
	staff, period := s.desk, q.period()
	if todo <= q.syncOpen {
		n, err := s.desk.Index().Open(s.ctx, need, nil)
		if aerr := q.audit(staff, n, period); err == nil {
			err = aerr
		}
		if err != nil {
			q.fail(err)
			return
		}
		q.filter()
		return
	}
	// many to open: on other goroutines, with progress
	q.progress.Max = float64(todo)
	q.progress.SetValue(0)
	q.progress.Show()
	q.state.Importance = widget.MediumImportance
	q.state.SetText(fmt.Sprintf(queueText.Opening, 0, todo))
	q.state.Show()
	q.filter()
	idx, ctx := s.desk.Index(), s.ctx
	// the goroutines fill a copy; the rows shown are never written
	// under the Fyne thread
	work := slices.Clone(need)
	q.k.Config().Go(func() {
		n, err := idx.Open(ctx, work, func(done, total int) {
			if done%25 == 0 || done == total {
				fyne.Do(func() {
					if gen == q.gen {
						q.progress.SetValue(float64(done))
						q.state.SetText(fmt.Sprintf(queueText.Opening, done, total))
					}
				})
			}
		})
		fyne.Do(func() {
			// what was opened is audited even when nobody waits for it
			// any more (another period chosen, staff mode locked)
			aerr := q.audit(staff, n, period)
			if gen != q.gen || q.k.on == nil {
				return
			}
			q.progress.Hide()
			q.state.Hide()
			if err == nil {
				err = aerr
			}
			if err != nil {
				q.fail(err)
				return
			}
			q.load() // every summary is known now: lists and searches at once
		})
	})
}

// period says what the queue lists, for the audit log (never the search's
// words).
func (q *queue) period() string {
	from, to := q.bounds()
	var p string
	switch {
	case q.span == spanDay:
		p = from.Format(time.DateOnly)
	case !to.IsZero() || !from.IsZero():
		p = "from " + from.Format(time.DateOnly)
	default:
		p = "all dates"
	}
	if !q.query.Empty() {
		p += ", for a search"
	}
	return p
}

// audit records that the staff member opened n more sessions for the
// queue (their names and scores shown or searched): reading them is an
// access. A failure is returned: what cannot be audited is not shown.
func (q *queue) audit(staff *desk.Staff, n int, period string) error {
	if n == 0 {
		return nil
	}
	detail := fmt.Sprintf("%d sessions opened for the queue, %s", n, period)
	if n == 1 {
		detail = "1 session opened for the queue, " + period
	}
	err := staff.Record(context.Background(), sqlite.ActQueue, "", detail)
	if err != nil {
		q.k.Config().Log.Error("could not audit reading the queue", "err", err)
	}
	return err
}

// fail says the sessions could not be read (no patient data in err: the
// store's errors name ids and files only).
func (q *queue) fail(err error) {
	q.k.Config().Log.Error("could not list sessions", "err", err)
	q.all = nil
	q.filter()
	q.warn(queueText.Failed + err.Error())
}

// warn says something went wrong on the status line, keeping the list
// (a session that would not open, a print that failed).
func (q *queue) warn(msg string) {
	q.state.Importance = widget.DangerImportance
	q.state.SetText(msg)
	q.state.Show()
}

// filter applies the search and shows the page.
func (q *queue) filter() {
	q.shown = q.all
	if !q.query.Empty() {
		q.shown = review.Search(q.all, q.query)
	}
	pages := q.pages()
	q.page = min(q.page, pages-1)
	q.showPage()
}

// pages is how many pages the sessions shown take.
func (q *queue) pages() int { return max(1, (len(q.shown)+q.per-1)/q.per) }

// giveRoom gives the room of n rows to the alert banners over the queue
// (at most all but two), listing the same sessions from the first of
// the page shown.
func (q *queue) giveRoom(n int) {
	per := max(2, queuePage-n)
	if per == q.per {
		return
	}
	first := q.page * q.per
	q.per, q.page = per, first/per
	if q.all != nil {
		q.load()
	}
}

// turn moves a page back or forward.
func (q *queue) turn(by int) {
	pages := q.pages()
	p := min(max(0, q.page+by), pages-1)
	if p == q.page {
		return
	}
	q.page = p
	if q.query.Empty() {
		q.load() // opens the new page's sessions
		return
	}
	q.showPage()
}

// showPage fills the rows of the current page.
func (q *queue) showPage() {
	pages := q.pages()
	start := q.page * q.per
	for i, r := range q.rows {
		if i < q.per && start+i < len(q.shown) {
			r.set(q.shown[start+i], q.span != spanDay)
		} else {
			r.set(review.Row{}, false)
		}
	}
	q.pageLabel.SetText(fmt.Sprintf(queueText.Page, q.page+1, pages))
	touch.Enable(q.prev, q.page > 0)
	touch.Enable(q.next, q.page < pages-1)
	q.empty.Hide()
	switch {
	case len(q.all) == 0:
		q.count.SetText("")
		q.empty.SetText(queueText.None)
		q.empty.Show()
	case len(q.shown) == 0:
		q.count.SetText("")
		q.empty.SetText(queueText.NoMatch)
		q.empty.Show()
	case len(q.shown) == 1:
		q.count.SetText(queueText.One)
	default:
		q.count.SetText(fmt.Sprintf(queueText.Count, len(q.shown)))
	}
}

// showFilters lights the period chosen and shows the search.
func (q *queue) showFilters() {
	now := q.localDay(q.k.Config().Now())
	switch q.span {
	case spanDay:
		label := q.day.Format("Mon, Jan 2, 2006")
		if q.day.Equal(now) {
			label = queueText.Today + ", " + q.day.Format("Jan 2")
		}
		q.dayLabel.SetText(label)
	case span30:
		q.dayLabel.SetText(queueText.Days30)
	case spanAll:
		q.dayLabel.SetText(queueText.All)
	}
	for b, on := range map[*touch.Button]bool{q.today: q.span == spanDay && q.day.Equal(now), q.days30: q.span == span30, q.allDays: q.span == spanAll} {
		if touch.Choose(&b.Importance, on) {
			b.Refresh()
		}
	}
	touch.Enable(q.nextDay, q.span != spanDay || q.day.Before(now))
	if q.qtext == "" {
		q.unsearch.Hide()
		q.search.SetText(queueText.Search)
	} else {
		q.unsearch.Show()
		q.search.SetText("“" + ellipsis(q.qtext, 14) + "”")
	}
}

// queueRow is one session in the queue: a tap opens it.
type queueRow struct {
	widget.BaseWidget
	q      *queue
	row    review.Row
	stripe *canvas.Rectangle
	bg     *canvas.Rectangle
	when   *widget.Label
	name   *widget.Label
	urgent *widget.Label
	facts  *widget.Label
	obj    fyne.CanvasObject
}

func newQueueRow(q *queue) *queueRow {
	r := &queueRow{q: q, stripe: canvas.NewRectangle(color.Transparent), bg: canvas.NewRectangle(color.Transparent),
		when: widget.NewLabel(""), name: widget.NewLabel(""), urgent: widget.NewLabel(queueText.Urgent), facts: widget.NewLabel("")}
	r.stripe.SetMinSize(fyne.NewSize(10, 0))
	r.when.TextStyle = fyne.TextStyle{Bold: true}
	r.name.TextStyle = fyne.TextStyle{Bold: true}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.urgent.TextStyle = fyne.TextStyle{Bold: true}
	r.urgent.Importance = widget.DangerImportance
	r.facts.Truncation = fyne.TextTruncateEllipsis
	r.facts.SizeName = theme.SizeNameCaptionText
	top := container.NewBorder(nil, nil, container.NewHBox(r.when), r.urgent, r.name)
	r.obj = container.NewStack(r.bg, container.NewBorder(nil, widget.NewSeparator(), r.stripe, nil,
		touch.Compact(container.NewPadded(container.NewVBox(top, r.facts)))))
	r.ExtendBaseWidget(r)
	r.Hide()
	return r
}

// set shows a row (an empty ui.Row hides it); withDate adds the date to the
// time, for periods longer than a day.
func (r *queueRow) set(row review.Row, withDate bool) {
	r.row = row
	if row.Session.ID == "" {
		r.when.SetText("")
		r.name.SetText("")
		r.facts.SetText("")
		r.Hide()
		return
	}
	loc := r.q.k.Location()
	layout := "3:04 PM"
	if withDate {
		layout = "Jan 2, 3:04 PM"
	}
	r.when.SetText(row.Session.Started.In(loc).Format(layout))
	var mark color.Color = color.Transparent
	r.bg.FillColor = color.Transparent
	r.urgent.Hidden = row.Session.Concern() == intakekiosk.Calm
	switch row.Session.Concern() {
	case intakekiosk.Urgent:
		mark = theme.Color(theme.ColorNameError)
		r.urgent.SetText(queueText.Urgent)
		r.urgent.Importance = widget.DangerImportance
	case intakekiosk.NeedsAttention:
		mark = theme.Color(theme.ColorNameWarning)
		r.urgent.SetText(queueText.Attention)
		r.urgent.Importance = widget.WarningImportance
	}
	if row.Pinned() {
		r.bg.FillColor = tint(mark)
	}
	r.stripe.FillColor = mark
	var parts []string
	if ss := row.Session; !ss.Acked.IsZero() && ss.Reviewed.IsZero() {
		// who answered its alert, first: every desk sees it
		parts = append(parts, onItWords(ss, loc))
	}
	if s := row.Summary; s != nil && !s.Damaged {
		// why first, so that a long row never cuts it off
		parts = append(parts, s.Why...)
	}
	parts = append(parts, kindWords(row.Session.Kind), statusWords(row.Session))
	switch s := row.Summary; {
	case s == nil:
		r.name.SetText(queueText.NotOpened)
	case s.Damaged:
		r.name.SetText("—")
		parts = append(parts, queueText.Damaged)
	default:
		r.name.SetText(s.Short())
		if w := consentWords(s.Consent); w != "" {
			parts = append(parts, w) // after the status: never cut off
		}
		parts = append(parts, scoreWords(s.Scores)...)
		if s.RedFlags == 1 {
			parts = append(parts, queueText.RedFlag)
		} else if s.RedFlags > 1 {
			parts = append(parts, fmt.Sprintf(queueText.RedFlags, s.RedFlags))
		}
		if s.Help && len(s.Why) == 0 {
			parts = append(parts, queueText.Help)
		}

	}
	r.facts.SetText(strings.Join(parts, " · "))
	r.Show()
	r.Refresh()
}

// ellipsis cuts s to n characters, ending it with "…" when cut.
func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// tint is the pale colour of a mark behind a pinned row still to review.
func tint(mark color.Color) color.Color {
	c := color.NRGBAModel.Convert(mark).(color.NRGBA)
	c.A = 0x26
	return c
}

// kindWords names a session's kind.
func kindWords(k intakekiosk.SessionKind) string {
	if k == intakekiosk.Checkin {
		return queueText.Checkin
	}
	return queueText.Screening
}

// statusWords names where a session stands: "New", "Reviewed by Sam",
// with "printed" after it once printed or saved.
func statusWords(s intakekiosk.Session) string {
	var w string
	switch s.Standing() {
	case intakekiosk.StandingInProgress:
		return queueText.AtKiosk
	case intakekiosk.StandingNew:
		w = queueText.New
	case intakekiosk.StandingIncomplete:
		w = queueText.Incomplete
	case intakekiosk.StandingReviewed:
		w = queueText.Reviewed
		if s.ReviewedBy != "" {
			w += fmt.Sprintf(queueText.By, s.ReviewedBy)
		}
		if s.Completed.IsZero() {
			// reviewing does not make a session the patient left complete
			w += queueText.StillIncomplete
		}
	}
	if !s.Printed.IsZero() {
		w += queueText.Printed
	}
	return w
}

// scoreWords are the key scores, shortest form: "PHQ-9 14 moderate".
func scoreWords(scores []summary.ScoreFact) []string {
	var out []string
	for _, s := range scores {
		switch {
		case s.Max == 0:
			// no total (the BAM): its scores are in the session, not one number for the row
		case !s.Scored:
			out = append(out, s.Code+" not scored")
		case s.Band != "":
			out = append(out, fmt.Sprintf("%s %d %s", s.Code, s.Total, strings.ToLower(s.Band)))
		default:
			out = append(out, fmt.Sprintf("%s %d", s.Code, s.Total))
		}
	}
	return out
}

// Tapped opens the session.
func (r *queueRow) Tapped(*fyne.PointEvent) {
	r.q.k.Touch()
	if r.row.Session.ID != "" {
		r.q.k.showSession(r.row.Session.ID)
	}
}

// Cursor hides the pointer in kiosk mode.
func (r *queueRow) Cursor() desktop.Cursor { return r.q.k.Kit().Cursor(desktop.PointerCursor) }

// CreateRenderer draws the row.
func (r *queueRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.obj) }
