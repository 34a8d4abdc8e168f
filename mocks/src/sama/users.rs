//! Users (seed 003): `user_create`, `user_edit`, `user_delete`, `user_search`,
//! `get_users_by_ids`, and provisioning for the admin API (NOTES.md S15 to S20).

use chatspec_specs::endpoint::Handle;
use chatspec_specs::sama::{
    auth::ProvisionedUser,
    envelope::Status,
    users::{GetUsersByIdsParams, UserCreateParams, UserEditParams, UserReply, UserSearchParams, UsersReply},
};
use serde_json::Value;
use time::OffsetDateTime;

use super::compat::Switch;
use super::error::{SamaError, fail};
use super::frames::to_value;
use super::store::{Call, Ctx, Millis, Served, Store, User, dedup, limit};

/// Optional profile fields of a new user.
#[derive(Clone, Debug, Default)]
pub(crate) struct Profile {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

fn trimmed(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl Store {
    /// `user_create: { login, password }`: sign-up, allowed before `connect`; the
    /// `organization_id` is kept when `sign_up_needs_organization` is on.
    pub(crate) fn user_create(
        &mut self,
        cx: &Ctx,
        p: UserCreateParams,
        organization: Option<String>,
    ) -> Result<Value, SamaError> {
        if self.config.broken(super::breakage::Breakage::SignUpRefused) {
            return fail(Status::Unprocessable, format!("the login {:?} is already taken", p.login.trim()));
        }
        let profile =
            Profile { email: p.email, phone: p.phone, first_name: p.first_name, last_name: p.last_name };
        let id = self.add_user(cx.now, &p.login, &p.password, profile)?;
        if self.config.on(Switch::SignUpNeedsOrganization)
            && let Some(u) = self.users.get_mut(&id)
        {
            u.organization_id = organization;
        }
        let user = self.user_view(self.user(&id)?);
        Ok(to_value(&UserReply { id: cx.id.clone(), user }))
    }

    /// Adds a user and returns its id: the login must be new (ignoring case), the e-mail and
    /// phone not another user's.
    pub(crate) fn add_user(
        &mut self,
        now: Millis,
        login: &str,
        password: &str,
        profile: Profile,
    ) -> Result<String, SamaError> {
        let login = login.trim();
        if login.is_empty() {
            return fail(Status::Unprocessable, "login must not be empty");
        }
        if password.is_empty() {
            return fail(Status::Unprocessable, "password must not be empty");
        }
        if self.logins.contains_key(&login.to_lowercase()) {
            return fail(Status::Unprocessable, format!("the login {login:?} is already taken"));
        }
        let email = trimmed(profile.email);
        let phone = trimmed(profile.phone);
        self.check_contact_points_free(None, email.as_deref(), phone.as_deref())?;
        let id = self.new_id();
        self.logins.insert(login.to_lowercase(), id.clone());
        self.users.insert(
            id.clone(),
            User {
                id: id.clone(),
                login: login.to_owned(),
                password: password.to_owned(),
                first_name: trimmed(profile.first_name),
                last_name: trimmed(profile.last_name),
                email,
                phone,
                created_at: now,
                updated_at: now,
                recent_activity: now.div_euclid(1000),
                organization_id: None,
            },
        );
        Ok(id)
    }

    /// 422 when another user than `me` has that e-mail (ignoring case) or phone.
    fn check_contact_points_free(
        &self,
        me: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Result<(), SamaError> {
        for u in self.users.values().filter(|u| Some(u.id.as_str()) != me) {
            if let (Some(mine), Some(theirs)) = (email, u.email.as_deref())
                && mine.eq_ignore_ascii_case(theirs)
            {
                return fail(Status::Unprocessable, format!("the e-mail {mine:?} belongs to another user"));
            }
            if phone.is_some() && phone == u.phone.as_deref() {
                return fail(
                    Status::Unprocessable,
                    format!("the phone {:?} belongs to another user", phone.unwrap_or("")),
                );
            }
        }
        Ok(())
    }

    /// The user whose e-mail (ignoring case) or phone is `value`: a contact's
    /// `matched_user_id`.
    pub(crate) fn user_with_contact_point(&self, value: &str) -> Option<&str> {
        let value = value.trim();
        self.users
            .values()
            .find(|u| {
                u.email.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(value))
                    || u.phone.as_deref() == Some(value)
            })
            .map(|u| u.id.as_str())
    }

    /// `user_edit: { current_password, new_password, email, phone }` (S17).
    pub(crate) fn user_edit(&mut self, cx: &Ctx, p: UserEditParams) -> Result<Value, SamaError> {
        let current = self.user(&cx.me)?.clone();
        if let Some(new_password) = &p.new_password {
            if new_password.is_empty() {
                return fail(Status::Unprocessable, "new_password must not be empty");
            }
            if p.current_password.as_deref() != Some(current.password.as_str()) {
                return fail(Status::Unprocessable, "current_password is missing or wrong");
            }
        }
        let email = p.email.map(|e| e.trim().to_owned());
        let phone = p.phone.map(|e| e.trim().to_owned());
        self.check_contact_points_free(
            Some(&cx.me),
            email.as_deref().filter(|e| !e.is_empty()),
            phone.as_deref().filter(|e| !e.is_empty()),
        )?;
        let login = match p.login.map(|l| l.trim().to_owned()) {
            Some(l) if l.is_empty() => {
                return fail(Status::Unprocessable, "login must not be empty");
            }
            Some(l) if !l.eq_ignore_ascii_case(&current.login) => {
                if self.logins.contains_key(&l.to_lowercase()) {
                    return fail(Status::Unprocessable, format!("the login {l:?} is already taken"));
                }
                Some(l)
            }
            other => other,
        };
        if let Some(l) = &login {
            self.logins.remove(&current.login.to_lowercase());
            self.logins.insert(l.to_lowercase(), cx.me.clone());
        }
        let Some(u) = self.users.get_mut(&cx.me) else {
            return fail(Status::NotFound, "your user is gone");
        };
        if let Some(l) = login {
            u.login = l;
        }
        if let Some(pw) = p.new_password {
            u.password = pw;
        }
        // An empty string clears a field.
        if let Some(e) = email {
            u.email = Some(e).filter(|e| !e.is_empty());
        }
        if let Some(ph) = phone {
            u.phone = Some(ph).filter(|p| !p.is_empty());
        }
        if let Some(f) = p.first_name {
            u.first_name = trimmed(Some(f));
        }
        if let Some(l) = p.last_name {
            u.last_name = trimmed(Some(l));
        }
        u.updated_at = cx.now;
        let user = self.user_view(self.user(&cx.me)?);
        Ok(to_value(&UserReply { id: cx.id.clone(), user }))
    }

    /// `user_delete: {}` (S18).
    pub(crate) fn user_delete(&mut self, cx: &Ctx) -> Result<Value, SamaError> {
        let me = cx.me.clone();
        let cids: Vec<String> =
            self.convs.values().filter(|c| c.participants.contains(&me)).map(|c| c.id.clone()).collect();
        for cid in cids {
            self.leave(cx, &cid);
        }
        if let Some(u) = self.users.remove(&me) {
            self.logins.remove(&u.login.to_lowercase());
        }
        self.tokens.retain(|_, t| t.user != me);
        self.device_access.retain(|(user, _), _| *user != me);
        self.contacts.retain(|_, c| c.owner != me);
        self.push_subs.retain(|_, s| s.user != me);
        self.blocks.remove(&me);
        for blocked in self.blocks.values_mut() {
            blocked.retain(|id| *id != me);
        }
        self.pending.remove(&me);
        self.pending_unlogged.remove(&me);
        self.watchers.remove(&me);
        let conns: Vec<_> = self.user_conns.get(&me).map(|c| c.iter().copied().collect()).unwrap_or_default();
        for conn in conns {
            self.unlink(cx.now, conn);
        }
        Ok(cx.success())
    }

    /// `user_search: { keyword, limit, updated_at: { gt }, ignore_ids }` (S19).
    pub(crate) fn user_search(&self, cx: &Ctx, p: UserSearchParams) -> Result<Value, SamaError> {
        let keyword = p.keyword.unwrap_or_default().trim().to_lowercase();
        let ignore = p.ignore_ids.unwrap_or_default();
        let ignored = self.config.broken(super::breakage::Breakage::UserSearchFiltersIgnored);
        let range = p.updated_at.filter(|_| !ignored).unwrap_or_default();
        let limit = |l| if ignored { usize::MAX } else { limit(l) };
        let mut hits: Vec<&User> = self
            .users
            .values()
            .filter(|u| u.id != cx.me && !ignore.contains(&u.id))
            .filter(|u| range.contains(u.updated_at))
            .filter(|u| {
                keyword.is_empty()
                    || [Some(&u.login), u.first_name.as_ref(), u.last_name.as_ref(), u.email.as_ref()]
                        .into_iter()
                        .flatten()
                        .any(|field| field.to_lowercase().contains(&keyword))
            })
            .collect();
        hits.sort_by(|a, b| (a.updated_at, &a.id).cmp(&(b.updated_at, &b.id)));
        let users = hits.into_iter().take(limit(p.limit)).map(|u| self.user_view(u)).collect();
        let mut reply = to_value(&UsersReply { id: cx.id.clone(), users });
        if self.config.broken(super::breakage::Breakage::UserSearchWithoutIds)
            && let Some(users) = reply.get_mut("users").and_then(Value::as_array_mut)
        {
            for u in users.iter_mut().filter_map(Value::as_object_mut) {
                u.remove("_id");
            }
        }
        Ok(reply)
    }

    /// `get_users_by_ids: { ids }`: unknown ids are left out (S20).
    pub(crate) fn get_users_by_ids(&self, cx: &Ctx, p: GetUsersByIdsParams) -> Result<Value, SamaError> {
        let users =
            dedup(p.ids).iter().filter_map(|id| self.users.get(id)).map(|u| self.user_view(u)).collect();
        Ok(to_value(&UsersReply { id: cx.id.clone(), users }))
    }

    /// Provisions a user for the admin API, logged in on `device` (a device of its own when
    /// `None`), so a client can `connect` at once.
    pub fn provision(
        &mut self,
        now: OffsetDateTime,
        name: &str,
        device: Option<&str>,
    ) -> Result<ProvisionedUser, ProvisionError> {
        let now = self.tick(now);
        let slug: String = name
            .trim()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
            .collect();
        let n = self.id_counter + 1;
        let login = format!("{slug}_{n}");
        let password = self.new_token("pw_");
        let (first_name, last_name) = match name.trim().split_once(' ') {
            Some((first, last)) => (Some(first.to_owned()), Some(last.trim().to_owned())),
            None => (Some(name.trim().to_owned()), None),
        };
        let profile = Profile { first_name, last_name, ..Profile::default() };
        let id = self.add_user(now, &login, &password, profile).map_err(ProvisionError)?;
        let device_id = device.map_or_else(|| format!("device_{login}"), str::to_owned);
        let (access_token, expired_at) = self.issue_access(now, &id, &device_id);
        let user = self.user_view(self.user(&id).map_err(ProvisionError)?);
        Ok(ProvisionedUser { user, login, password, access_token, expired_at, device_id })
    }
}

/// Why the admin API could not provision a user: the store's own refusal (a login the
/// mock made up that a client's `user_create` took first), shown by its message alone.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.message)]
pub struct ProvisionError(pub SamaError);

// ---- the handlers of the endpoints this area serves (`endpoints!` in specs/src/sama/mod.rs) ----
impl Handle<chatspec_specs::sama::users::UserCreate, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        let organization = c.organization_id();
        self.user_create(c.cx, c.params()?, organization).map(Some)
    }
}

