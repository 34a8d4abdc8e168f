Feature: Each token acts only on its own data
  Seed 002, "Authentication": chat-user tokens "are scoped to a user in a given chat"; public
  fact: an API token acts only on its own companies' data (NOTES.md C9, C10, C24).

  Background:
    Given the account Acme with the chat "Support"
    And Bob has joined "Support"
    And Bob has posted the message "hello" in "Support"
    And the account Globex with the chat "Sales"
    And Dana has joined "Sales"

  @rule:C-fact-own-data
  Scenario Outline: Another account cannot reach Acme's records
    Doc: 002 "API tokens are usual tokens that you use to authenticate most API requests"; public fact: "an API token only on its own companies' data" (NOTES.md C9: 403 or 404)
    When Globex calls <method> <path>
    Then the call is refused with 403 or 404

    Examples:
      | method | path                                            |
      | GET    | /api/companies/{company-id}                     |
      | PUT    | /api/companies/{company-id}                     |
      | DELETE | /api/companies/{company-id}                     |
      | GET    | /api/chats/{chat-id}                            |
      | PUT    | /api/chats/{chat-id}                            |
      | DELETE | /api/chats/{chat-id}                            |
      | GET    | /api/chats/{chat-id}/users                      |
      | GET    | /api/chats/{chat-id}/users/{chat-user-id}       |
      | POST   | /api/chats/{chat-id}/users                      |
      | PUT    | /api/chats/{chat-id}/users/{chat-user-id}       |
      | DELETE | /api/chats/{chat-id}/users/{chat-user-id}       |
      | GET    | /api/chats/{chat-id}/messages                   |
      | GET    | /api/chats/{chat-id}/messages/{chat-message-id} |
      | PUT    | /api/chats/{chat-id}/messages/{chat-message-id} |
      | DELETE | /api/chats/{chat-id}/messages/{chat-message-id} |
      | POST   | /chats/{chat-id}/share                          |

  @rule:C-chats-list @rule:C-companies-list @rule:C-fact-own-data
  Scenario: Another account's lists hold none of Acme's records
    Doc: 002 "Get all GET /api/chats"; public fact: "an API token only on its own companies' data" (NOTES.md C9)
    When Globex lists its chats
    Then the call succeeds with 200
    And the list holds exactly the chats "Sales"
    When Globex lists its companies
    Then the call succeeds with 200
    And the list holds exactly the companies "Globex"

  @rule:C-chats-create @rule:C-fact-own-data
  Scenario: Another account cannot make a chat in Acme's company
    Doc: 002 "Create POST /api/chats"; public fact: "an API token only on its own companies' data" (NOTES.md C9)
    When Globex creates the chat "Intrusion" in "Acme"
    Then the call is refused with 403 or 404 or 422

  @rule:C-chat-user-token-scoped
  Scenario Outline: A chat-user token cannot reach another chat
    Doc: 002 "Chat-user tokens are tokens that are scoped to a user in a given chat" (NOTES.md C10: 403 or 404)
    When Dana calls <method> <path>
    Then the call is refused with 403 or 404

    Examples:
      | method | path                                            |
      | GET    | /api/chats/{chat-id}                            |
      | GET    | /api/chats/{chat-id}/users                      |
      | GET    | /api/chats/{chat-id}/users/{chat-user-id}       |
      | PUT    | /api/chats/{chat-id}/users/{chat-user-id}       |
      | DELETE | /api/chats/{chat-id}/users/{chat-user-id}       |
      | GET    | /api/chats/{chat-id}/messages                   |
      | GET    | /api/chats/{chat-id}/messages/{chat-message-id} |
      | POST   | /api/chats/{chat-id}/messages                   |
      | PUT    | /api/chats/{chat-id}/messages/{chat-message-id} |
      | DELETE | /api/chats/{chat-id}/messages/{chat-message-id} |

  @rule:C-chat-user-token-acts-as-user @rule:C-fact-forbidden-403
  Scenario: A chat user changes no other chat user
    Doc: 002 "Chat-user tokens are tokens that are scoped to a user in a given chat, and are required to interact as a given user in a given chat" (NOTES.md C10)
    Given Carol has joined "Support"
    When Carol renames the chat user Bob to "Robbie"
    Then the call is refused with 403
    When Carol removes Bob from "Support"
    Then the call is refused with 403
    When Bob asks who he is
    Then the reply is the chat user Bob of "Support"
