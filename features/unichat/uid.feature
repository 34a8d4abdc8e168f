Feature: Idempotent posting by client uid
  Seed 001, "Post message" and "Why uid?": retrying a post with the same uid never
  duplicates the message and returns the proper message object.

  Background:
    Given the users Alice and Bob
    And Alice has created the room "Ops" with Bob

  @rule:U-uid-idempotent
  Scenario: Retrying a post with the same uid returns the same message
    Doc: 001 "It is safe to call it repeatedly with the same message and same uid, no duplication will happen and the proper message object will be returned."
    When Alice posts "once only" to "Ops" with uid "retry-1"
    And Alice posts "once only" to "Ops" with uid "retry-1" again
    And Alice posts "once only" to "Ops" with uid "retry-1" again
    Then every reply is the same message
    And "Ops" has exactly 1 message with the text "once only"
    And Bob receives exactly 1 new message notification for "once only"

  @rule:U-uid-dedup @rule:U-uid-idempotent
  Scenario: Concurrent retries with the same uid yield one message
    Doc: 001 "This way the system will detect and ignore unintentional duplications."
    When Alice posts "racing" to "Ops" with uid "race-1" 32 times at once
    Then every reply is the same message
    And "Ops" has exactly 1 message with the text "racing"
    And Bob receives exactly 1 new message notification for "racing"

  @rule:U-uid-identifies-message
  Scenario: Different uids make different messages
    Doc: 001 "uid must be unique for a user ofr medium time intervals."
    When Alice posts "twice" to "Ops" with uid "first-uid"
    And Alice posts "twice" to "Ops" with uid "second-uid"
    Then "Ops" has exactly 2 messages with the text "twice"

  @rule:U-uid-max-64
  Scenario: A uid of 64 characters is accepted
    Doc: 001 "Maximum allowed size is 64 characters."
    When Alice posts "long uid" to "Ops" with a uid of 64 characters
    Then the call succeeds

  @rule:U-uid-max-64
  Scenario: A uid longer than 64 characters is refused
    Doc: 001 "Maximum allowed size is 64 characters."
    When Alice posts "too long uid" to "Ops" with a uid of 65 characters
    Then the call fails with error "invalid_uid"
    And "Ops" has exactly 0 messages with the text "too long uid"

  @rule:U-uid-unique-per-user
  Scenario: Another user reusing a uid gets a message of his own
    Doc: 001 "uid must be unique for a user ofr medium time intervals."
    When Alice posts "mine" to "Ops" with uid "shared-uid"
    And Bob posts "his" to "Ops" with uid "shared-uid"
    Then the reply's message has the text "his"
    And the reply's message belongs to "Ops" and to Bob
    And "Ops" has exactly 1 message with the text "mine"

  @rule:U-uid-guid @rule:U-uid-idempotent
  Scenario: A GUID is accepted as uid and retried like any uid
    Doc: 001 "Can use GUID though we do not recommend it as most RNG give better entropy."
    When Alice posts "guid post" to "Ops" with a GUID as uid
    And Alice posts "guid post" to "Ops" with the same GUID as uid
    Then every reply is the same message
    And "Ops" has exactly 1 message with the text "guid post"
