package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"intakekiosk/ui/touch"
)

// searchText holds every word of the search screen, from the
// catalog's staff.search.* keys.
var searchText = staffWords[struct {
	Title, Explain, Field, Cancel, Search string
}]("search")

// searchScreen takes a search on the on-screen keyboard.
type searchScreen struct {
	*fieldForm
	k   *Kiosk
	obj fyne.CanvasObject
}

func newSearchScreen(k *Kiosk) *searchScreen {
	s := &searchScreen{k: k}
	s.fieldForm = newFieldForm(k, formField{label: searchText.Field, caps: touch.CapitalizeWords})
	s.onSubmit = func(int) { s.submit() }
	search := k.nextButton(searchText.Search, s.submit)
	search.SetIcon(theme.SearchIcon())
	s.obj = s.page(searchText.Title, searchText.Explain, searchText.Cancel, s.leave, search)
	return s
}

// showSearch opens the search screen over the queue, with the current
// search in it.
func (m *staffMode) showSearch() {
	k := m.k
	if m.on == nil {
		return
	}
	s := Screen[*searchScreen](k, ScreenSearch)
	s.setText(0, m.queue().qtext)
	k.hold(ScreenSearch, s.obj)
	s.selectField(0)
}

// clear empties the field.
func (s *searchScreen) Clear() { s.setText(0, "") }

// leave returns to the queue unchanged.
func (s *searchScreen) leave() {
	s.Clear()
	s.k.release()
}

// submit returns to the queue and searches it.
func (s *searchScreen) submit() {
	text := s.fields[0].Text
	s.Clear()
	s.k.release()
	if h, ok := Built[*staffHome](s.k, ScreenStaff); ok && s.k.staffing.on != nil {
		h.queue.setQuery(text)
	}
}

// backToQueue returns from a session to the queue, read again (a status
// may have changed).
func (m *staffMode) backToQueue() {
	k := m.k
	if m.on == nil {
		return
	}
	if v, ok := Built[*sessionView](k, ScreenSession); ok {
		v.Clear()
	}
	m.showStaffHome()
	m.queue().load()
}

func (s *searchScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
