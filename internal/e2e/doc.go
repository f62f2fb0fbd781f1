// Package e2e holds Docket's browser tests: a real Docket process (cli.Run in-process, on a
// real SQLite file), real feeds served by httptest, and Debian's chromium driven by chromedp.
// They skip when chromium is missing, unless DOCKET_E2E=1 says they must run.
package e2e
