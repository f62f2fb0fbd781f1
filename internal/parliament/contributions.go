package parliament

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// maxTake is the most any of the contribution lists is asked for per request; the early day
// motions API documents 100 as its maximum and the others are kept to the same.
const maxTake = 100

// page is one decoded page of a list.
type page struct {
	items  []Contribution // the member's records on the page, converted
	raw    int            // records on the page before any was dropped
	total  int            // the list's total as the API reports it; 0 when it does not
	oldest time.Time      // the oldest dated record on the page
}

// older reports whether a record dated t falls before since's day, so is not wanted. Nothing
// is older than a zero since; a record without a date is older than any other since.
func older(t, since time.Time) bool {
	return !since.IsZero() && t.Before(day(since))
}

func (p *page) see(t time.Time) {
	if !t.IsZero() && (p.oldest.IsZero() || t.Before(p.oldest)) {
		p.oldest = t
	}
}

// morePages reports whether a list has pages after skip. The API's total is trusted when it
// gives one, so an API that quietly returns fewer than asked is still read to the end.
func morePages(got, take, skip, total int) bool {
	if got == 0 {
		return false
	}
	if total > 0 {
		return skip < total
	}
	return got >= take
}

type pageFunc func(ctx context.Context, memberID int, since time.Time, skip, take int) (page, error)

// list is one source of contributions. sorted lists are asked for newest first, so reading
// can stop at the first page that reaches back past since even if the API ignored the date
// filter.
type list struct {
	name   string
	sorted bool
	fetch  pageFunc
}

func (c *Client) lists() []list {
	hansard := func(l hansardList) pageFunc {
		return func(ctx context.Context, memberID int, since time.Time, skip, take int) (page, error) {
			return c.hansardPage(ctx, l, memberID, since, skip, take)
		}
	}
	return []list{
		{hansardSpoken.api, true, hansard(hansardSpoken)},
		{hansardWritten.api, true, hansard(hansardWritten)},
		{apiQuestions, false, c.questionsPage},
		{apiStatements, false, c.statementsPage},
		{apiMotions, true, c.motionsPage},
	}
}

// Contributions returns what the member said on the record from since on, across Hansard
// (spoken and written), written questions, written statements and early day motions; newest
// first, each record once. A zero since means everything the APIs give, up to MaxPages pages
// per list.
//
// The APIs date records by day, so since is compared by UTC calendar day: records dated on
// since's day are returned again on the next poll. That overlap is deliberate (a day's Hansard
// is published in the hours after the sitting) and harmless to a caller that upserts by
// ExternalID.
//
// The lists are read concurrently; each API still gets one request at a time, MinInterval
// apart. When some lists fail, Contributions returns what the others gave together with the
// failures joined in the error (each naming its API, see APIError and RetryAfter). The caller
// should store what it got but not move since forward past a poll that returned an error, so
// what was missed is asked for again.
func (c *Client) Contributions(ctx context.Context, memberID int, since time.Time) ([]Contribution, error) {
	if memberID <= 0 {
		return nil, docket.FieldError("member", "member id must be a positive number, got %d", memberID)
	}
	lists := c.lists()
	results := make([][]Contribution, len(lists))
	errs := make([]error, len(lists))
	var wg sync.WaitGroup
	for i, l := range lists {
		wg.Go(func() {
			results[i], errs[i] = c.collect(ctx, l, memberID, since)
		})
	}
	wg.Wait()
	out := merge(results)
	err := errors.Join(errs...)
	if err != nil && ctx.Err() != nil {
		// One error says it better than five lists each reporting the same cancellation.
		return out, fmt.Errorf("parliament: %w", ctx.Err())
	}
	return out, err
}

// collect reads one list page by page until it runs out, reaches back past since, or hits
// MaxPages. It returns what it read before any error.
func (c *Client) collect(ctx context.Context, l list, memberID int, since time.Time) ([]Contribution, error) {
	sinceDay := day(since)
	take := c.take(maxTake)
	var out []Contribution
	skip := 0
	for n := 0; n < c.cfg.MaxPages; n++ {
		p, err := l.fetch(ctx, memberID, since, skip, take)
		for _, it := range p.items {
			if !older(it.Date, since) {
				out = append(out, it)
			}
		}
		if err != nil {
			return out, err
		}
		skip += p.raw
		if !morePages(p.raw, take, skip, p.total) {
			break
		}
		if l.sorted && !since.IsZero() && !p.oldest.IsZero() && p.oldest.Before(sinceDay) {
			break
		}
	}
	return out, nil
}

// merge flattens the lists' results, keeps the first of each ExternalID (paging over a list
// that grows between requests can show a record twice), drops a Hansard written contribution
// that repeats a written statement, and sorts newest first. The sort is stable, so records of
// one day keep the APIs' order.
func merge(results [][]Contribution) []Contribution {
	var all []Contribution
	seen := map[string]bool{}
	statements := map[string]bool{} // day + folded title of each written statement
	for _, rs := range results {
		for _, r := range rs {
			if seen[r.ExternalID] {
				continue
			}
			seen[r.ExternalID] = true
			if strings.HasPrefix(r.ExternalID, "ws:") {
				statements[statementKey(r)] = true
			}
			all = append(all, r)
		}
	}
	out := all[:0]
	for _, r := range all {
		// Hansard republishes written statements; the statements API's copy is the one kept,
		// as its page is where the statement is published.
		if r.Kind == docket.KindArticle && strings.HasPrefix(r.ExternalID, "hansard:") && statements[statementKey(r)] {
			continue
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b Contribution) int { return b.Date.Compare(a.Date) })
	return out
}

func statementKey(c Contribution) string {
	return day(c.Date).Format(time.DateOnly) + " " + docket.Fold(c.Title)
}
