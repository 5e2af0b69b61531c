package fhir

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"intakekiosk/internal/testtool"
)

// webtest is the folder of what the tests run outside Go: its
// package.json names the npm packages (make test installs them with npm
// ci into its node_modules).
const webtest = "webtest"

// npmPackages stops the test (failing under CI) unless fhir/webtest's
// packages are installed.
func npmPackages(tb testing.TB, names ...string) {
	tb.Helper()
	for _, name := range names {
		if _, err := os.Stat(filepath.Join(webtest, "node_modules", name, "package.json")); err != nil {
			testtool.Missing(tb, "the npm package "+name+" of fhir/webtest is not installed (make webdeps, or npm ci --legacy-peer-deps in fhir/webtest)")
		}
	}
}

// page opens fhir/webtest/lforms.html in Debian's chromium, headless
// (without its sandbox as root, as chromium requires), the folder served
// on loopback; it returns the tab once LHC-Forms has loaded.
func page(t *testing.T) context.Context {
	t.Helper()
	npmPackages(t, "lforms")
	bin := testtool.Need(t, "chromium", "apt-get install chromium")
	srv := httptest.NewServer(http.FileServer(http.Dir(webtest)))
	t.Cleanup(srv.Close)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		// nothing reaches out: the machine's network is closed
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-default-apps", true),
		chromedp.WindowSize(1200, 2400),
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/lforms.html")); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("window.lformsReady && window.lformsReady()", chromedp.WithPollingTimeout(time.Minute))); err != nil {
		t.Fatalf("LHC-Forms did not load in chromium: %v", err)
	}
	return ctx
}

// call runs an expression of the page that gives a promise, and decodes
// what it resolves to.
func call[T any](ctx context.Context, js string) (T, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
}
