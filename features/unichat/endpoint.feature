Feature: The Unichat HTTP endpoint: envelopes, tokens and errors
  Seed 000, "HTTP REST Unichat Endpoint": every method is one HTTP JSON call; success is
  status 'OK', any failure is HTTP 400 with {status: "error", error_code, error_text}.

  Background:
    Given the users Alice

  @rule:U-domain-token-test @rule:U-endpoint-json @rule:U-endpoint-single-call @rule:U-endpoint-success
  Scenario: A successful call returns status OK and the method's data
    Doc: 000 "On success, it returns status: 'OK' and whatever data API method returned"
    When Alice lists her subscriptions
    Then the call succeeds

  @rule:U-endpoint-error-envelope @rule:U-endpoint-json
  Scenario: A body that is not JSON gets the error envelope
    Doc: 000 "On error, the 400 result code will be returned and the data will contain following structure: {status: "error", error_code: error_code, error_text: error_text}"
    When Alice sends the raw body "{not json" to get_subscriptions
    Then the call fails with error "invalid_request"

  @rule:U-endpoint-args @rule:U-endpoint-error-envelope
  Scenario: Args that are not an object get the error envelope
    Doc: 000 "call arguments must be passed as args parameter, encoded with JSON"
    When Alice sends the raw body "{\"args\": [1, 2]}" to get_subscriptions
    Then the call fails with error "invalid_request"

  @rule:U-endpoint-error-code @rule:U-endpoint-error-envelope @rule:U-endpoint-error-text @rule:U-endpoint-method-name
  Scenario: An unknown method gets the error envelope
    Doc: 000 "The error_code is a constant per-error string value that always same and should be used by caller to react to the error."
    When Alice calls "no_such_method" with {}
    Then the call fails with error "unknown_method"

  @rule:U-endpoint-error-envelope @rule:U-room-name-required
  Scenario: A missing required argument gets the error envelope
    Doc: 001 "name: required room name. Any string."
    When Alice calls "create_room" with {"user_ids": []}
    Then the call fails with error "invalid_args"

  @rule:U-endpoint-error-envelope @rule:U-get-message
  Scenario: A wrongly typed argument gets the error envelope
    Doc: 001 "get_message(message_id:<long>) -> {message:<message_record>}"
    When Alice calls "get_message" with {"message_id": "seven"}
    Then the call fails with error "invalid_args"

  @rule:U-domain-token-header
  Scenario: A call without the domain token fails
    Doc: 000 "The application domain token should be specified in the request header APP_DOMAIN_TOKEN."
    When Alice calls get_subscriptions without the APP_DOMAIN_TOKEN header
    Then the call fails with error "invalid_domain_token"

  @rule:U-domain-token-header
  Scenario: A call with an unknown domain token fails
    Doc: 000 "The application domain token should be specified in the request header APP_DOMAIN_TOKEN."
    When Alice calls get_subscriptions with APP_DOMAIN_TOKEN "not-a-domain-token"
    Then the call fails with error "invalid_domain_token"

  @rule:U-auth-required @rule:U-auth-token-header
  Scenario: A method that needs a user fails without USER_AUTH_TOKEN
    Doc: 000 "The application must then set the request header USER_AUTH_TOKEN to this value with each request that needs user authentication."
    When someone calls get_subscriptions without USER_AUTH_TOKEN
    Then the call fails with error "auth_required"

  @rule:U-auth-token-improper
  Scenario: An empty USER_AUTH_TOKEN is an error
    Doc: 000 "Do not pass this header with empty or improper value as it will cause error."
    When someone calls get_subscriptions with USER_AUTH_TOKEN ""
    Then the call fails with error "invalid_auth_token"

  @rule:U-auth-token-improper
  Scenario: A bogus USER_AUTH_TOKEN is an error, even for a method that needs no user
    Doc: 000 "Do not pass this header with empty or improper value as it will cause error."
    When someone calls register with USER_AUTH_TOKEN "bogus-token"
    Then the call fails with error "invalid_auth_token"

  @rule:U-auth-required @rule:U-endpoint-error-code
  Scenario Outline: Every method that needs a user refuses a call without a token
    Doc: 000 "Most API methods, as explained in unichat API, requires user authenticaion."
    When someone calls <method> without USER_AUTH_TOKEN
    Then the call fails with error "auth_required"

    Examples:
      | method                   |
      | get_subscriptions        |
      | get_subscription         |
      | create_room              |
      | post_message             |
      | attachment_by_chunks     |
      | voice_recognition        |
      | voice_recognition_result |
      | get_messages             |
      | get_message              |
      | edit_message             |
      | delete_message           |
      | update_subscription      |
      | invite                   |
      | create_group_invite_code |
      | use_invite_code          |
      | set_access               |
      | kick                     |
      | unsubscribe              |
      | create_sse_auth_code     |

  @rule:U-auth-token-improper
  Scenario Outline: Every method that needs a user refuses a bogus token
    Doc: 000 "Do not pass this header with empty or improper value as it will cause error."
    When someone calls <method> with USER_AUTH_TOKEN "bogus-token"
    Then the call fails with error "invalid_auth_token"

    Examples:
      | method               |
      | get_subscriptions    |
      | create_room          |
      | post_message         |
      | get_messages         |
      | edit_message         |
      | delete_message       |
      | update_subscription  |
      | unsubscribe          |
      | create_sse_auth_code |

  @rule:U-endpoint-content-type
  Scenario: Replies are labelled application/json, on success and on error
    Doc: 000 "Use Content-Type: application/json and the JSON encoding for parameters and returned value."
    When Alice lists her subscriptions
    Then the call succeeds
    And the reply is labelled "application/json"
    When Alice calls "no_such_method" with {}
    Then the call fails with error "unknown_method"
    And the reply is labelled "application/json"
