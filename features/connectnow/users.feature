Feature: The current user
  Seed 002, "Current user": GET /api/user answers the account behind an API token, and
  GET /api/chat-user the chat user behind a chat-user token.

  Background:
    Given the account Acme with the chat "Support"
    And Bob has joined "Support"

  @rule:C-user-get
  Scenario: An API token identifies its account
    Doc: 002 "Get authenticated via API token GET /api/user"
    When Acme asks who it is
    Then the call succeeds with 200
    And the reply is the account Acme

  @rule:C-chat-user-get
  Scenario: A chat-user token identifies its chat user
    Doc: 002 "Get authenticated via chat-user token GET /api/chat-user"
    When Bob asks who he is
    Then the call succeeds with 200
    And the reply is the chat user Bob of "Support"

  @rule:C-tokens-two-kinds @rule:C-user-get
  Scenario: GET /api/user takes no chat-user token
    Doc: 002 "Get authenticated via API token GET /api/user" (NOTES.md C23)
    When Bob calls GET /api/user
    Then the call is refused with 401

  @rule:C-chat-user-get @rule:C-tokens-two-kinds
  Scenario: GET /api/chat-user takes no API token
    Doc: 002 "Get authenticated via chat-user token GET /api/chat-user" (NOTES.md C23)
    When Acme calls GET /api/chat-user
    Then the call is refused with 401

  @rule:C-fact-unauthenticated-401 @rule:C-tokens-two-kinds
  Scenario: Without a token there is no current user
    Doc: 002 "two types of tokens exist for authentication depending on what you're trying to access"
    When someone calls GET /api/user without a token
    Then the call is refused with 401
    When someone calls GET /api/chat-user without a token
    Then the call is refused with 401
