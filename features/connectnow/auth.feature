Feature: Tokens, wherever a request carries them
  Seed 002, "Authentication": API tokens follow the API philosophy "using api_token", and
  chat-user tokens "use chat_user_token instead"; public fact: a token may come in the query
  string or the body, or as Authorization: Bearer (NOTES.md C3).

  Background:
    Given the account Acme with the chat "Support"
    And Bob has joined "Support"
    And Bob has posted the message "hello" in "Support"

  @rule:C-api-token @rule:C-fact-token-placements
  Scenario Outline: An API token works in every placement
    Doc: 002 "API tokens are usual tokens that you use to authenticate most API requests. These follow our API philosophy on authentication using api_token"
    When Acme lists its chats with the token <placement>
    Then the call succeeds with 200
    And the list holds exactly the chats "Support"

    Examples:
      | placement           |
      | in the query string |
      | in the body         |
      | in a form body      |
      | as a bearer token   |

  @rule:C-chat-user-token @rule:C-fact-token-placements
  Scenario Outline: A chat-user token works in every placement
    Doc: 002 "Chat-user tokens are tokens that are scoped to a user in a given chat, and are required to interact as a given user in a given chat. These follow our API philosophy on authentication, but use chat_user_token instead"
    When Bob lists the messages of "Support" with the token <placement>
    Then the call succeeds with 200
    And the list holds exactly the messages "hello"

    Examples:
      | placement           |
      | in the query string |
      | in the body         |
      | in a form body      |
      | as a bearer token   |

  @rule:C-fact-unauthenticated-401 @rule:C-tokens-two-kinds
  Scenario Outline: Every route refuses a request without a token
    Doc: 002 "two types of tokens exist for authentication depending on what you're trying to access"; public fact: 401
    When someone calls <method> <path> without a token
    Then the call is refused with 401

    Examples:
      | method | path                                            |
      | GET    | /api/user                                       |
      | GET    | /api/chat-user                                  |
      | GET    | /api/companies                                  |
      | GET    | /api/companies/{company-id}                     |
      | POST   | /api/companies                                  |
      | PUT    | /api/companies/{company-id}                     |
      | DELETE | /api/companies/{company-id}                     |
      | GET    | /api/chats                                      |
      | GET    | /api/chats/{chat-id}                            |
      | POST   | /api/chats                                      |
      | PUT    | /api/chats/{chat-id}                            |
      | DELETE | /api/chats/{chat-id}                            |
      | GET    | /api/chats/{chat-id}/users                      |
      | GET    | /api/chats/{chat-id}/users/{chat-user-id}       |
      | POST   | /api/chats/{chat-id}/users                      |
      | PUT    | /api/chats/{chat-id}/users/{chat-user-id}       |
      | DELETE | /api/chats/{chat-id}/users/{chat-user-id}       |
      | GET    | /api/chats/{chat-id}/messages                   |
      | GET    | /api/chats/{chat-id}/messages/{chat-message-id} |
      | POST   | /api/chats/{chat-id}/messages                   |
      | PUT    | /api/chats/{chat-id}/messages/{chat-message-id} |
      | DELETE | /api/chats/{chat-id}/messages/{chat-message-id} |
      | POST   | /chats/{chat-id}/share                          |

  @rule:C-fact-unauthenticated-401 @rule:C-tokens-two-kinds
  Scenario Outline: Every route refuses a token it does not know
    Doc: 002 "two types of tokens exist for authentication depending on what you're trying to access"; public fact: 401
    When someone calls <method> <path> with the <kind> token "not-a-token"
    Then the call is refused with 401

    Examples:
      | method | path                                            | kind      |
      | GET    | /api/user                                       | API       |
      | GET    | /api/chat-user                                  | chat-user |
      | GET    | /api/companies                                  | API       |
      | POST   | /api/companies                                  | API       |
      | GET    | /api/chats/{chat-id}                            | API       |
      | POST   | /api/chats                                      | API       |
      | GET    | /api/chats/{chat-id}/users                      | chat-user |
      | PUT    | /api/chats/{chat-id}/users/{chat-user-id}       | chat-user |
      | GET    | /api/chats/{chat-id}/messages                   | chat-user |
      | POST   | /api/chats/{chat-id}/messages                   | chat-user |
      | DELETE | /api/chats/{chat-id}/messages/{chat-message-id} | chat-user |
      | POST   | /chats/{chat-id}/share                          | API       |

  @rule:C-tokens-two-kinds
  Scenario Outline: Routes of the account refuse a chat-user token
    Doc: 002 "API tokens are usual tokens that you use to authenticate most API requests" (NOTES.md C10: 401 or 403)
    When Bob calls <method> <path>
    Then the call is refused with 401 or 403

    Examples:
      | method | path                       |
      | GET    | /api/user                  |
      | GET    | /api/companies             |
      | POST   | /api/companies             |
      | GET    | /api/chats                 |
      | POST   | /api/chats                 |
      | PUT    | /api/chats/{chat-id}       |
      | DELETE | /api/chats/{chat-id}       |
      | POST   | /api/chats/{chat-id}/users |
      | POST   | /chats/{chat-id}/share     |

  @rule:C-chat-messages-need-chat-user-token
  Scenario: Posting a message takes a chat-user token
    Doc: 002 "a chat-user token, which can then be saved in something like the local-storage and is required when creating chat messages" (NOTES.md C11)
    When Acme posts the message "from the account" in "Support"
    Then the call is refused with 401 or 403

  @rule:C-fact-accept-json
  Scenario: A request that accepts JSON is answered in JSON, even when refused
    Doc: 002 "Make sure to familiarize yourself with the API philosophy before proceeding with this guide."; public fact: requests carry "Accept: application/json" (NOTES.md C4)
    When someone calls GET /api/chats without a token
    Then the call is refused with 401
    And the reply is JSON
