package parliament

import (
	"context"
	"fmt"

	"github.com/docket-dev/docket/internal/docket"
)

// memberItem is the body of /api/Members/{id}.
type memberItem struct {
	Value memberRecord `json:"value"`
}

// Member fetches one member by Parliament id from the Members API: what Docket needs to name
// the member a parliament source polls when only the id was given.
func (c *Client) Member(ctx context.Context, id int) (Member, error) {
	if id <= 0 {
		return Member{}, docket.FieldError("member", "member id must be a positive number, got %d", id)
	}
	var body memberItem
	if err := c.get(ctx, c.members, apiMembers, "/api/Members/"+itoa(id), nil, &body); err != nil {
		return Member{}, err
	}
	m, ok := member(body.Value)
	if !ok || m.ID != id {
		return Member{}, fmt.Errorf("parliament: %s: the API answered with member %d, not %d", apiMembers, body.Value.ID, id)
	}
	return m, nil
}
