Feature: Frames and errors: the one error shape, and a socket that stays usable
  Seed 003 shows requests as { request: { <name>: {...}, id } } and replies as { response: {
  id, ... } }; it shows no error. So a refusal is any error reply; its shape { response: { id,
  error: { status, message } } } and its status are the register's readings (S10), as is what
  becomes of bad frames (S11).

  Background:
    Given the users Alice

  @rule:S-reg-bad-frames @rule:S-reg-error-shape
  Scenario: A frame that is not JSON gets an error and the socket stays usable
    Doc: 003 "request: { user_create: { login: "user_1", password: "user_paswword_1" id: "421cda83-7f39-45a9-81e8-5f83cfa0733c""
    When Alice sends the frame "this is not json"
    Then Alice gets an error frame with status 422 (reading S11)
    And Alice's socket still answers requests (reading S11)

  @rule:S-reg-bad-frames
  Scenario: A binary frame gets an error and the socket stays usable
    Doc: 003 "request: { user_search: { keyword: "sam", limit: 100,"
    When Alice sends a binary frame
    Then Alice gets an error frame with status 422 (reading S11)
    And Alice's socket still answers requests (reading S11)

  @rule:S-frame-request-reply @rule:S-reg-bad-frames
  Scenario: An unknown request gets an error naming it
    Doc: 003 "request: { contact_add:" and "id: "4""
    When Alice sends the request "teleport" with {"to": "mars"}
    Then the request is refused with status 422 (reading S11)
    And the error message names "teleport" (reading S11)
    And Alice's socket still answers requests (reading S11)

  @rule:S-reg-request-id-required
  Scenario: A request without an id gets an error
    Doc: 003 "request: { user_delete: {}, id: "3""
    When Alice sends the frame {"request": {"list_blocked_users": {}}}
    Then Alice gets an error frame with status 422 (reading S2)
    And Alice's socket still answers requests (reading S11)

  @rule:S-conversation-type-values @rule:S-reg-error-shape
  Scenario: A request with malformed parameters gets an error naming the field
    Doc: 003 "conversation_create: { name: "ChantName", description: "Description", type: "g" participants: ["
    When Alice sends the request "conversation_create" with {"type": "x", "participants": []}
    Then the request is refused with status 422
    And the error message names "type" (reading S11)

  @rule:S-frame-reply-echoes-id
  Scenario: A reply echoes the request id as sent, a number included
    Doc: 003 "request: { push_event_create:" and "id: 1" and "response: { id: 1, event:"
    When Alice sends the request "list_blocked_users" with {} and the id 7
    Then the reply answers the id 7 as a number

  @rule:S-connect
  Scenario: A request before connect gets 401 and the socket can still connect
    Doc: 003 "After receiving the access_token, the client must send a request to connect the socket to the server and link it to the current access_token"
    When someone opens a new socket and sends the request "conversation_list" with {}
    Then the request is refused with status 401
    When that socket connects as Alice
    Then the request succeeds with success true

  @rule:S-connect
  Scenario: A message before connect is refused
    Doc: 003 "After receiving the access_token, the client must send a request to connect the socket"
    When someone opens a new socket and sends a message to the conversation id "0000000000000000deadbeef"
    Then the message is refused with status 401

  @rule:S-reg-top-level-packets
  Scenario: A typing packet inside request is refused
    Doc: 003 "A user either can send typing or stop typing packets: typing: { cid: "xcv""
    When Alice sends the request "typing" with {"cid": "0000000000000000deadbeef"}
    Then the request is refused with status 422 (reading S12)
    And Alice's socket still answers requests (reading S11)

  @rule:S-login-password @rule:S-reg-error-shape
  Scenario: HTTP errors come in the same shape
    Doc: 003 "POST /login" and "Possible variations of request parameters"
    When someone logs in over HTTP with the body "{not json"
    Then the login is refused with status 422 (reading S10)
