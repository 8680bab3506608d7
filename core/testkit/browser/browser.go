// Package browser drives a real headless Chromium (Debian's /usr/bin/chromium, through
// chromedp) for the UI tests of any package: one browser per test package, started on first
// use and stopped by Close from the package's TestMain; each Tab is a fresh browser context
// (its own cookies), so two tabs are two people.
//
// The browser stays off the network (DESIGN.md §11): headless, no sandbox, no GPU, a fresh
// profile, HOME and TMPDIR in a scratch folder, no background networking, component updates,
// sync or first-run UI, and a host resolver that knows 127.0.0.1 only. Without Chromium a test
// is skipped with a message — and fails when CI=true, where a missing browser is a broken
// machine, not a reason to test less.
//
// Tabs find inputs by the text of their <label> (which checks that forms are accessible),
// submit with the button's text, and assert on what a person reads (the page's innerText).
//
// A package using it:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		browser.Close()
//		os.Exit(code)
//	}
//
//	func TestSignIn(t *testing.T) {
//		tab := browser.Shared(t).NewTab(t, browser.Options{BaseURL: env.URL, Lang: "fr"})
//		tab.Go("/login")
//		tab.Fill("E-mail", "ann@example.test")
//		...
//	}
package browser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// ExecPath is where Debian's chromium package installs the browser.
const ExecPath = "/usr/bin/chromium"

// ScreenshotsEnv names a folder that receives a copy of every screenshot (for people to look
// at); unset, screenshots stay in the test's temporary folder.
const ScreenshotsEnv = "GROUPCAMP_SCREENSHOTS"

// Timeout bounds one step (a navigation, a click and the page it loads, a query).
const Timeout = 30 * time.Second

// Browser is the package's running Chromium.
type Browser struct {
	ctx         context.Context // the browser's own context; tabs derive from it
	cancel      context.CancelFunc
	allocCancel context.CancelFunc
	dir         string // scratch folder: profile, HOME, TMPDIR
}

var (
	mu       sync.Mutex
	shared   *Browser
	startErr error
)

// Flags are the command-line switches of DESIGN.md §11, beyond chromedp's headless defaults.
func Flags(profile string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ExecPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-features", "AutofillServerCommunication,NetworkTimeServiceQuerying"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(1280, 900),
	}
}

// Shared returns the package's browser, starting it on first use. Without Chromium it skips
// t (fails it under CI=true); a browser that does not start fails t. GROUPCAMP_TEST_BROWSER=off
// skips the stories on purpose (the race pass).
func Shared(t testing.TB) *Browser {
	t.Helper()
	if os.Getenv("GROUPCAMP_TEST_BROWSER") == "off" {
		// The race pass of .ci/run: the stories' handlers and services run under the race
		// detector in the HTTP tests already, and the stories ran in the plain pass.
		t.Skip("browser: the stories are off in this run (GROUPCAMP_TEST_BROWSER=off)")
	}
	if _, err := os.Stat(ExecPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser: %s is missing, and CI=true: install Debian's chromium package", ExecPath)
		}
		t.Skipf("browser: %s is missing; install Debian's chromium package to run the browser tests", ExecPath)
	}
	mu.Lock()
	defer mu.Unlock()
	if shared == nil && startErr == nil {
		shared, startErr = start()
	}
	if startErr != nil {
		t.Fatalf("browser: start %s: %v", ExecPath, startErr)
	}
	return shared
}

func start() (*Browser, error) {
	dir, err := os.MkdirTemp("", "groupcamp-browser-")
	if err != nil {
		return nil, err
	}
	for _, sub := range []string{"profile", "home", "tmp"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o700); err != nil {
			return nil, err
		}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], Flags(filepath.Join(dir, "profile"))...)
	opts = append(opts, chromedp.Env("HOME="+filepath.Join(dir, "home"), "TMPDIR="+filepath.Join(dir, "tmp")))
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// The first Do starts the browser; its context (no timeout) is the browser's lifetime.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		allocCancel()
		os.RemoveAll(dir)
		return nil, err
	}
	return &Browser{ctx: ctx, cancel: cancel, allocCancel: allocCancel, dir: dir}, nil
}

