Feature: Users: sign-up, profile changes, deletion, search and lookup by id
  Seed 003, "user_create", "user_edit", "user_delete", "user_search" and
  "get_users_by_ids". Users whose password or existence a scenario changes sign up in the
  scenario itself, so pre-made accounts stay as they were.

  Background:
    Given the users Alice, Bob and Carol

  @rule:S-frame-request-reply @rule:S-user-create @rule:S-user-create-reply
  Scenario: A new user signs up with user_create before connecting
    Doc: 003 "request: { user_create: { login: "user_1", password: "user_paswword_1" id: "421cda83-7f39-45a9-81e8-5f83cfa0733c""
    When a new user signs up with user_create on a new socket
    Then the reply's user has the new login, an _id and its dates
    And the new user can log in over HTTP with that login and password

  @rule:S-user-create
  Scenario: A login that is taken is refused
    Doc: 003 "user_create: { login: "user_1", password: "user_paswword_1""
    When a new user signs up with user_create on a new socket
    And another new user signs up with the same login
    Then the request is refused with status 422 (reading S15)

  @rule:S-user-edit
  Scenario: user_edit changes the e-mail and the phone
    Doc: 003 "user_edit: { current_password: "...", new_password: "...", email: "...", phone: "...""
    Given Nora has signed up with user_create and connected
    When Nora changes her e-mail and phone
    Then the reply's user has the new e-mail and phone

  @rule:S-user-edit
  Scenario: A new password needs the current one
    Doc: 003 "user_edit: { current_password: "...", new_password: "...""
    Given Nora has signed up with user_create and connected
    When Nora changes her password giving a wrong current password
    Then the request is refused with status 422 (reading S17)
    When Nora changes her password giving the current password
    Then the request succeeds
    And Nora can log in over HTTP with the new password

  @rule:S-user-delete
  Scenario: A deleted user can no longer log in
    Doc: 003 "request: { user_delete: {}, id: "3"" and "{ response: { id: "3", success: true } }"
    Given Nora has signed up with user_create and connected
    When Nora deletes her account
    Then the request succeeds with success true
    And Nora can no longer log in over HTTP

  @rule:S-left-participants-message @rule:S-user-delete
  Scenario: A deleted user leaves her groups and the others are told
    Doc: 003 "When a user leaves the group chat, the next message will also be sent to all users who are online and saved in the Messages"
    Given Nora has signed up with user_create and connected
    And Alice has created the group "Team" with Bob and Nora
    When Nora deletes her account
    Then Alice and Bob each receive the participant message "left_participants" about Nora in "Team" (reading S18)

  @rule:S-user-search @rule:S-user-search-ignore-ids
  Scenario: user_search finds users by their login, never the caller, and skips ignore_ids
    Doc: 003 "user_search: { keyword: "sam", limit: 100, updated_at: { gt: timestamp_in_ms, ignore_ids: [ "63077ad836b78c3d82af0866", "63077ad836b78c3d82af0868" ]"
    When Alice searches users for Bob's login
    Then the users found include Bob
    When Alice searches users for Bob's login ignoring Bob
    Then the users found do not include Bob
    When Alice searches users for her own login
    Then the users found do not include Alice (reading S19)

  @rule:S-get-users-by-ids
  Scenario: get_users_by_ids returns the users asked for and leaves out unknown ids
    Doc: 003 "get_users_by_ids: { ids: [ "65fcb3f67dbaace5021595b9" ]" and "{ response: { id: "4", users: [...]} }"
    When Alice gets the users Bob, Carol and the unknown id "0000000000000000deadbeef"
    Then the users found are exactly Bob and Carol

  @rule:S-user-search @rule:S-user-search-filters
  Scenario: user_search keeps to its limit and to users changed after updated_at gt
    Doc: 003 "user_search: { keyword: "sam", limit: 100, updated_at: { gt: timestamp_in_ms,"
    When Alice searches users for a keyword common to Bob's and Carol's logins
    Then at least 2 users are found (reading S19)
    When Alice searches users for the same keyword with the limit 1
    Then at most 1 user is found
    When Alice searches users for Bob's login
    Then the users found include Bob
    When Alice searches users for Bob's login changed after his updated_at
    Then the users found do not include Bob
    When Alice searches users for Bob's login changed after a time before his updated_at
    Then the users found include Bob
