Feature: Auth codes, chat-user tokens and the chat password
  Seed 002, "Users": "Get valid chat-user token" exchanges the auth code e-mailed to a person
  at POST /chats/{chat-id}/users/get-token; "Get chat password" is POST /chats/{chat-id}/share.
  Codes are read from the e-mails the target sent (NOTES.md C12, C13, C15); a scenario that
  needs a code and is not about the e-mail itself rests on "The auth code sent to the persons
  email" (C-auth-code-emailed) in its set-up.

  Background:
    Given the account Acme with the chat "Support"

  @rule:C-auth-code-emailed @rule:C-fact-created-201
  Scenario: Adding a chat user e-mails them an auth code
    Doc: 002 "auth-code | int | A valid auth code | ✅ | - | The auth code sent to the persons email"
    When Acme adds Bob to "Support"
    Then the call succeeds with 201
    And the server e-mailed Bob an auth code

  @rule:C-chat-user-get @rule:C-get-token-exchange @rule:C-get-token-route
  Scenario: An auth code is exchanged for a chat-user token
    Doc: 002 "This endpoint is used to exchange a valid auth-code for a chat-user token"
    Given Acme has added Bob to "Support"
    And Bob has received his auth code by e-mail
    When Bob exchanges his auth code for "Support"
    Then the call succeeds with 200
    And the reply carries a chat-user token for Bob
    When Bob asks who he is
    Then the reply is the chat user Bob of "Support"

  @rule:C-chat-messages-need-chat-user-token @rule:C-fact-created-201
  Scenario: The chat-user token lets its chat user post
    Doc: 002 "a chat-user token, which can then be saved in something like the local-storage and is required when creating chat messages"
    Given Acme has added Bob to "Support"
    And Bob has exchanged his auth code for "Support"
    When Bob posts the message "hi" in "Support"
    Then the call succeeds with 201

  @rule:C-get-token-exchange
  Scenario: An auth code works once
    Doc: 002 "exchange a valid auth-code for a chat-user token" (NOTES.md C12: single use; C15)
    Given Acme has added Bob to "Support"
    And Bob has exchanged his auth code for "Support"
    When Bob exchanges the same auth code for "Support" again
    Then the exchange gives no token

  @serial @clock
  @rule:C-get-token-exchange
  Scenario: An auth code expires
    Doc: 002 "exchange a valid auth-code for a chat-user token" (NOTES.md C12: valid 10 minutes; C15)
    Given Acme has added Bob to "Support"
    And Bob has received his auth code by e-mail
    When the lifetime of an auth code passes
    And Bob exchanges his auth code for "Support"
    Then the exchange gives no token

  @rule:C-get-token-auth-code @rule:C-get-token-exchange
  Scenario: A wrong auth code gives no token
    Doc: 002 "auth-code | int | A valid auth code" (NOTES.md C15)
    Given Acme has added Bob to "Support"
    And Bob has received his auth code by e-mail
    When Bob exchanges a wrong auth code for "Support"
    Then the exchange gives no token

  @rule:C-chat-user-token-scoped @rule:C-get-token-exchange
  Scenario: An auth code works only in its own chat
    Doc: 002 "Chat-user tokens are tokens that are scoped to a user in a given chat" (NOTES.md C15)
    Given Acme has created the chat "Sales" in "Acme"
    And Acme has added Bob to "Support"
    And Bob has received his auth code by e-mail
    When Bob exchanges his auth code for "Sales"
    Then the exchange gives no token

  @rule:C-fact-validation-422 @rule:C-get-token-auth-code @rule:C-get-token-email
  Scenario: The e-mail and the auth code are required
    Doc: 002 "email | email | A valid email address | ✅" and "auth-code | int | A valid auth code | ✅"
    When someone asks "Support" for a token with {}
    Then the call is refused with 422 naming "email" and "auth-code"

  @rule:C-fact-validation-422 @rule:C-get-token-email
  Scenario: The e-mail is an address
    Doc: 002 "email | email | A valid email address | ✅ | - | Email of the person requesting a token"
    When someone asks "Support" for a token with {"email": "not-an-address", "auth-code": 123456}
    Then the call is refused with 422 naming "email"

  @rule:C-fact-validation-422 @rule:C-get-token-auth-code
  Scenario: The auth code is an integer
    Doc: 002 "auth-code | int | A valid auth code | ✅ | - | The auth code sent to the persons email"
    When someone asks "Support" for a token with {"email": "someone@example.test", "auth-code": "abc"}
    Then the call is refused with 422 naming "auth-code"

  @rule:C-get-token-route
  Scenario: A chat that does not exist gives no token
    Doc: 002 "POST /chats/{chat-id}/users/get-token"; public fact: 404
    When someone calls POST /chats/987654321/users/get-token with {"email": "someone@example.test", "auth-code": 123456}
    Then the call is refused with 404 or 422

  @rule:C-share
  Scenario: The chat's account gets the chat password
    Doc: 002 "Chat password Get chat password POST /chats/{chat-id}/share"
    When Acme asks for the password of "Support"
    Then the call succeeds with 200
    And the reply carries the chat password

  @rule:C-auth-code-emailed @rule:C-share
  Scenario: The chat password gets a newcomer an auth code
    Doc: 002 "Get chat password POST /chats/{chat-id}/share" (NOTES.md C12, C13)
    Given Acme has asked for the password of "Support"
    When Dana asks "Support" for an auth code with the chat password
    Then the call succeeds with 200
    And the server e-mailed Dana an auth code
    When Dana exchanges her auth code for "Support"
    Then the call succeeds with 200
    And the reply carries a chat-user token for Dana

  @rule:C-fact-validation-422 @rule:C-share
  Scenario: A wrong chat password gets no auth code
    Doc: 002 "Get chat password POST /chats/{chat-id}/share" (NOTES.md C12, C13)
    Given Acme has asked for the password of "Support"
    When Dana asks "Support" for an auth code with a wrong chat password
    Then the call is refused with 422 naming "password"
    And the server e-mailed Dana no auth code
