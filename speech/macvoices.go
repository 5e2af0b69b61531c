package speech

import (
	"bufio"
	"bytes"
	"strings"
)

// macVoice is one line of `say -v '?'`: a voice's name and its locale.
type macVoice struct {
	name   string // "Paulina", or on newer systems "Eddy (Spanish (Mexico))"
	locale string // "es_MX"
}

// macVoicePref lists the voices the kiosk prefers for one language, by
// name and then by locale, best first.
type macVoicePref struct{ names, locales []string }

// macVoicePrefs returns the preferred voices of each of the kiosk's
// languages. Mónica appears composed and decomposed because `say` may print
// either form.
func macVoicePrefs() map[string]macVoicePref {
	return map[string]macVoicePref{
		"en": {names: []string{"Samantha"}, locales: []string{"en_US"}},
		"es": {
			names:   []string{"Paulina", "Mónica", "Mo\u0301nica", "Monica"},
			locales: []string{"es_MX", "es_US", "es_419", "es_ES"},
		},
	}
}

// parseMacVoices parses the output of `say -v '?'`.
func parseMacVoices(list []byte) []macVoice {
	var vs []macVoice
	sc := bufio.NewScanner(bytes.NewReader(list))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		line = strings.TrimSpace(line)
		i := strings.LastIndexAny(line, " \t")
		if i < 0 {
			continue
		}
		name, locale := strings.TrimSpace(line[:i]), line[i+1:]
		if name != "" && strings.Contains(locale, "_") {
			vs = append(vs, macVoice{name: name, locale: locale})
		}
	}
	return vs
}

// pickMacVoices maps each of the kiosk's languages to the best installed
// macOS voice: a preferred name (Samantha; Paulina or Mónica), else a
// preferred locale, else any voice of that language. A language with no
// voice at all is left out.
func pickMacVoices(vs []macVoice) map[string]string {
	picked := map[string]string{}
	for lang, pref := range macVoicePrefs() {
		var tries []func(macVoice) bool
		for _, name := range pref.names {
			tries = append(tries, func(v macVoice) bool { return v.name == name })
		}
		for _, loc := range pref.locales {
			tries = append(tries, func(v macVoice) bool { return strings.EqualFold(v.locale, loc) })
		}
		tries = append(tries, func(v macVoice) bool { return primaryLang(v.locale) == lang })
		for _, match := range tries {
			if v, ok := firstMacVoice(vs, match); ok {
				picked[lang] = v
				break
			}
		}
	}
	return picked
}

// firstMacVoice returns the name of the first voice in vs that match accepts.
func firstMacVoice(vs []macVoice, match func(macVoice) bool) (string, bool) {
	for _, v := range vs {
		if match(v) {
			return v.name, true
		}
	}
	return "", false
}
