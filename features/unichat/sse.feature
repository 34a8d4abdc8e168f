Feature: Receiving events over SSE
  Seed 000, "Receiving events": create_sse_auth_code() gives a code; GET /sse/{code} streams
  event_source_ready once, ping periodically, and unichat_notification for notifications.

  Background:
    Given the users Alice

  @rule:U-sse-ready-first @rule:U-sse-special-events @rule:U-sse-url
  Scenario: A new stream starts with event_source_ready
    Doc: 000 "This event is send once per established connection, what means that after this event applicaiton will receive events stream."
    When Alice opens a second event stream
    Then the second stream's first event is event_source_ready

  @rule:U-sse-ping @rule:U-sse-special-events
  Scenario: The stream sends ping events periodically
    Doc: 000 "This event is sent periodically by the service to check the connection is not closed or lost."
    Then Alice receives a ping event

  @rule:U-sse-auth-code
  Scenario: A reused SSE code opens the stream again or is refused
    Doc: 000 "To subscribe to SSE, the client has to obtain the SSE authenitcation code using create_sse_auth_code() call"
    When Alice opens an event stream with a code, then opens another with the same code
    Then the second connection is an event stream or is refused

  @rule:U-sse-auth-code @rule:U-sse-url
  Scenario: A made-up SSE code is refused
    Doc: 000 "With this code, subscribe to the SSE events with the following URL:<code>"
    When someone opens an event stream with the code "made-up-code"
    Then the connection is refused

  @rule:U-sse-with-credentials
  Scenario: A browser EventSource with credentials may connect from another origin
    Doc: 000 "var evtSource = new EventSource(""+sse_token, { withCredentials: true } );"
    When a browser at "http://app.example" opens Alice's event stream with credentials
    Then the reply allows the origin "http://app.example" with credentials
    And the reply is an event stream

  @rule:U-auth-token-header
  Scenario: A browser may call methods from another origin
    Doc: 000 "The application must then set the request header USER_AUTH_TOKEN to this value with each request that needs user authentication."
    When a browser at "http://app.example" asks whether it may POST with the USER_AUTH_TOKEN header
    Then the reply allows the origin "http://app.example" with credentials
    And the reply allows the header "USER_AUTH_TOKEN"

  @rule:U-sse-ready-once
  Scenario: event_source_ready is sent once per connection
    Doc: 000 "This event is send once per established connection, what means that after this event applicaiton will receive events stream."
    When Alice opens a second event stream
    And Alice creates the room "Later" while the second stream is open
    Then the second stream carries exactly one event_source_ready, before the notification of "Later"