// Close stops the shared browser gracefully (it closes its tabs and profile, then exits) and
// removes its scratch folder. Call it once, after m.Run in TestMain.
func Close() {
	mu.Lock()
	defer mu.Unlock()
	if shared == nil {
		return
	}
	b := shared
	shared = nil
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	_ = chromedp.Cancel(ctx)
	cancel()
	b.cancel()
	b.allocCancel()
	os.RemoveAll(b.dir)
}

// Options configure a tab.
type Options struct {
	BaseURL string // the App's address; Go takes paths relative to it
	Lang    string // Accept-Language sent with every request, e.g. "fr-FR,fr"
	Shots   string // folder for screenshots, beside $GROUPCAMP_SCREENSHOTS; none by default
}

// Tab is one page in a browser context of its own: its own cookies, like a separate person.
type Tab struct {
	t      testing.TB
	ctx    context.Context
	cancel context.CancelFunc
	opts   Options
}

// NewTab opens a tab in a new browser context; it closes when the test ends.
func (b *Browser) NewTab(t testing.TB, opts Options) *Tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	tab := &Tab{t: t, ctx: ctx, cancel: cancel, opts: opts}
	t.Cleanup(cancel)
	// The first Do opens the tab (no timeout: it binds the tab's lifetime).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browser: open a tab: %v", err)
	}
	if opts.Lang != "" {
		tab.do("set the language", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
				Headers: network.Headers{"Accept-Language": opts.Lang}})
			return err
		}))
	}
	return tab
}

// do runs steps with the step timeout, failing the test with what it was doing.
func (tab *Tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tab.t.Fatalf("browser: %s (at %s): %v", what, tab.URL(), err)
	}
}

func run[T any](tab *Tab, what string, a chromedp.Action[T]) T {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tab.t.Fatalf("browser: %s: %v", what, err)
	}
	return v
}

// Go opens a path of the App (or a full URL) and waits for the page to load.
func (tab *Tab) Go(path string) {
	tab.t.Helper()
	url := path
	if strings.HasPrefix(path, "/") {
		url = tab.opts.BaseURL + path
	}
	tab.do("open "+url, chromedp.Navigate(url))
}

// URL is the address of the page shown.
func (tab *Tab) URL() string {
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	return u
}

// Path is the path (and query) of the page shown.
func (tab *Tab) Path() string { return strings.TrimPrefix(tab.URL(), tab.opts.BaseURL) }

// findControl is the script that finds a form control by the text of its label: the id of
// the control the label is tied to, or a reason it cannot be used.
const findControl = `(() => {
  const norm = (s) => s.replace(/\s+/g, " ").trim();
  const want = norm(%q);
  const labels = Array.from(document.querySelectorAll("label")).filter((l) => norm(l.textContent) === want);
  if (labels.length === 0) return "!no label reads that";
  if (labels.length > 1) return "!several labels read that";
  const c = labels[0].control;
  if (!c) return "!the label is tied to no control";
  if (!c.id) return "!the control has no id";
  return c.id + " " + (c.type || "");
})()`

// control returns the id of the control labelled label, failing the test when the page has
// no such label or the label is tied to nothing.
func (tab *Tab) control(label string) string {
	tab.t.Helper()
	id, _ := tab.controlOfType(label)
	return id
}

// controlOfType is control with the control's type ("text", "date", "textarea"...).
func (tab *Tab) controlOfType(label string) (id, typ string) {
	tab.t.Helper()
	found := run(tab, "find the field "+label, chromedp.Evaluate[string](fmt.Sprintf(findControl, label)))
	if strings.HasPrefix(found, "!") {
		tab.t.Fatalf("browser: field labelled %q on %s: %s\npage:\n%s", label, tab.Path(), found[1:], tab.Text())
	}
	id, typ, _ = strings.Cut(found, " ")
	return id, typ
}

// Fill types value into the text field labelled label (its old content cleared). Text
// arrives as one insertion into the focused field, as a paste or an input method gives it
// (the page sees beforeinput and input events). A date, time or number field, and a value
// with keys in it (kb.Tab, kb.ArrowRight, kb.Enter...), are typed key by key, so keyboard
// handling is what they test.
// Typing every character cost three round trips to the browser: ~0.6 s a field on a busy
// machine, a third of a story's time.
func (tab *Tab) Fill(label, value string) {
	tab.t.Helper()
	id, typ := tab.controlOfType(label)
	if hasKeys(value) || !textTypes[typ] {
		tab.do("fill "+label, chromedp.Clear(chromedp.ID(id)), chromedp.SendKeys(chromedp.ID(id), value))
		return
	}
	tab.do("fill "+label, chromedp.Clear(chromedp.ID(id)), chromedp.Focus(chromedp.ID(id)),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: value})
			return err
		}))
}