impl Handle<chatspec_specs::sama::users::UserEdit, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.user_edit(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::users::UserDelete, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.user_delete(c.cx).map(Some)
    }
}

impl Handle<chatspec_specs::sama::users::UserSearch, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.user_search(c.cx, c.params()?).map(Some)
    }
}

impl Handle<chatspec_specs::sama::users::GetUsersByIds, Call<'_>, Served> for Store {
    fn handle(&mut self, c: Call<'_>) -> Served {
        self.get_users_by_ids(c.cx, c.params()?).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use serde_json::json;

    #[test]
    fn sign_up_works_before_connect_and_logins_are_unique() {
        let mut f = Fixture::new();
        let conn = f.open();
        let reply = f.request(
            conn,
            "user_create",
            json!({"login": "user_1", "password": "pw", "email": "u1@example.com"}),
        );
        assert_eq!(reply["user"]["login"], "user_1");
        assert_eq!(reply["user"]["_id"].as_str().unwrap().len(), 24);
        let again = f.request(conn, "user_create", json!({"login": "USER_1", "password": "x"}));
        assert_eq!(again["error"]["status"], 422, "{again}");
        let missing = f.request(conn, "user_create", json!({"login": "user_2"}));
        assert_eq!(missing["error"]["status"], 422);
        assert!(missing["error"]["message"].as_str().unwrap().contains("password"), "{missing}");
    }

    #[test]
    fn a_provisioned_user_carries_native_id_and_the_device_asked_for() {
        let mut f = Fixture::new();
        let now = f.now;
        let alice = f.store.provision(now, "alice", Some("browser-fingerprint-1")).unwrap();
        assert_eq!(alice.device_id, "browser-fingerprint-1");
        assert_eq!(alice.user.native_id.as_deref(), Some(alice.user.id.as_str()));
        let conn = f.connect(&alice);
        let listed = f.request(conn, "get_users_by_ids", json!({"ids": [alice.user.id]}));
        assert_eq!(listed["users"][0]["native_id"], alice.user.id.as_str(), "{listed}");
    }

    #[test]
    fn a_new_password_needs_the_current_one() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let conn = f.connect(&alice);
        let wrong = f.request(conn, "user_edit", json!({"current_password": "nope", "new_password": "n"}));
        assert_eq!(wrong["error"]["status"], 422);
        let ok = f.request(
            conn,
            "user_edit",
            json!({"current_password": alice.password, "new_password": "n", "email": "a@x.io"}),
        );
        assert_eq!(ok["user"]["email"], "a@x.io", "{ok}");
        assert_eq!(f.store.users[&alice.user.id].password, "n");
    }

    #[test]
    fn search_matches_names_and_leaves_out_the_caller_and_ignored() {
        let mut f = Fixture::new();
        let sam = f.provision("Sam Smith");
        let samantha = f.provision("Samantha");
        let other = f.provision("Bob");
        let conn = f.connect(&sam);
        let reply = f.request(conn, "user_search", json!({"keyword": "SAM", "ignore_ids": [other.user.id]}));
        let ids: Vec<&str> =
            reply["users"].as_array().unwrap().iter().map(|u| u["_id"].as_str().unwrap()).collect();
        assert_eq!(ids, vec![samantha.user.id.as_str()]);
        let reply =
            f.request(conn, "get_users_by_ids", json!({"ids": [other.user.id, "nobody", other.user.id]}));
        assert_eq!(reply["users"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn a_deleted_user_leaves_conversations_and_cannot_sign_in() {
        let mut f = Fixture::new();
        let alice = f.provision("alice");
        let bob = f.provision("bob");
        let a = f.connect(&alice);
        let b = f.connect(&bob);
        let cid = f.group(a, "G", &[&bob.user.id]);
        f.drain();
        let reply = f.request(b, "user_delete", json!({}));
        assert_eq!(reply["success"], true);
        assert_eq!(f.store.convs[&cid].participants, vec![alice.user.id.clone()]);
        let left = f.events(a, "message");
        assert_eq!(left[0]["x"]["type"], "left_participants", "{left:?}");
        let reply = f.request(b, "conversation_list", json!({}));
        assert_eq!(reply["error"]["status"], 401);
    }
}
