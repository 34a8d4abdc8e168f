Feature: Chat users
  Seed 002, "Chat users": get all, get single by ID, create, edit and delete. The chat's
  account manages them; a chat user sees the others of its chat and changes only itself.

  Background:
    Given the account Acme with the chat "Support"

  @rule:C-chat-users-create @rule:C-fact-created-201 @rule:C-fact-records
  Scenario: Adding a chat user answers 201 with the chat user
    Doc: 002 "Create POST /api/chats/{chat-id}/users"; public fact: 201
    When Acme adds Bob to "Support"
    Then the call succeeds with 201
    And the reply is the chat user Bob of "Support"

  @rule:C-chat-users-get
  Scenario: A chat user is fetched by id
    Doc: 002 "Get single by ID GET /api/chats/{chat-id}/users/{chat-user-id}"
    Given Acme has added Bob to "Support"
    When Acme fetches the chat user Bob
    Then the call succeeds with 200
    And the reply is the chat user Bob of "Support"

  @rule:C-chat-users-list
  Scenario: Get all lists the chat's users
    Doc: 002 "Get all GET /api/chats/{chat-id}/users"
    Given Acme has added Bob and Carol to "Support"
    When Acme lists the chat users of "Support"
    Then the call succeeds with 200
    And the list holds exactly the chat users Bob and Carol

  @rule:C-chat-user-token-scoped @rule:C-chat-users-list
  Scenario: Chat users of a chat see each other
    Doc: 002 "Chat-user tokens are tokens that are scoped to a user in a given chat" (NOTES.md C10)
    Given Bob and Carol have joined "Support"
    When Bob lists the chat users of "Support"
    Then the call succeeds with 200
    And the list holds exactly the chat users Bob and Carol

  @rule:C-chat-users-edit
  Scenario: Editing renames the chat user
    Doc: 002 "Edit PUT /api/chats/{chat-id}/users/{chat-user-id}"
    Given Acme has added Bob to "Support"
    When Acme renames the chat user Bob to "Robert"
    Then the call succeeds with 200
    And the reply is the chat user Bob named "Robert"

  @rule:C-chat-user-token-acts-as-user @rule:C-chat-users-edit
  Scenario: A chat user renames himself
    Doc: 002 "Chat-user tokens are tokens that are scoped to a user in a given chat, and are required to interact as a given user in a given chat" (NOTES.md C10)
    Given Bob has joined "Support"
    When Bob renames himself to "Robert"
    Then the call succeeds with 200
    And the reply is the chat user Bob named "Robert"

  @rule:C-chat-users-delete
  Scenario: Deleting removes the chat user
    Doc: 002 "Delete DELETE /api/chats/{chat-id}/users/{chat-user-id}" (NOTES.md C16: 200 or 204)
    Given Acme has added Bob to "Support"
    When Acme removes Bob from "Support"
    Then the call succeeds with 200 or 204
    When Acme fetches the chat user Bob
    Then the call is refused with 404

  @rule:C-chat-users-delete @rule:C-fact-cascade
  Scenario: A chat user who leaves loses his token
    Doc: 002 "Delete DELETE /api/chats/{chat-id}/users/{chat-user-id}"; public fact: "deleting a chat takes its users and messages with it" (NOTES.md C17)
    Given Bob has joined "Support"
    When Bob removes himself from "Support"
    Then the call succeeds with 200 or 204
    And Bob's token is refused

  @rule:C-chat-users-create @rule:C-fact-validation-422
  Scenario: A chat user needs a name and an e-mail
    Doc: 002 "Create POST /api/chats/{chat-id}/users"; public fact: "422 (validation)" (NOTES.md C22)
    When Acme adds a chat user to "Support" with {}
    Then the call is refused with 422 naming "name" and "email"

  @rule:C-chat-users-create @rule:C-fact-validation-422
  Scenario: A chat user's e-mail is an address
    Doc: 002 "email | email | A valid email address"; public fact: "422 (validation)" (NOTES.md C22)
    When Acme adds a chat user to "Support" with {"name": "Eve", "email": "not-an-address"}
    Then the call is refused with 422 naming "email"

  @rule:C-chat-users-edit @rule:C-fact-validation-422
  Scenario: An edit's e-mail is an address
    Doc: 002 "Edit PUT /api/chats/{chat-id}/users/{chat-user-id}"; public fact: "422 (validation)" (NOTES.md C18, C22)
    Given Acme has added Bob to "Support"
    When Acme calls PUT /api/chats/{chat-id}/users/{chat-user-id} with {"email": "not-an-address"}
    Then the call is refused with 422 naming "email"

  @rule:C-chat-users-get
  Scenario: A chat user of another chat is not found through this one
    Doc: 002 "Get single by ID GET /api/chats/{chat-id}/users/{chat-user-id}" (NOTES.md C24: 403 or 404)
    Given Acme has created the chat "Sales" in "Acme"
    And Dana has joined "Sales"
    When Acme fetches the chat user Dana through "Support"
    Then the call is refused with 403 or 404
