package parliament

import (
	"context"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/docket-dev/docket/internal/docket"
)

const apiMembers = "members"

// membersMaxTake is the most the Members API returns per request.
const membersMaxTake = 20

// membersSearch is the body of /api/Members/Search.
type membersSearch struct {
	Items []struct {
		Value memberRecord `json:"value"`
	} `json:"items"`
	TotalResults int `json:"totalResults"`
}

type memberRecord struct {
	ID            int    `json:"id"`
	NameDisplayAs string `json:"nameDisplayAs"`
	LatestParty   *struct {
		Name string `json:"name"`
	} `json:"latestParty"`
	LatestHouseMembership *struct {
		MembershipFrom    string  `json:"membershipFrom"`
		House             int     `json:"house"` // 1 Commons, 2 Lords
		MembershipEndDate *string `json:"membershipEndDate"`
		MembershipStatus  *struct {
			StatusIsActive bool `json:"statusIsActive"`
		} `json:"membershipStatus"`
	} `json:"latestHouseMembership"`
}

// FindMembers searches the Members API for members whose name contains name, in the API's
// order, reading at most MaxPages pages of 20. Former members the API returns are kept, with
// Current false, so an office can tell a namesake from its MP.
func (c *Client) FindMembers(ctx context.Context, name string) ([]Member, error) {
	name = strings.Join(strings.Fields(name), " ")
	if utf8.RuneCountInString(name) < 2 {
		return nil, docket.FieldError("name", "name to search for must have at least 2 letters, got %q", name)
	}
	take := c.take(membersMaxTake)
	var out []Member
	seen := map[int]bool{}
	for n, skip := 0, 0; n < c.cfg.MaxPages; n++ {
		q := url.Values{"Name": {name}, "skip": {itoa(skip)}, "take": {itoa(take)}}
		var body membersSearch
		if err := c.get(ctx, c.members, apiMembers, "/api/Members/Search", q, &body); err != nil {
			return out, err
		}
		for _, it := range body.Items {
			if m, ok := member(it.Value); ok && !seen[m.ID] {
				seen[m.ID] = true
				out = append(out, m)
			}
		}
		skip += len(body.Items)
		if !morePages(len(body.Items), take, skip, body.TotalResults) {
			break
		}
	}
	return out, nil
}

func member(r memberRecord) (Member, bool) {
	if r.ID <= 0 {
		return Member{}, false
	}
	m := Member{ID: r.ID, Name: strings.TrimSpace(r.NameDisplayAs)}
	if r.LatestParty != nil {
		m.Party = strings.TrimSpace(r.LatestParty.Name)
	}
	if h := r.LatestHouseMembership; h != nil {
		m.Constituency = strings.TrimSpace(h.MembershipFrom)
		switch h.House {
		case 1:
			m.House = "Commons"
		case 2:
			m.House = "Lords"
		}
		if h.MembershipStatus != nil {
			m.Current = h.MembershipStatus.StatusIsActive
		} else {
			m.Current = h.MembershipEndDate == nil
		}
	}
	return m, true
}
