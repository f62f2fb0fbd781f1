package parliament

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// hansardSearch is the body of /search/contributions/{Spoken,Written}.json.
type hansardSearch struct {
	Results          []hansardContribution `json:"Results"`
	TotalResultCount int                   `json:"TotalResultCount"`
}

type hansardContribution struct {
	MemberName           string `json:"MemberName"`
	MemberID             int    `json:"MemberId"`
	AttributedTo         string `json:"AttributedTo"`
	ContributionExtID    string `json:"ContributionExtId"`
	ContributionText     string `json:"ContributionText"`
	ContributionTextFull string `json:"ContributionTextFull"`
	DebateSection        string `json:"DebateSection"`
	DebateSectionExtID   string `json:"DebateSectionExtId"`
	SittingDate          string `json:"SittingDate"`
	House                string `json:"House"`
}

// hansardList is one of the two Hansard contribution lists the client reads.
type hansardList struct {
	api  string // name in errors
	path string
	kind string
}

var (
	hansardSpoken  = hansardList{"hansard spoken", "/search/contributions/Spoken.json", docket.KindSpeech}
	hansardWritten = hansardList{"hansard written", "/search/contributions/Written.json", docket.KindArticle}
)

// hansardPage fetches one page of a member's contributions, newest sitting first, up to
// today: the search takes an end date (queryParameters.endDate) as well as a start, and is
// given one so that what a poll asks for is a closed span of days.
func (c *Client) hansardPage(ctx context.Context, list hansardList, memberID int, since time.Time, skip, take int) (page, error) {
	q := url.Values{
		"queryParameters.memberId": {itoa(memberID)},
		"queryParameters.orderBy":  {"SittingDateDesc"},
		"queryParameters.endDate":  {c.today().Format(time.DateOnly)},
		"queryParameters.skip":     {itoa(skip)},
		"queryParameters.take":     {itoa(take)},
	}
	if !since.IsZero() {
		q.Set("queryParameters.startDate", day(since).Format(time.DateOnly))
	}
	var body hansardSearch
	if err := c.get(ctx, c.hansard, list.api, list.path, q, &body); err != nil {
		return page{}, err
	}
	return c.hansardResults(body, list, memberID), nil
}

func (c *Client) hansardResults(body hansardSearch, list hansardList, memberID int) page {
	p := page{raw: len(body.Results), total: body.TotalResultCount}
	for _, r := range body.Results {
		date, _ := parseTime(r.SittingDate)
		p.see(date)
		if r.ContributionExtID == "" || (r.MemberID != 0 && r.MemberID != memberID) {
			continue
		}
		text := r.ContributionTextFull
		if strings.TrimSpace(text) == "" {
			text = r.ContributionText
		}
		name := r.MemberName
		if name == "" {
			name = r.AttributedTo
		}
		p.items = append(p.items, Contribution{
			ExternalID: "hansard:" + r.ContributionExtID,
			Kind:       list.kind,
			Title:      strings.TrimSpace(r.DebateSection),
			Text:       plainText(text),
			URL:        c.HansardURL(r.House, date, r.DebateSectionExtID, r.ContributionExtID),
			Date:       date,
			MemberID:   memberID,
			MemberName: strings.TrimSpace(name),
			House:      r.House,
		})
	}
	return p
}

// HansardURL is the public permalink of a contribution:
// {HansardWeb}/{house}/{yyyy-mm-dd}/debates/{debateSectionExtID}/link#contribution-{contributionExtID}.
// It is "" when a part is missing, since a link to the wrong place is worse than none.
func (c *Client) HansardURL(house string, sitting time.Time, debateSectionExtID, contributionExtID string) string {
	if house == "" || sitting.IsZero() || debateSectionExtID == "" {
		return ""
	}
	u := c.web.hansard + "/" + url.PathEscape(house) + "/" + sitting.Format(time.DateOnly) +
		"/debates/" + url.PathEscape(debateSectionExtID) + "/link"
	if contributionExtID != "" {
		u += "#contribution-" + url.PathEscape(contributionExtID)
	}
	return u
}
