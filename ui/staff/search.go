package staff

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"intakekiosk/ui"
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
	k   *mode
	obj fyne.CanvasObject
}

func newSearchScreen(k *mode) *searchScreen {
	s := &searchScreen{k: k}
	s.fieldForm = newFieldForm(k, formField{label: searchText.Field, caps: touch.CapitalizeWords})
	s.onSubmit = func(int) { s.submit() }
	search := k.NextButton(searchText.Search, s.submit)
	search.SetIcon(theme.SearchIcon())
	s.obj = s.page(searchText.Title, searchText.Explain, searchText.Cancel, s.leave, search)
	return s
}

// showSearch opens the search screen over the queue, with the current
// search in it.
func (k *mode) showSearch() {
	if k.on == nil {
		return
	}
	s := ui.Screen[*searchScreen](k.Kiosk, ui.ScreenSearch)
	s.setText(0, k.queue().qtext)
	k.Hold(ui.ScreenSearch, s.obj)
	s.selectField(0)
}

// clear empties the field.
func (s *searchScreen) Clear() { s.setText(0, "") }

// leave returns to the queue unchanged.
func (s *searchScreen) leave() {
	s.Clear()
	s.k.Release()
}

// submit returns to the queue and searches it.
func (s *searchScreen) submit() {
	text := s.fields[0].Text
	s.Clear()
	s.k.Release()
	if h, ok := ui.Built[*staffHome](s.k.Kiosk, ui.ScreenStaff); ok && s.k.on != nil {
		h.queue.setQuery(text)
	}
}

// backToQueue returns from a session to the queue, read again (a status
// may have changed).
func (k *mode) backToQueue() {
	if k.on == nil {
		return
	}
	if v, ok := ui.Built[*sessionView](k.Kiosk, ui.ScreenSession); ok {
		v.Clear()
	}
	k.showStaffHome()
	k.queue().load()
}

func (s *searchScreen) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{s.obj} }
