Feature: Chat messages
  Seed 002, "Chat messages": get all, get single by ID, create, edit and delete. Posting takes
  a chat-user token; an author changes only its own messages.

  Background:
    Given the account Acme with the chat "Support"
    And Bob and Carol have joined "Support"

  @rule:C-chat-messages-create @rule:C-chat-user-token-acts-as-user @rule:C-fact-created-201 @rule:C-fact-records
  Scenario: Posting a message answers 201 with the message by its author
    Doc: 002 "Create POST /api/chats/{chat-id}/messages"; public fact: 201
    When Bob posts the message "hello" in "Support"
    Then the call succeeds with 201
    And the reply is the message "hello" by Bob in "Support"

  @rule:C-chat-messages-get
  Scenario: A message is fetched by id
    Doc: 002 "Get single by ID GET /api/chats/{chat-id}/messages/{chat-message-id}"
    Given Bob has posted the message "hello" in "Support"
    When Carol fetches the message "hello"
    Then the call succeeds with 200
    And the reply is the message "hello" by Bob in "Support"

  @rule:C-chat-messages-list @rule:C-fact-ids-tie-records
  Scenario: Get all lists the chat's messages
    Doc: 002 "Get all GET /api/chats/{chat-id}/messages"
    Given Bob has posted the message "one" in "Support"
    And Carol has posted the message "two" in "Support"
    When Acme lists the messages of "Support"
    Then the call succeeds with 200
    And the list holds exactly the messages "one" and "two"
    And each listed message names its own chat and its author

  @rule:C-chat-messages-edit @rule:C-chat-user-token-kept
  Scenario: The author edits a message
    Doc: 002 "Edit PUT /api/chats/{chat-id}/messages/{chat-message-id}"
    Given Bob has posted the message "helo" in "Support"
    When Bob edits the message "helo" to "hello"
    Then the call succeeds with 200
    And the reply is the message "helo" reading "hello"

  @rule:C-chat-messages-delete @rule:C-chat-user-token-kept
  Scenario: The author deletes a message
    Doc: 002 "Delete DELETE /api/chats/{chat-id}/messages/{chat-message-id}" (NOTES.md C16: 200 or 204)
    Given Bob has posted the message "hello" in "Support"
    When Bob deletes the message "hello"
    Then the call succeeds with 200 or 204
    When Carol fetches the message "hello"
    Then the call is refused with 404

  @rule:C-chat-user-token-acts-as-user @rule:C-fact-forbidden-403
  Scenario: Only the author changes a message
    Doc: 002 "Chat-user tokens are tokens that are scoped to a user in a given chat, and are required to interact as a given user in a given chat" (NOTES.md C10)
    Given Bob has posted the message "hello" in "Support"
    When Carol edits the message "hello" to "hijacked"
    Then the call is refused with 403
    When Carol deletes the message "hello"
    Then the call is refused with 403
    And the message "hello" still reads "hello"

  @rule:C-chat-messages-delete
  Scenario: The chat's account moderates messages
    Doc: 002 "API tokens are usual tokens that you use to authenticate most API requests" (NOTES.md C11: moderation by the API token)
    Given Bob has posted the message "spam" in "Support"
    When Acme deletes the message "spam"
    And the checks below rest on the reading C11 of the register
    Then the call succeeds with 200 or 204

  @rule:C-chat-messages-create @rule:C-fact-validation-422
  Scenario: A message needs its text
    Doc: 002 "Create POST /api/chats/{chat-id}/messages"; public fact: "422 (validation)" (NOTES.md C14, C22)
    When Bob posts in "Support" with {}
    Then the call is refused with 422 naming "message"

  @rule:C-chat-messages-create @rule:C-fact-validation-422
  Scenario: A message's text is text
    Doc: 002 "Create POST /api/chats/{chat-id}/messages"; public fact: "422 (validation)" (NOTES.md C14, C22)
    When Bob posts in "Support" with {"message": ["a", "list"]}
    Then the call is refused with 422 naming "message"

  @rule:C-chat-messages-edit @rule:C-fact-validation-422
  Scenario: An edit's text is text
    Doc: 002 "Edit PUT /api/chats/{chat-id}/messages/{chat-message-id}"; public fact: "422 (validation)" (NOTES.md C14, C18, C22)
    Given Bob has posted the message "hello" in "Support"
    When Bob calls PUT /api/chats/{chat-id}/messages/{chat-message-id} with {"message": 7}
    Then the call is refused with 422 naming "message"

  @rule:C-chat-messages-get
  Scenario: A message of another chat is not found through this one
    Doc: 002 "Get single by ID GET /api/chats/{chat-id}/messages/{chat-message-id}" (NOTES.md C24: 403 or 404)
    Given Acme has created the chat "Sales" in "Acme"
    And Dana has joined "Sales"
    And Dana has posted the message "elsewhere" in "Sales"
    When Acme fetches the message "elsewhere" through "Support"
    Then the call is refused with 403 or 404
