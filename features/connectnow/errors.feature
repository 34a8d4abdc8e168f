Feature: Status codes and error bodies
  Seed 002, "Response Status Codes": "See: API Philosophy - status codes"; public fact: the
  codes are 200, 201, 401, 403, 404, 405, 422 (validation) and 429 (NOTES.md C5, C19, C20).

  Background:
    Given the account Acme with the chat "Support"

  @rule:C-fact-not-found-404 @rule:C-status-codes
  Scenario: A route that does not exist is not found
    Doc: 002 "Response Status Codes See: API Philosophy - status codes"; public fact: 404
    When Acme calls GET /api/no-such-route
    Then the call is refused with 404

  @rule:C-chats-get @rule:C-fact-not-found-404
  Scenario: A record that does not exist is not found
    Doc: 002 "Get single by ID GET /api/chats/{chat-id}"; public fact: 404
    When Acme calls GET /api/chats/987654321
    Then the call is refused with 404

  @rule:C-fact-method-405 @rule:C-status-codes
  Scenario Outline: A method a route does not take is 405
    Doc: 002 "Response Status Codes See: API Philosophy - status codes"; public fact: 405
    When Acme calls <method> <path>
    Then the call is refused with 405
    And the reply says which methods are allowed

    Examples:
      | method | path                             |
      | DELETE | /api/companies                   |
      | POST   | /api/user                        |
      | PUT    | /api/chats                       |
      | POST   | /api/chats/{chat-id}             |
      | GET    | /chats/{chat-id}/share           |
      | GET    | /chats/{chat-id}/users/get-token |

  @rule:C-status-codes
  Scenario: A body that is not JSON is refused with a message, not a server error
    Doc: 002 "Response Status Codes See: API Philosophy - status codes"; public fact: "422 (validation)" (NOTES.md C19)
    When Acme sends the body "{not json" to POST /api/companies
    Then the call is refused with a 4xx and a message

  @rule:C-status-codes
  Scenario: A body that is not an object is refused with a message, not a server error
    Doc: 002 "Response Status Codes See: API Philosophy - status codes"; public fact: "422 (validation)" (NOTES.md C19)
    When Acme sends the body "[\"Acme\"]" to POST /api/companies
    Then the call is refused with a 4xx and a message

  @rule:C-fact-validation-422 @rule:C-status-codes
  Scenario: A validation error names every failing field
    Doc: 002 "Response Status Codes See: API Philosophy - status codes"; public fact: "422 (validation)" (NOTES.md C5)
    When Acme creates a chat with {"name": 7}
    Then the call is refused with 422 naming "company_id" and "name"

  @serial
  @rule:C-fact-rate-limit-429
  Scenario: Too many requests are answered 429
    Doc: 002 "Response Status Codes See: API Philosophy - status codes"; public fact: 429 (NOTES.md C20)
    When Acme calls GET /api/user 4 times under a rate limit of 3 a minute
    Then the first 3 calls succeed and the next is refused with 429
