Feature: Posting messages and their notifications
  Seed 001, "Post message" and "Message record": posting notifies every group member,
  the poster included; the poster's copy carries object.uid.

  Background:
    Given the users Alice, Bob and Carol
    And Alice has created the room "Ops" with Bob

  @rule:U-post-notifies-members @rule:U-sse-notification-event
  Scenario: Every member is notified of a new message, the poster included
    Doc: 001 "Creating messages cause notification to be sent to all group members, therefore, the postin user will also receive it."
    When Alice posts "hello team" to "Ops" with uid "hello-1"
    Then the call succeeds
    And Alice and Bob each receive a new message notification for "hello team"
    And Carol receives no notification about "hello team"

  @rule:U-notification-uid-owner @rule:U-post-notifies-members
  Scenario: The poster's copy of the notification carries the uid
    Doc: 001 "Notification passed to the message owner connection will contain object.uid field first few hours after message creation at least."
    When Alice posts "with uid" to "Ops" with uid "uid-check"
    Then Alice's new message notification for "with uid" carries the uid "uid-check"

  @rule:U-message-not-deleted @rule:U-message-not-edited @rule:U-message-record @rule:U-post-returns-message
  Scenario: The reply is the created message record
    Doc: 001 "Returned value is a {message: <message record>} containing a created message."
    When Alice posts "record check" to "Ops" with uid "rec-1"
    Then the reply's message has the text "record check"
    And the reply's message belongs to "Ops" and to Alice
    And the reply's message is not deleted and not edited

  @rule:U-post-group-or-subscription @rule:U-post-notifies-members
  Scenario: Posting by group_id works like posting by subscription_id
    Doc: 001 "group_id OR subscription_id: one of two is required."
    When Alice posts "by group" to "Ops" by group id
    Then the call succeeds
    And Bob receives a new message notification for "by group"

  @rule:U-post-group-or-subscription
  Scenario: Posting without group_id or subscription_id fails
    Doc: 001 "group_id OR subscription_id: one of two is required."
    When Alice calls "post_message" with {"text": "nowhere"}
    Then the call fails with error "invalid_args"

  @rule:U-message-forward @rule:U-message-reply
  Scenario: A reply and a forward point to their originals
    Doc: 001 "To create forward/reply just add correspodning ids when posting the message."
    Given Alice has posted "original" to "Ops"
    When Bob posts "answer" to "Ops" in reply to "original"
    Then the reply's message replies to "original"
    When Bob posts "passed on" to "Ops" forwarding "original"
    Then the reply's message forwards "original"

  @rule:U-post-reply-must-exist
  Scenario: A reply to a message that does not exist fails
    Doc: 001 "in_reply_to_message_id: if present, must point to the original message to which new one will reply."
    When Alice posts "answer" to "Ops" in reply to the message id 987654321
    Then the call fails with error "not_found"

  @rule:U-attachment-content-type @rule:U-attachment-latest @rule:U-attachment-preview-images-only @rule:U-attachment-url @rule:U-attachments-key @rule:U-post-attachment-preview
  Scenario: A data-URL image attachment gets a download link and a preview
    Doc: 001 "attachment: if present, must be a valid and full data-url string, e.g. data:<mediatype>;base64,<data>. For mediatypes image/* the system will prepare also preview image automaticlly."
    When Alice posts "a picture" to "Ops" with an image attachment named "pic.png"
    Then the reply's message has 1 attachment of type "image/png" with a preview
    And the attachment's link downloads the same bytes

  @rule:U-attachment-content-type @rule:U-attachment-latest @rule:U-attachment-preview-images-only @rule:U-post-attachment-data-url
  Scenario: A non-image attachment has no preview
    Doc: 001 "The attachment could be of any type, but previews are only available for images."
    When Alice posts "a text file" to "Ops" with the attachment "data:text/plain;base64,aGVsbG8="
    Then the reply's message has 1 attachment of type "text/plain" without a preview

  @rule:U-post-attachment-data-url
  Scenario: An attachment that is not a full data URL is refused
    Doc: 001 "attachment: if present, must be a valid and full data-url string, e.g. data:<mediatype>;base64,<data>."
    When Alice posts "broken" to "Ops" with the attachment "http://example.com/cat.png"
    Then the call fails with error "invalid_attachment"

  @rule:U-get-message
  Scenario: A message can be fetched by id
    Doc: 001 "get_message(message_id:<long>) -> {message:<message_record>}"
    Given Alice has posted "fetch me" to "Ops"
    When Bob gets the message "fetch me"
    Then the reply's message has the text "fetch me"

  @rule:U-message-tasks @rule:U-post-task-ids
  Scenario: Tasks can be attached to a message
    Doc: 001 "task_ids: optional array of tasks. Attaching tasks to message"
    When Alice posts "with tasks" to "Ops" with the task ids 11 and 12
    Then the reply's message carries the tasks 11 and 12

  @rule:U-post-text-required
  Scenario: A post without text is refused
    Doc: 001 "text: message text, required as for now."
    When Alice posts "the baseline" to "Ops"
    Then the call succeeds
    When Alice posts to "Ops" without text
    Then the call fails with error "invalid_args"

  @rule:U-post-attachment-filename
  Scenario: attachment_filename names the transmitted file
    Doc: 001 "attachment_filename: you can change the name of the transmitted file."
    When Alice posts "named file" to "Ops" with the attachment "data:text/plain;base64,aGVsbG8=" named "minutes.txt"
    Then the call succeeds
    And the reply's message's attachment is named "minutes.txt"

  @rule:U-post-forward-must-exist
  Scenario: A forward of a message that does not exist fails
    Doc: 001 "forwarded_to_message_id: if present, must point to the original message to which new one will reply."
    Given Alice has posted "original" to "Ops"
    When Bob posts "passed on" to "Ops" forwarding "original"
    Then the reply's message forwards "original"
    When Bob posts "passed on again" to "Ops" forwarding the message id 987654321
    Then the forward fails with error "not_found"

  @rule:U-message-links-only-if-set
  Scenario: A message that neither replies nor forwards carries neither link
    Doc: 001 ""forwarded_message_id": 11,   // optional: only if not null" and ""in_reply_to_message_id": 22, // optional: only if not null"
    When Alice posts "plain" to "Ops"
    Then the reply's message has the text "plain"
    And the reply's message leaves out forwarded_message_id and in_reply_to_message_id

  @rule:U-attachment-byte-size
  Scenario: byte_size is the size of the attached file in bytes
    Doc: 001 ""byte_size": 1597,                // size in bytes"
    When Alice posts "five bytes" to "Ops" with the attachment "data:text/plain;base64,aGVsbG8="
    Then the reply's message has 1 attachment of type "text/plain" without a preview
    And the reply's message's attachment is 5 bytes in size
