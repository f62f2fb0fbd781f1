package web

import (
	"net/http"
	"strings"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
	"github.com/docket-dev/docket/views"
)

// handleUsers is the admins' users page.
func (s *Server) handleUsers() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.renderUsers(w, r, http.StatusOK, views.UsersView{Form: views.UserForm{Role: docket.RoleResearcher}})
	}
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, v views.UsersView) {
	users, err := s.db.ListUsers(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Meta = s.officeMeta(r, "Users")
	for _, u := range users {
		v.Users = append(v.Users, views.UserRow{ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role, Disabled: u.Disabled, CreatedAt: u.CreatedAt})
	}
	s.render(w, r, status, views.Users(v))
}

func (s *Server) handleAddUser() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f := views.UserForm{Name: strings.TrimSpace(r.PostFormValue("name")), Email: store.NormalizeEmail(r.PostFormValue("email")), Role: r.PostFormValue("role")}
		u := &docket.User{Name: f.Name, Email: f.Email, Role: f.Role}
		var errs docket.Errors
		if err := store.ValidateUser(u); err != nil {
			errs = append(errs, err.(docket.Errors)...)
		}
		pw := r.PostFormValue("password")
		if err := docket.ValidatePassword(pw); err != nil {
			errs = append(errs, err.(*docket.Error))
		}
		if err := errs.Err(); err == nil {
			// Hashing takes 64 MiB, like a sign-in's check: it waits for a password slot.
			var hash string
			if !s.withPasswordSlot(r.Context(), func() { hash, err = docket.HashPassword(pw) }) {
				s.busy(w, r)
				return
			}
			if err != nil {
				s.fail(w, r, err)
				return
			}
			u.PasswordHash = hash
			by := currentUser(r.Context()).ID
			err = s.db.CreateUser(r.Context(), u, &by)
			if err == nil {
				redirectDone(w, r, "/office/users", "user-added")
				return
			}
			errs = nil
			fe, ferr := formErrors(err)
			if ferr != nil {
				s.fail(w, r, ferr)
				return
			}
			s.renderUsers(w, r, http.StatusUnprocessableEntity, views.UsersView{Form: f, Errors: fe})
			return
		}
		fe, _ := formErrors(errs)
		s.renderUsers(w, r, http.StatusUnprocessableEntity, views.UsersView{Form: f, Errors: fe})
	}
}

func (s *Server) handleUpdateUser() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		by := currentUser(r.Context()).ID
		err = s.db.UpdateUserAccess(r.Context(), id, r.PostFormValue("role"), r.PostFormValue("disabled") == "true", &by)
		if docket.ErrorCode(err) == docket.ECONFLICT || docket.ErrorCode(err) == docket.EINVALID {
			// The last admin, or a role that does not exist: say so on the users page.
			s.renderUsers(w, r, statusOf(docket.ErrorCode(err)), views.UsersView{Form: views.UserForm{Role: docket.RoleResearcher}, AccessError: docket.ErrorMessage(err)})
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		redirectDone(w, r, "/office/users", "user-updated")
	}
}
