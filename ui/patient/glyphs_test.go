package patient

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/theme"
	"golang.org/x/image/font/sfnt"

	"intakekiosk/assets"
)

// Every character the kiosk shows is in the theme's own fonts: a missing
// one makes Fyne scan and load a system font for it (megabytes of memory,
// and a glyph that looks unlike its neighbours, or no glyph on a kiosk
// without that font).
func TestGlyphsInThemeFont(t *testing.T) {
	texts := map[string]string{} // text -> where
	for _, fsys := range []fs.FS{assets.Messages(), assets.Instruments()} {
		err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(fsys, path)
			texts[string(b)] = path
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// the words written in the ui packages themselves (staff screens,
	// labels, the keyboard's keys)
	fset := token.NewFileSet()
	for _, dir := range []string{".", "..", "../touch", "../staff"} {
		pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pkgs {
			ast.Inspect(p, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						texts[s] = fset.Position(lit.Pos()).String()
					}
				}
				return true
			})
		}
	}
	for _, res := range []struct {
		name    string
		content []byte
	}{
		{"regular", theme.DefaultTextFont().Content()},
		{"bold", theme.DefaultTextBoldFont().Content()},
	} {
		f, err := sfnt.Parse(res.content)
		if err != nil {
			t.Fatal(err)
		}
		var buf sfnt.Buffer
		seen := map[rune]bool{}
		for text, where := range texts {
			for _, r := range text {
				if r < ' ' || r == '\ufeff' || seen[r] {
					continue
				}
				seen[r] = true
				if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
					t.Errorf("%s font has no %q (U+%04X), used in %s", res.name, r, r, where)
				}
			}
		}
	}
}
