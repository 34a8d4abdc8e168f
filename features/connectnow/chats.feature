Feature: Chats
  Seed 002, "Chats": get all, get single by ID, create, edit and delete. A chat belongs to a
  company; its chat users may read it.

  Background:
    Given the account Acme with the company "Acme Ltd"

  @rule:C-chats-create @rule:C-fact-created-201 @rule:C-fact-records
  Scenario: Creating a chat answers 201 with the chat in its company
    Doc: 002 "Create POST /api/chats"; public fact: 201
    When Acme creates the chat "Support" in "Acme Ltd"
    Then the call succeeds with 201
    And the reply is the chat "Support" in "Acme Ltd"

  @rule:C-chats-get
  Scenario: A chat is fetched by its id
    Doc: 002 "Get single by ID GET /api/chats/{chat-id}"
    Given Acme has created the chat "Support" in "Acme Ltd"
    When Acme fetches the chat "Support"
    Then the call succeeds with 200
    And the reply is the chat "Support" in "Acme Ltd"

  @rule:C-chats-list
  Scenario: Get all lists the chats of the account's companies
    Doc: 002 "Get all GET /api/chats"
    Given Acme has created the chats "Support" and "Sales" in "Acme Ltd"
    When Acme lists its chats
    Then the call succeeds with 200
    And the list holds exactly the chats "Support" and "Sales"

  @rule:C-chats-edit
  Scenario: Editing renames the chat
    Doc: 002 "Edit PUT /api/chats/{chat-id}"
    Given Acme has created the chat "Support" in "Acme Ltd"
    When Acme renames the chat "Support" to "Help desk"
    Then the call succeeds with 200
    And the reply is the chat "Support" renamed "Help desk"

  @rule:C-chats-delete
  Scenario: Deleting removes the chat
    Doc: 002 "Delete DELETE /api/chats/{chat-id}" (NOTES.md C16: 200 or 204)
    Given Acme has created the chat "Support" in "Acme Ltd"
    When Acme deletes the chat "Support"
    Then the call succeeds with 200 or 204
    When Acme fetches the chat "Support"
    Then the call is refused with 404

  @rule:C-chat-user-token-scoped @rule:C-chats-get
  Scenario: A chat user reads its own chat
    Doc: 002 "Chat-user tokens are tokens that are scoped to a user in a given chat, and are required to interact as a given user in a given chat" (NOTES.md C10)
    Given Acme has created the chat "Support" in "Acme Ltd"
    And Bob has joined "Support"
    When Bob fetches the chat "Support"
    Then the call succeeds with 200
    And the reply is the chat "Support" in "Acme Ltd"

  @rule:C-chats-delete @rule:C-fact-cascade
  Scenario: Deleting a chat takes its users and messages with it
    Doc: 002 "Delete DELETE /api/chats/{chat-id}"; public fact: "deleting a chat takes its users and messages with it" (NOTES.md C17)
    Given Acme has created the chat "Support" in "Acme Ltd"
    And Bob has joined "Support"
    And Bob has posted the message "hello" in "Support"
    When Acme deletes the chat "Support"
    Then the call succeeds with 200 or 204
    And Bob's token is refused
    When Acme lists the messages of "Support"
    Then the call is refused with 404

  @rule:C-chats-create @rule:C-fact-validation-422
  Scenario: A chat needs a company and a name
    Doc: 002 "Create POST /api/chats"; public fact: "422 (validation)" (NOTES.md C22)
    When Acme creates a chat with {}
    Then the call is refused with 422 naming "company_id" and "name"

  @rule:C-chats-edit @rule:C-fact-validation-422
  Scenario: An edit's name is text
    Doc: 002 "Edit PUT /api/chats/{chat-id}"; public fact: "422 (validation)" (NOTES.md C18, C22)
    Given Acme has created the chat "Support" in "Acme Ltd"
    When Acme calls PUT /api/chats/{chat-id} with {"name": ["a", "list"]}
    Then the call is refused with 422 naming "name"

  @rule:C-chats-create
  Scenario: A chat's company must exist
    Doc: 002 "Create POST /api/chats"; public fact: "422 (validation)" (NOTES.md C9: 422, or 404)
    When Acme creates a chat with {"company_id": 987654321, "name": "Nowhere"}
    Then the call is refused with 422 or 404
