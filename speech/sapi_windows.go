//go:build windows

package speech

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// SAPI 5 class and interface identifiers, from sapi.h.
const (
	clsidSpVoice               = "{96749377-3391-11D2-9EE3-00C04F797396}"
	iidISpVoice                = "{6C44DF74-72B9-4992-A1EC-EF996E0422D4}"
	clsidSpObjectTokenCategory = "{A910187F-0C7A-45AC-92CC-59EDAFB77B53}"
	iidISpObjectTokenCategory  = "{2D3D3845-39AF-4850-BBF9-40B49780011D}"
	// spcatVoices is SPCAT_VOICES, the registry category of SAPI voices.
	spcatVoices = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Speech\Voices`
)

// COM and SAPI constants.
const (
	clsctxAll           = 0x17
	coinitMultithreaded = 0x0
	sFalse              = 1          // S_FALSE: COM was already initialised on this thread
	rpcEChangedMode     = 0x80010106 // RPC_E_CHANGED_MODE: this thread is already an STA

	spfAsync            = 1  // SPF_ASYNC: Speak returns at once
	spfPurgeBeforeSpeak = 2  // SPF_PURGEBEFORESPEAK: drop what is being spoken first
	spfIsNotXML         = 16 // SPF_IS_NOT_XML: "<" in the text is text
)

// Virtual table slots (IUnknown's three methods come first everywhere).
const (
	slotRelease = 2
	// ISpVoice : ISpEventSource : ISpNotifySource : IUnknown.
	slotVoiceSetVoice = 18
	slotVoiceSpeak    = 20
	slotVoiceSetRate  = 28
	// ISpObjectTokenCategory : ISpDataKey : IUnknown.
	slotCategorySetID      = 15
	slotCategoryEnumTokens = 18
	// IEnumSpObjectTokens : IUnknown.
	slotEnumNext = 3
)

// sapiRate is ISpVoice's rate adjustment (-10 to 10, 0 being the voice's
// own rate): a little slow, for patients who read poorly or are unwell.
const sapiRate = -1

// sapiLanguages lists, per language of the kiosk, the SAPI Language
// attributes (hexadecimal LCIDs) to look for, best first.
func sapiLanguages() map[string][]string {
	return map[string][]string{
		// en-US, en-GB, en-AU, en-CA.
		"en": {"409", "809", "C09", "1009"},
		// es-MX, es-US, es-419, es-ES (modern and traditional sort).
		"es": {"80A", "540A", "580A", "C0A", "40A"},
	}
}

// comObject is a COM interface pointer: a pointer to a virtual table.
type comObject struct {
	vtbl *[64]uintptr // only the slots the interface has may be read
}

// sapiSpeaker is the Speaker New returns on Windows. SAPI's ISpVoice lives
// on one goroutine locked to its OS thread (COM objects belong to the
// thread that initialised COM); Say and Stop send it requests.
type sapiSpeaker struct {
	reqs  chan sapiReq
	langs map[string]bool // languages with a voice; read-only after New

	mu      sync.Mutex
	gen     uint64      // number of the latest Say
	unwatch func() bool // stops watching the latest Say's context
}

// sapiReq is one request to the COM thread: speak text in lang, or, when
// text is empty, stop speaking if the latest Say is gen (any Say when gen
// is 0).
type sapiReq struct {
	text  string
	lang  string
	gen   uint64
	reply chan error
}

// sapiThread is the state the COM thread owns.
type sapiThread struct {
	voice  *comObject
	tokens map[string]*comObject // nil token: the default voice
	cur    uint64                // gen of what is being spoken
	text   []uint16              // the text being spoken, kept alive for SAPI
}

// New returns the system's speech engine: SAPI's ISpVoice, called directly
// through COM (starting PowerShell for each tap would be far too slow). It
// returns an error wrapping ErrNoEngine when SAPI cannot be created.
// English uses an English voice (or the default voice); Spanish needs a
// Spanish SAPI voice, and Say("es") returns ErrUnsupportedLanguage without
// one.
func New() (Speaker, error) {
	s := &sapiSpeaker{reqs: make(chan sapiReq)}
	ready := make(chan map[string]bool, 1)
	failed := make(chan error, 1)
	go s.run(ready, failed)
	select {
	case langs := <-ready:
		s.langs = langs
		return s, nil
	case err := <-failed:
		return nil, err
	}
}

// Say implements Speaker: it purges what is being spoken and starts
// speaking text asynchronously.
func (s *sapiSpeaker) Say(ctx context.Context, text, lang string) error {
	l := primaryLang(lang)
	if !s.langs[l] {
		s.Stop()
		return fmt.Errorf("speech: SAPI: %w %q", ErrUnsupportedLanguage, lang)
	}
	if blank(text) {
		s.Stop()
		return nil
	}
	if err := ctx.Err(); err != nil {
		s.Stop()
		return fmt.Errorf("speech: not started: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unwatch != nil {
		s.unwatch()
		s.unwatch = nil
	}
	s.gen++
	gen := s.gen
	if err := s.do(sapiReq{text: text, lang: l, gen: gen}); err != nil {
		return err
	}
	s.unwatch = context.AfterFunc(ctx, func() { _ = s.do(sapiReq{gen: gen}) })
	return nil
}

// Stop implements Speaker.
func (s *sapiSpeaker) Stop() { _ = s.do(sapiReq{}) }

// Speaks implements Speaker: English always (the default voice), Spanish
// when a Spanish SAPI voice is installed.
func (s *sapiSpeaker) Speaks(lang string) bool { return s.langs[primaryLang(lang)] }

// do sends r to the COM thread and waits for its answer.
func (s *sapiSpeaker) do(r sapiReq) error {
	r.reply = make(chan error, 1)
	s.reqs <- r
	return <-r.reply
}

// run is the COM thread: it creates the voice, reports the languages it has
// voices for on ready (or an error on failed) and then serves requests for
// the life of the process.
func (s *sapiSpeaker) run(ready chan<- map[string]bool, failed chan<- error) {
	// Never unlocked: the thread belongs to COM from here on, and if run
	// returns the runtime retires the thread with it.
	runtime.LockOSThread()
	t, langs, err := openSAPI()
	if err != nil {
		failed <- err
		return
	}
	ready <- langs
	for r := range s.reqs {
		r.reply <- t.handle(r)
	}
}

// openSAPI initialises COM on this thread, creates the voice and finds a
// voice token per language.
func openSAPI() (*sapiThread, map[string]bool, error) {
	if err := windows.CoInitializeEx(0, coinitMultithreaded); err != nil {
		var errno syscall.Errno
		if !errors.As(err, &errno) || (errno != sFalse && errno != rpcEChangedMode) {
			return nil, nil, fmt.Errorf("%w: CoInitializeEx: %w", ErrNoEngine, err)
		}
	}
	ole32 := windows.NewLazySystemDLL("ole32.dll")
	coCreate := ole32.NewProc("CoCreateInstance")
	if err := coCreate.Find(); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrNoEngine, err)
	}
	voice, err := createInstance(coCreate, clsidSpVoice, iidISpVoice)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: create SAPI SpVoice: %w", ErrNoEngine, err)
	}
	t := &sapiThread{voice: voice, tokens: map[string]*comObject{}}
	rate := int32(sapiRate) // a LONG: sign-extended into the register
	if err := t.voiceCall(slotVoiceSetRate, uintptr(rate)); err != nil {
		return nil, nil, fmt.Errorf("speech: ISpVoice.SetRate: %w", err)
	}
	langs := map[string]bool{}
	cat, err := createInstance(coCreate, clsidSpObjectTokenCategory, iidISpObjectTokenCategory)
	if err == nil {
		defer release(cat)
		err = categorySetID(cat, spcatVoices)
	}
	for lang, lcids := range sapiLanguages() {
		if err != nil {
			break
		}
		for _, lcid := range lcids {
			if tok := firstToken(cat, "Language="+lcid); tok != nil {
				t.tokens[lang] = tok
				langs[lang] = true
				break
			}
		}
	}
	if !langs["en"] {
		// No token found (or no category): English uses the default voice,
		// which on an English Windows is English.
		t.tokens["en"] = nil
		langs["en"] = true
	}
	return t, langs, nil
}

// handle serves one request on the COM thread.
func (t *sapiThread) handle(r sapiReq) error {
	if r.text == "" {
		if r.gen != 0 && r.gen != t.cur {
			return nil // a stale Say's context ended: it is no longer playing
		}
		return t.purge()
	}
	if err := t.purge(); err != nil {
		return err
	}
	tok := t.tokens[r.lang]
	if err := t.voiceCall(slotVoiceSetVoice, uintptr(unsafe.Pointer(tok))); err != nil {
		return fmt.Errorf("speech: ISpVoice.SetVoice(%s): %w", r.lang, err)
	}
	text, err := windows.UTF16FromString(strings.ReplaceAll(r.text, "\x00", ""))
	if err != nil {
		return fmt.Errorf("speech: text: %w", err)
	}
	t.text = text // SAPI may read it after Speak returns
	t.cur = r.gen
	hr, _, _ := syscall.SyscallN(t.voice.vtbl[slotVoiceSpeak], uintptr(unsafe.Pointer(t.voice)),
		uintptr(unsafe.Pointer(&t.text[0])), spfAsync|spfPurgeBeforeSpeak|spfIsNotXML, 0)
	if failed(hr) {
		return fmt.Errorf("speech: ISpVoice.Speak: %w", hresultError(hr))
	}
	return nil
}

// purge stops what the voice is speaking: Speak(NULL, SPF_PURGEBEFORESPEAK).
func (t *sapiThread) purge() error {
	hr, _, _ := syscall.SyscallN(t.voice.vtbl[slotVoiceSpeak], uintptr(unsafe.Pointer(t.voice)),
		0, spfAsync|spfPurgeBeforeSpeak, 0)
	if failed(hr) {
		return fmt.Errorf("speech: ISpVoice.Speak(purge): %w", hresultError(hr))
	}
	return nil
}

// voiceCall calls an ISpVoice method that takes one integer-sized argument.
func (t *sapiThread) voiceCall(slot int, arg uintptr) error {
	hr, _, _ := syscall.SyscallN(t.voice.vtbl[slot], uintptr(unsafe.Pointer(t.voice)), arg)
	if failed(hr) {
		return hresultError(hr)
	}
	return nil
}

// createInstance is CoCreateInstance(clsid, NULL, CLSCTX_ALL, iid).
func createInstance(coCreate *windows.LazyProc, clsid, iid string) (*comObject, error) {
	c, err := windows.GUIDFromString(clsid)
	if err != nil {
		return nil, fmt.Errorf("speech: CLSID %s: %w", clsid, err)
	}
	i, err := windows.GUIDFromString(iid)
	if err != nil {
		return nil, fmt.Errorf("speech: IID %s: %w", iid, err)
	}
	var obj *comObject
	hr, _, _ := coCreate.Call(uintptr(unsafe.Pointer(&c)), 0, clsctxAll,
		uintptr(unsafe.Pointer(&i)), uintptr(unsafe.Pointer(&obj)))
	if failed(hr) {
		return nil, fmt.Errorf("CoCreateInstance %s: %w", clsid, hresultError(hr))
	}
	if obj == nil {
		return nil, fmt.Errorf("CoCreateInstance %s: no object", clsid)
	}
	return obj, nil
}

// categorySetID is ISpObjectTokenCategory::SetId(id, FALSE).
func categorySetID(cat *comObject, id string) error {
	p, err := windows.UTF16PtrFromString(id)
	if err != nil {
		return fmt.Errorf("speech: category %s: %w", id, err)
	}
	hr, _, _ := syscall.SyscallN(cat.vtbl[slotCategorySetID], uintptr(unsafe.Pointer(cat)),
		uintptr(unsafe.Pointer(p)), 0)
	if failed(hr) {
		return fmt.Errorf("speech: ISpObjectTokenCategory.SetId: %w", hresultError(hr))
	}
	return nil
}

// firstToken returns the first voice token of the category with the
// required attributes, or nil when there is none.
func firstToken(cat *comObject, required string) *comObject {
	req, err := windows.UTF16PtrFromString(required)
	if err != nil {
		return nil
	}
	var enum *comObject
	hr, _, _ := syscall.SyscallN(cat.vtbl[slotCategoryEnumTokens], uintptr(unsafe.Pointer(cat)),
		uintptr(unsafe.Pointer(req)), 0, uintptr(unsafe.Pointer(&enum)))
	if failed(hr) || enum == nil {
		return nil
	}
	defer release(enum)
	var tok *comObject
	var fetched uint32
	hr, _, _ = syscall.SyscallN(enum.vtbl[slotEnumNext], uintptr(unsafe.Pointer(enum)),
		1, uintptr(unsafe.Pointer(&tok)), uintptr(unsafe.Pointer(&fetched)))
	if failed(hr) || fetched != 1 || tok == nil {
		return nil
	}
	return tok // kept for the life of the speaker
}

// release is IUnknown::Release.
func release(obj *comObject) {
	syscall.SyscallN(obj.vtbl[slotRelease], uintptr(unsafe.Pointer(obj)))
}

// failed reports whether an HRESULT is a failure.
func failed(hr uintptr) bool { return int32(uint32(hr)) < 0 }

// hresultError describes a failed HRESULT.
func hresultError(hr uintptr) error {
	return fmt.Errorf("HRESULT 0x%08X: %w", uint32(hr), syscall.Errno(uint32(hr)))
}
