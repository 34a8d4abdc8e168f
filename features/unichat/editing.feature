Feature: Editing own messages
  Seed 001, "Edit own message": only own messages, only within the edit window; edited
  messages carry an edit time; empty strings clear text or attachment; a change notification
  goes to the group.

  Background:
    Given the users Alice and Bob
    And Alice has created the room "Ops" with Bob
    And Alice has posted "draft text" to "Ops"

  @rule:U-edit-edited-at @rule:U-edit-notification @rule:U-edit-text
  Scenario: Editing changes the text, sets the edit time and notifies the group
    Doc: 001 "It will broadcast notification of message change to a group, e.g. {event: 'changed', object_type: 'message', object: <message_record>}"
    When Alice edits "draft text" to "final text"
    Then the call succeeds
    And the reply's message has the text "final text"
    And the reply's message has an edit time
    And Alice and Bob each receive a changed message notification with the text "final text"

  @rule:U-edit-own-only
  Scenario: Nobody can edit another user's message
    Doc: 001 "Edit own message"
    When Bob edits "draft text" to "hijacked"
    Then the call fails with error "not_own_message"
    And the message "draft text" still has the text "draft text"

  @serial @clock
  @rule:U-edit-window
  Scenario: Editing is refused once the edit window has passed
    Doc: 001 "Editing own messages is only allowed within certain time period after its creation."
    When the edit window of the target passes
    And Alice edits "draft text" to "too late"
    Then the call fails with error "edit_window_expired"
    And the message "draft text" still has the text "draft text"

  @serial @clock
  @rule:U-edit-window @rule:U-edit-window-not-prolonged
  Scenario: Editing does not prolong the edit window
    Doc: 001 "Message editing does not prolong this period."
    When most of the edit window of the target passes
    And Alice edits "draft text" to "edited in time"
    Then the call succeeds
    When the rest of the edit window passes
    And Alice edits "edited in time" to "edited too late"
    Then the call fails with error "edit_window_expired"

  @rule:U-edit-empty-clears @rule:U-edit-text-empty
  Scenario: An empty text clears the text but keeps the message
    Doc: 001 "Pass empty string to delete the text only. Pass null to leave text unchanfed."
    When Alice edits "draft text" to ""
    Then the call succeeds
    And the reply's message has the text ""
    And the reply's message is not deleted

  @rule:U-edit-attachment @rule:U-edit-text
  Scenario: A null text leaves the text unchanged while the attachment changes
    Doc: 001 "Pass null to leave text unchanfed."
    When Alice replaces the attachment of "draft text" with "data:text/plain;base64,aGk="
    Then the reply's message has the text "draft text"
    And the reply's message has 1 attachment of type "text/plain" without a preview

  @rule:U-edit-attachment-empty @rule:U-edit-empty-clears
  Scenario: An empty attachment removes the attachment but keeps the message
    Doc: 001 "Use empty string "" to delete attachment keeping the message."
    Given Alice has posted "with file" to "Ops" with the attachment "data:text/plain;base64,aGk="
    When Alice replaces the attachment of "with file" with ""
    Then the reply's message has no attachments
    And the reply's message has the text "with file"

  @rule:U-edit-needs-text-or-attachment
  Scenario: An edit needs text or attachment
    Doc: 001 "requires at least one of attachment and text."
    When Alice edits "draft text" with neither text nor attachment
    Then the call fails with error "invalid_args"

  @rule:U-edit-clear-reply
  Scenario: clear_in_reply_to_message_id drops the reply link
    Doc: 001 "clear_in_reply_to_message_id if set to true, drops in_reply_to_message_id."
    Given Bob has posted "answer" to "Ops" in reply to "draft text"
    When Bob edits "answer" to "standalone" clearing the reply link
    Then the reply's message replies to nothing

  @rule:U-delete-irreversible
  Scenario: A deleted message cannot be edited
    Doc: 001 "Delete own message" and "This operation is irreversible."
    Given Alice has deleted "draft text"
    When Alice edits "draft text" to "back from the dead"
    Then the call fails with error "message_deleted"

  @rule:U-edit-task-ids-empty
  Scenario: An empty string for task_ids detaches the tasks
    Doc: 001 "Empty string for detach a task from a message."
    When Alice posts "tasked" to "Ops" with the task ids 11 and 12
    Then the reply's message carries the tasks 11 and 12
    When Alice detaches the tasks of "tasked" with an empty string
    Then the call succeeds
    And the reply's message carries no tasks

  @rule:U-edit-text-null
  Scenario: text null leaves the text unchanged
    Doc: 001 "Pass null to leave text unchanfed."
    When Alice replaces the attachment of "draft text" with "data:text/plain;base64,aGk="
    Then the reply's message has the text "draft text"
    When Alice edits "draft text" sending text null and the attachment "data:text/plain;base64,aGVsbG8="
    Then the reply's message has the text "draft text"
    And the reply's message has 1 attachment of type "text/plain" without a preview

  @rule:U-edit-attachment-data-url
  Scenario: An edit's attachment must be a full data URL
    Doc: 001 "attachment: if present, changes the attachment. must be a valid and full data-url string, e.g. data:<mediatype>;base64,<data>."
    When Alice replaces the attachment of "draft text" with "data:text/plain;base64,aGk="
    Then the call succeeds
    When Alice replaces the attachment of "draft text" with "http://example.com/cat.png"
    Then the call fails with error "invalid_attachment"

  @rule:U-edit-attachment-data-url
  Scenario: An image given while editing gets a preview
    Doc: 001 "attachment: if present, changes the attachment. must be a valid and full data-url string, e.g. data:<mediatype>;base64,<data>. For mediatypes image/* the system will prepare also preview image automaticlly."
    When Alice replaces the attachment of "draft text" with an image
    Then the reply's message has 1 attachment of type "image/png" with a preview

  @rule:U-edit-attachment-null
  Scenario: Editing the text alone keeps the attachment
    Doc: 001 "Pass null leave attachment unchanged."
    Given Alice has posted "with file" to "Ops" with the attachment "data:text/plain;base64,aGk="
    When Alice edits "with file" to "with file, edited"
    Then the reply's message has 1 attachment of type "text/plain" without a preview
    When Alice edits "with file, edited" to "edited again" sending attachment null
    Then the reply's message has the text "edited again"
    And the reply's message has 1 attachment of type "text/plain" without a preview

  @rule:U-edit-reply-not-settable
  Scenario: Editing cannot set the reply link
    Doc: 001 "Note that currently it can not be set to anything but dropped while editing the message."
    Given Bob has posted "standalone" to "Ops"
    When Bob edits "standalone" to "standalone, edited"
    Then the reply's message replies to nothing
    When Bob edits "standalone, edited" to "a reply now?" setting the reply link to "draft text"
    Then the message "standalone" still replies to nothing

  @rule:U-edit-task-ids
  Scenario: task_ids given while editing attach the tasks
    Doc: 001 "task_ids optional array of tasks. if present, attach the tasks to the message."
    When Alice edits "draft text" to "draft text"
    Then the reply's message carries no tasks
    When Alice attaches the tasks 21 and 22 to "draft text" while editing
    Then the reply's message carries the tasks 21 and 22
