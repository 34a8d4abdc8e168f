Feature: Offline participants: push notifications, missed edits and deletions, the op log
  Seed 003: participants who are offline when a message comes get a push notification; edits
  and deletions for all reach them once they are back online, and op_log_list keeps them.
  Push notifications are read from the mock admin API's outbox, filtered to the scenario's
  own users.

  Background:
    Given the users Alice, Bob and Carol
    And Alice has created the group "Team" with Bob and Carol

  @rule:S-push-offline
  Scenario: An offline participant gets a push notification; online ones do not
    Doc: 003 "Additionally, all conversation's participants who is offline will receive the following push notification"
    Given Carol has gone offline
    When Alice sends "are you there?" to "Team"
    Then Bob receives the message "are you there?" from Alice in "Team"
    And Carol gets a push notification from Alice for "are you there?" in "Team"
    And Bob gets no push notification for "are you there?"

  @rule:S-push-first-attachment-url
  Scenario: The push for a message with a file carries the first attachment's URL
    Doc: 003 "title: "UserName" body: "MessageText", firstAttachmentUrl: "url", cid: "63480e68f4794709f802a2fa""
    Given Carol has gone offline
    And Alice has created the file "photo.png"
    When Alice sends "look" to "Team" with the file "photo.png" attached
    Then Carol's push notification for "look" carries the URL of "photo.png"

  @rule:S-offline-list
  Scenario: An offline participant can list the messages they missed
    Doc: 003 "All offline participants can retrieve the messages via below List messages"
    Given Carol has gone offline
    And Alice has sent "while you were out" to "Team"
    When Carol comes back online
    And Carol lists the messages of the conversation "Team"
    Then the listed messages are "while you were out" in that order

  @rule:S-message-edit-offline
  Scenario: A missed edit arrives when the participant comes back online
    Doc: 003 "If users are offline, they will receive a message once became online."
    Given Alice has sent "v1" to "Team"
    And Carol has gone offline
    When Alice changes the message "v1" to "v2"
    Then Bob receives the edit of "v1" to "v2" from Alice
    When Carol comes back online
    Then Carol gets the missed edit of "v1" to "v2" from Alice

  @rule:S-message-delete-offline
  Scenario: A missed deletion arrives when the participant comes back online
    Doc: 003 "If users are offline, they will receive a message once became online."
    Given Alice has sent "gone soon" to "Team"
    And Carol has gone offline
    When Alice deletes the message "gone soon" for all
    Then Bob receives the deletion of "gone soon" for all from Alice
    When Carol comes back online
    Then Carol gets the missed deletion of "gone soon" for all from Alice

  @rule:S-op-log-gt-or-lt @rule:S-op-log-list
  Scenario: op_log_list keeps what an offline user missed
    Doc: 003 "op_log_list: { created_at: { gt: timestamp_in_ms" with the reply "logs: [ _id: 325, user_id: 634ec51c0b65918393dca5bf, packet: { ... }"
    Given Alice has sent "logged" to "Team"
    And Carol has gone offline
    And Alice has changed the message "logged" to "logged twice"
    And Bob has received the edit of "logged" to "logged twice" from Alice
    And Carol has come back online
    When Carol lists her op log since she went offline
    Then the op log holds the edit of "logged" to "logged twice" for Carol
    When Carol lists her op log from before she went offline
    Then the op log holds nothing about "logged"

  @rule:S-op-log-gt-or-lt
  Scenario: op_log_list needs gt or lt
    Doc: 003 "created_at: { gt: timestamp_in_ms" and "or lt param is required"
    When Carol lists her op log without gt or lt
    Then the op log request is refused with status 422
