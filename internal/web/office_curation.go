package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// Curation of a topic's timeline by researchers and up: confirm or reject what the rule
// suggested, pin key events, write notes, add items by hand. Every action is a form that
// works without JavaScript (it returns to the page it came from, at the item) and, sent by
// htmx, answers with the item's entry redrawn.

// curationTarget reads the topic and the item a curation route names.
func (s *Server) curationTarget(r *http.Request) (*docket.Topic, int64, error) {
	t, err := s.db.TopicBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(r, "id")
	return t, id, err
}

// curated answers a curation action done on an item.
func (s *Server) curated(w http.ResponseWriter, r *http.Request, t *docket.Topic, itemID int64, done string) {
	back := safeBack(r.PostFormValue("back"), "/office/topics/"+t.Slug)
	if !isHTMX(r) {
		redirectBack(w, r, back, done, "item-"+itoa(itemID))
		return
	}
	e, err := s.db.TimelineEntry(r.Context(), t.ID, itemID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	notes, err := s.db.ItemNotes(r.Context(), t.ID, []int64{itemID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ve := entry(*e)
	ve.Notes = noteViews(notes[itemID])
	// A story's other copy, listed under its newest one, is redrawn as one.
	memberOf, _ := strconv.ParseInt(r.PostFormValue("member_of"), 10, 64)
	s.render(w, r, http.StatusOK, views.OfficeEntry(views.OfficeEntryView{Slug: t.Slug, Entry: ve, CanCurate: true, Back: back, MemberOf: max(memberOf, 0)}))
}

func (s *Server) handleSetState() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, id, err := s.curationTarget(r)
		if err == nil {
			err = s.db.SetLinkState(r.Context(), t.ID, id, r.PostFormValue("state"))
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.curated(w, r, t, id, "item-curated")
	}
}

func (s *Server) handleSetPinned() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, id, err := s.curationTarget(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		pinned, perr := strconv.ParseBool(r.PostFormValue("pinned"))
		if perr != nil {
			s.fail(w, r, docket.FieldError("pinned", "pinned %q must be true or false", r.PostFormValue("pinned")))
			return
		}
		if err := s.db.SetPinned(r.Context(), t.ID, id, pinned); err != nil {
			s.fail(w, r, err)
			return
		}
		s.curated(w, r, t, id, "item-curated")
	}
}

func (s *Server) handleAddNote() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, id, err := s.curationTarget(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		u := currentUser(r.Context())
		n := &store.ItemNote{TopicID: t.ID, ItemID: id, UserID: &u.ID, Body: r.PostFormValue("body")}
		if err := s.db.AddItemNote(r.Context(), n); err != nil {
			s.fail(w, r, err)
			return
		}
		s.curated(w, r, t, id, "note-added")
	}
}

// handleAddItem puts a stored item on the topic by hand, named by its number (shown on every
// entry) or its address; it is confirmed at once.
func (s *Server) handleAddItem() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		t, err := s.db.TopicBySlug(ctx, r.PathValue("slug"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		raw := strings.TrimSpace(r.PostFormValue("item"))
		var id int64
		switch {
		case raw == "":
			err = docket.FieldError("item", "Give the item's number or its address.")
		case strings.HasPrefix(raw, "http://") || strings.HasPrefix(raw, "https://"):
			id, err = s.db.ItemIDByURL(ctx, raw)
		default:
			n, perr := strconv.ParseInt(strings.TrimPrefix(raw, "#"), 10, 64)
			if perr != nil || n <= 0 {
				err = docket.FieldError("item", "%q is neither an item number nor an address starting with https://.", raw)
			}
			id = n
		}
		if err == nil {
			_, err = s.db.AddItemToTopic(ctx, t.ID, id)
		}
		if docket.ErrorCode(err) == docket.EINVALID {
			s.renderOfficeTopic(w, r, t, http.StatusUnprocessableEntity, views.AddItemForm{Item: raw, Error: docket.ErrorMessage(err)})
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		redirectBack(w, r, safeBack(r.PostFormValue("back"), "/office/topics/"+t.Slug), "item-added", "item-"+itoa(id))
	}
}