// textTypes are the controls whose value text insertion sets; the others (date, time,
// number...) take their value by key presses into their segments.
var textTypes = map[string]bool{"text": true, "textarea": true, "email": true, "password": true,
	"search": true, "url": true, "tel": true}

// hasKeys reports whether s holds a key that is not text: a control character, or one of
// chromedp's kb keys that print nothing (arrows, Tab, Enter...).
func hasKeys(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
		if k, ok := kb.Keys[r]; ok && !k.Print {
			return true
		}
	}
	return false
}

// Select chooses the option with the given visible text in the select labelled label.
func (tab *Tab) Select(label, option string) {
	tab.t.Helper()
	id := tab.control(label)
	const pick = `(() => {
  const s = document.getElementById(%q);
  const o = Array.from(s.options).find((o) => o.textContent.replace(/\s+/g, " ").trim() === %q);
  if (!o) return false;
  s.value = o.value;
  s.dispatchEvent(new Event("change", { bubbles: true }));
  return true;
})()`
	if !run(tab, "select "+option, chromedp.Evaluate[bool](fmt.Sprintf(pick, id, option))) {
		tab.t.Fatalf("browser: the select %q on %s has no option %q", label, tab.Path(), option)
	}
}

// Check ticks the checkbox labelled label.
func (tab *Tab) Check(label string) {
	tab.t.Helper()
	id := tab.control(label)
	tab.do("check "+label, chromedp.Click(chromedp.ID(id)))
}

// markByText is the script that marks the one visible element of a kind whose text (or
// aria-label) is exactly the given text, so a click can find it.
const markByText = `(() => {
  const norm = (s) => s.replace(/\s+/g, " ").trim();
  const want = norm(%q);
  document.querySelectorAll("[data-browser-target]").forEach((e) => e.removeAttribute("data-browser-target"));
  const all = Array.from(document.querySelectorAll(%q)).filter((e) =>
    (norm(e.textContent) === want || e.getAttribute("aria-label") === want) && e.getClientRects().length > 0);
  if (all.length !== 1) return all.length;
  all[0].setAttribute("data-browser-target", "1");
  return 1;
})()`

func (tab *Tab) mark(kind, selector, text string) {
	tab.t.Helper()
	if n := run(tab, "find "+kind+" "+text, chromedp.Evaluate[int](fmt.Sprintf(markByText, text, selector))); n != 1 {
		tab.t.Fatalf("browser: %d %ss read %q on %s\npage:\n%s", n, kind, text, tab.Path(), tab.Text())
	}
}

// Submit clicks the button that reads text and waits for the page that answers.
func (tab *Tab) Submit(text string) {
	tab.t.Helper()
	tab.mark("button", "button", text)
	tab.clickAndWait("press " + text)
}

// Follow clicks the link that reads text and waits for the page it opens.
func (tab *Tab) Follow(text string) {
	tab.t.Helper()
	tab.mark("link", "a[href]", text)
	tab.clickAndWait("follow " + text)
}

// Nav clicks the entry of the navigation (in the page header) that reads text, opening the
// administration menu first as a person would.
func (tab *Tab) Nav(text string) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll("header details.adminmenu").forEach(d => d.open = true); true`)); err != nil {
		tab.t.Fatalf("browser: open the administration menu: %v", err)
	}
	tab.mark("navigation link", "header nav a[href], header details.adminmenu a[href]", text)
	tab.clickAndWait("open " + text)
}

func (tab *Tab) clickAndWait(what string) {
	tab.t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("[data-browser-target]"))); err != nil {
		tab.t.Fatalf("browser: %s (at %s): %v", what, tab.Path(), err)
	}
}

// Text is what a person reads on the page (its innerText).
func (tab *Tab) Text() string {
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return "(no text: " + err.Error() + ")"
	}
	return s
}

// parsedText is the page's text once its document is parsed, or "" while it is loading.
func (tab *Tab) parsedText() string {
	ctx, cancel := context.WithTimeout(tab.ctx, Timeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "loading" || !document.body ? "" : document.body.innerText`))
	if err != nil {
		return "(no text: " + err.Error() + ")"
	}
	return s
}

