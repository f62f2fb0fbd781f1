package parliament

import (
	"context"
	"net/http"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
)

func TestMember(t *testing.T) {
	const one = `{"value": {"id": 4821, "nameDisplayAs": "Ms Hannah Wren",
		"latestParty": {"id": 15, "name": "Labour"},
		"latestHouseMembership": {"membershipFrom": "Eastbridge and Marlow Vale", "house": 1, "membershipEndDate": null,
			"membershipStatus": {"statusIsActive": true}}},
		"links": [{"rel": "self", "href": "/Members/4821", "method": "GET"}]}`
	for _, tc := range []struct {
		name    string
		id      int
		status  int
		body    string
		want    Member
		wantErr string
	}{
		{name: "found", id: 4821, status: http.StatusOK, body: one,
			want: Member{ID: 4821, Name: "Ms Hannah Wren", Party: "Labour", House: "Commons", Constituency: "Eastbridge and Marlow Vale", Current: true}},
		{name: "another member answered", id: 4822, status: http.StatusOK, body: one,
			wantErr: "parliament: members: the API answered with member 4821, not 4822"},
		{name: "not found", id: 4823, status: http.StatusNotFound, body: ``,
			wantErr: "parliament: members: HTTP 404 Not Found"},
		{name: "malformed JSON", id: 4824, status: http.StatusOK, body: `{"value": `,
			wantErr: "parliament: members: malformed JSON: unexpected end of JSON input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeParliament(t)
			f.setOverride("/api/Members/"+itoa(tc.id), func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			})
			got, err := f.client(nil).Member(context.Background(), tc.id)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("got %+v, %v; want error %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Member: %v", err)
			}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
	t.Run("id not positive", func(t *testing.T) {
		f := newFakeParliament(t)
		if _, err := f.client(nil).Member(context.Background(), 0); docket.ErrorCode(err) != docket.EINVALID {
			t.Errorf("got %v, want an %s error", err, docket.EINVALID)
		}
	})
}
