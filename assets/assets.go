// Package assets holds the kiosk's embedded data: the built-in instrument
// definitions, the consent forms, the take-home sheet and the message
// catalog. It imports nothing of the kiosk.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed instruments/*.json
var files embed.FS

//go:embed icon.png
var icon []byte

//go:embed i18n/*.json
var messages embed.FS

// Messages returns the message catalog's files: one JSON file a language
// ("en.json", "es.json") at the top level.
func Messages() fs.FS {
	sub, err := fs.Sub(messages, "i18n")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}

// Icon returns the kiosk's icon, a 256x256 PNG.
func Icon() []byte { return icon }

// Instruments returns the built-in instrument files, one JSON file each at
// the top level of the returned file system.
func Instruments() fs.FS {
	sub, err := fs.Sub(files, "instruments")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}

//go:embed consents/*.json
var consents embed.FS

// Consents returns the built-in consent forms: one JSON file per form
// and language ("part2.en.json") at the top level.
func Consents() fs.FS {
	sub, err := fs.Sub(consents, "consents")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}

//go:embed takehome/*.json
var takehome embed.FS

// TakeHome returns the built-in take-home sheet: one JSON file per
// language ("takehome.en.json") at the top level.
func TakeHome() fs.FS {
	sub, err := fs.Sub(takehome, "takehome")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}