// WantText fails the test unless the page reads every one of the strings.
func (tab *Tab) WantText(want ...string) {
	tab.t.Helper()
	text := tab.Text()
	for _, w := range want {
		if !strings.Contains(text, w) {
			tab.t.Errorf("browser: %s does not read %q; it reads:\n%s", tab.Path(), w, text)
		}
	}
}

// TextOf is the text of the element with the given id ("" when there is none).
func (tab *Tab) TextOf(id string) string {
	tab.t.Helper()
	return run(tab, "read #"+id, chromedp.Evaluate[string](fmt.Sprintf(`(document.getElementById(%q) || {}).innerText || ""`, id)))
}

// Lang is the language the page declares (<html lang>).
func (tab *Tab) Lang() string {
	tab.t.Helper()
	return run(tab, "read the page language", chromedp.Evaluate[string](`document.documentElement.lang`))
}

// Screenshot saves a full-page PNG as name.png in the tab's folder (Options.Shots) and in
// $GROUPCAMP_SCREENSHOTS, and returns its path. Screenshots are for people to look at: with
// neither folder set nobody would (a test's temporary folder is deleted when it ends), so
// none is taken, and it returns "" — capturing and encoding a full page cost ~0.4 s, a
// minute of CI over the stories.
func (tab *Tab) Screenshot(name string) string {
	tab.t.Helper()
	dirs := []string{}
	for _, dir := range []string{tab.opts.Shots, os.Getenv(ScreenshotsEnv)} {
		if dir != "" {
			dirs = append(dirs, dir)
		}
	}
	if len(dirs) == 0 {
		return ""
	}
	png := run(tab, "screenshot "+name, chromedp.FullScreenshot(100))
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tab.t.Fatalf("browser: screenshots folder %s: %v", dir, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			tab.t.Fatalf("browser: save %s: %v", name, err)
		}
	}
	return filepath.Join(dirs[0], name+".png")
}

// Click presses the button that reads label (its text or its aria-label) without waiting for
// a page: for buttons a script handles in place (a fetch, a dialog). Follow it with WaitText.
func (tab *Tab) Click(label string) {
	tab.t.Helper()
	tab.ClickIn("body", label)
}

// ClickIn is Click among the buttons inside the elements within selects (a CSS selector),
// for a page with many buttons reading the same, such as the cards of a board.
func (tab *Tab) ClickIn(within, label string) {
	tab.t.Helper()
	tab.mark("button", within+" button", label)
	tab.do("press "+label, chromedp.Click(chromedp.CSS("[data-browser-target]")))
}

// WaitText waits (up to Timeout) until the page reads every one of the strings, failing the
// test with what it reads instead. It reads a page only once the browser has parsed all of it:
// a page arriving after a key press (Enter submits a form) can show its first lines, the
// flash message that WaitText waits for, while its end (a table's totals) is still on the way.
func (tab *Tab) WaitText(want ...string) {
	tab.t.Helper()
	deadline := time.Now().Add(Timeout)
	for {
		text := tab.parsedText()
		missing := ""
		for _, w := range want {
			if !strings.Contains(text, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			tab.t.Fatalf("browser: %s still does not read %q after %s; it reads:\n%s", tab.Path(), missing, Timeout, text)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// WaitFor waits (up to Timeout) until the JavaScript expression script is truthy in the
// tab's page — a page script's ready signal, say `document.querySelector("[data-kanban-ready]")`
// — failing the test with what (what it waited for) and the page's text otherwise.
func (tab *Tab) WaitFor(what, script string) {
	tab.t.Helper()
	deadline := time.Now().Add(Timeout)
	for !run(tab, "wait for "+what, chromedp.Evaluate[bool]("!!("+script+")")) {
		if time.Now().After(deadline) {
			tab.t.Fatalf("browser: %s: still no %s after %s; it reads:\n%s", tab.Path(), what, Timeout, tab.Text())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Evaluate runs a script in the tab's page and returns its value, failing the test when it
// throws or its value is not a T.
func Evaluate[T any](tab *Tab, what, script string) T {
	tab.t.Helper()
	return run(tab, what, chromedp.Evaluate[T](script))
}
