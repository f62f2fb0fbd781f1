package parliament

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

const apiMotions = "early day motions"

// edmList is the body of /EarlyDayMotions/list.
type edmList struct {
	PagingInfo struct {
		Total int `json:"Total"`
		Skip  int `json:"Skip"`
		Take  int `json:"Take"`
	} `json:"PagingInfo"`
	Response []edm `json:"Response"`
}

type edm struct {
	ID             int        `json:"Id"`
	UIN            flexString `json:"UIN"`
	Title          string     `json:"Title"`
	MotionText     string     `json:"MotionText"`
	DateTabled     string     `json:"DateTabled"`
	Status         string     `json:"Status"`
	MemberID       int        `json:"MemberId"`
	PrimarySponsor *struct {
		Name   string `json:"Name"`
		MnisID int    `json:"MnisId"`
	} `json:"PrimarySponsor"`
}

// motionsPage fetches one page of the early day motions a member tabled as primary sponsor,
// newest first. Motions the member only signed are not the member's own words and are left out.
func (c *Client) motionsPage(ctx context.Context, memberID int, since time.Time, skip, take int) (page, error) {
	q := url.Values{
		"parameters.memberId": {itoa(memberID)},
		"parameters.orderBy":  {"DateTabledDesc"},
		"parameters.skip":     {itoa(skip)},
		"parameters.take":     {itoa(take)},
	}
	if !since.IsZero() {
		q.Set("parameters.tabledStartDate", day(since).Format(time.DateOnly))
	}
	var body edmList
	if err := c.get(ctx, c.motions, apiMotions, "/EarlyDayMotions/list", q, &body); err != nil {
		return page{}, err
	}
	p := page{raw: len(body.Response), total: body.PagingInfo.Total}
	for _, m := range body.Response {
		date, _ := parseTime(m.DateTabled)
		p.see(date)
		sponsor := m.MemberID
		name := ""
		if m.PrimarySponsor != nil {
			name = strings.TrimSpace(m.PrimarySponsor.Name)
			if sponsor == 0 {
				sponsor = m.PrimarySponsor.MnisID
			}
		}
		if m.ID == 0 || (sponsor != 0 && sponsor != memberID) {
			continue
		}
		link := ""
		if c.web.motions != "" {
			link = c.web.motions + "/early-day-motion/" + itoa(m.ID)
		}
		p.items = append(p.items, Contribution{
			ExternalID: "edm:" + itoa(m.ID),
			Kind:       docket.KindArticle,
			Title:      strings.TrimSpace(m.Title),
			Text:       plainText(m.MotionText),
			URL:        link,
			Date:       date,
			MemberID:   memberID,
			MemberName: name,
			House:      "Commons", // early day motions are a Commons procedure
		})
	}
	return p, nil
}
